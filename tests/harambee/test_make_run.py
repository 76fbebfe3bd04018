"""`make run` starts a Celery worker that celery accepts.

The whole of `make run` on a fresh clone is checked by scripts/check_run.py in CI; this
test catches the cheap mistake in `make test` too: an option celery refuses (such as
`worker --quiet`, a global option) makes the worker exit at start while the web server
goes on answering, and tasks then wait in the broker for ever.
"""

import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def recipe(target: str) -> str:
    """The shell commands of a Makefile target, continuation lines joined, comments left out."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(rf"^{target}:.*\n((?:[\t#].*\n?)+)", text, flags=re.MULTILINE)
    assert match, f"no {target} target in the Makefile"
    return "".join(line for line in match.group(1).splitlines(True) if line.startswith("\t"))


def celery_arguments(commands: str) -> list[str]:
    """The arguments `make run` gives the celery command, up to the end of that command."""
    words = shlex.split(commands.replace("$(VENV)", ".venv"), posix=True)
    start = words.index(".venv/bin/celery")
    arguments = []
    for word in words[start + 1 :]:
        if word in {"&", "&&", "||", ";", "|", ")"} or word.endswith((";", ")")):
            break
        arguments.append(word)
    return arguments


def test_make_run_starts_a_worker_with_beat():
    arguments = celery_arguments(recipe("run"))
    assert "worker" in arguments
    assert "--beat" in arguments[arguments.index("worker") :]


def test_celery_accepts_the_options_make_run_gives_the_worker():
    arguments = celery_arguments(recipe("run"))
    # --help after every option: celery parses them all (and refuses unknown ones), then
    # prints help instead of starting a worker.
    result = subprocess.run(  # noqa: S603 - celery from our own venv with the Makefile's options
        [sys.executable, "-m", "celery", *arguments, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "worker [OPTIONS]" in result.stdout
