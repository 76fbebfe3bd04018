"""The apps stack in one order, and nothing imports its way back up.

harambee underneath all, then accounts, partnerships, communities, and the later apps in
the order of ../shared/DESIGN.md. A module may import its own app and the apps before it,
never one after it; ``harambee/urls.py`` and the site-wide views in ``harambee/views.py``
compose the apps and are the only exceptions. Later apps reach earlier pages through
registries (``harambee.sections``) and the access layer (grants), never the other way.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = [
    "harambee",
    "accounts",
    "partnerships",
    "communities",
    "scorecards",
    "reviews",
    "scorecards_community",
    "opendata",
]
COMPOSERS = {"harambee/urls.py", "harambee/views.py"}


def project_modules() -> dict[str, Path]:
    modules = {}
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else ():
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imports_of(path: Path, *, top_level_only: bool) -> set[str]:
    """The project modules this file imports (only those run at import time, if asked)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in LAYERS}


def test_no_app_imports_an_app_that_comes_after_it():
    wrong = []
    for name, path in project_modules().items():
        if str(path.relative_to(ROOT)) in COMPOSERS:
            continue
        layer = LAYERS.index(name.split(".")[0])
        for imported in imports_of(path, top_level_only=False):
            if LAYERS.index(imported.split(".")[0]) > layer:
                wrong.append(f"{name} imports {imported}")
    assert wrong == []


def test_no_module_imports_itself_back_at_import_time():
    modules = project_modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        graph[name] = {m for m in imports_of(path, top_level_only=True) if m in modules}
    cycles = [cycle for start in graph if (cycle := _cycle_from(start, graph))]
    assert cycles == []


def _cycle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path of imports from ``start`` back to itself, if there is one."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_the_checker_sees_an_upward_import(tmp_path):
    # Guards the guard: an import of a later app from an earlier one is found.
    module = tmp_path / "example.py"
    module.write_text("from communities.models import Need\n\ndef f():\n    import opendata\n")

    assert imports_of(module, top_level_only=False) == {
        "communities.models",
        "communities.models.Need",
        "opendata",
    }
    assert imports_of(module, top_level_only=True) == {
        "communities.models",
        "communities.models.Need",
    }


def test_templates_include_no_template_of_a_later_app():
    wrong = []
    for app in LAYERS:
        folder = ROOT / "templates" / app
        later = LAYERS[LAYERS.index(app) + 1 :]
        for path in sorted(folder.rglob("*.html")) if folder.is_dir() else ():
            text = path.read_text()
            wrong += [f"{path.name} names {other}/" for other in later if f'"{other}/' in text]
    assert wrong == []
