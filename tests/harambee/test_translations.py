"""The shipped languages: pages render translated, catalogues are complete, sectors have names.

The pages need the compiled catalogues (``make messages`` or
``manage.py compilemessages``); the catalogue checks read the ``.po`` files themselves.
"""

import importlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.html import escape

from partnerships.codelists import DAC_SECTOR_TRANSLATIONS, DAC_SECTORS
from partnerships.models import Sector
from tests.factories import PartnershipFactory

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
SHIPPED = ["fr", "es", "sw"]
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "sw": "nplurals=2; plural=(n != 1);",
}

# One known string per page and language: (English, translation).
NAVIGATION = {
    "fr": ("Partnerships", "Partenariats"),
    "es": ("Partnerships", "Alianzas"),
    "sw": ("Partnerships", "Ushirikiano"),
}
HOME_HEADING = {
    "fr": "Des partenariats qui partent des besoins des communautés",
    "es": "Alianzas que parten de lo que necesitan las comunidades",
    "sw": "Ushirikiano unaoanzia kwenye mahitaji ya jamii",
}
SIGN_IN_HEADING = {
    "fr": ("Sign In", "Connexion"),
    "es": ("Sign In", "Iniciar sesión"),
    "sw": ("Sign In", "Ingia"),
}


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", SHIPPED)
def test_home_page_is_translated(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    english, translated = NAVIGATION[language]
    assert f'<html lang="{language}">' in html
    assert f">{translated}</a>" in html
    assert f">{english}</a>" not in html
    assert HOME_HEADING[language] in html
    assert "Partnerships that start from what communities need" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", SHIPPED)
def test_partnership_list_is_translated(client, language):
    PartnershipFactory(visibility="public")
    response = client.get(f"/{language}/partnerships/")
    assert response.status_code == 200
    html = response.content.decode()
    english, translated = NAVIGATION[language]
    assert f"<h1>{translated}</h1>" in html
    assert f"<h1>{english}</h1>" not in html
    with translation.override(language):
        for label in ("Search", "Filter"):
            assert translation.gettext(label) != label
            assert translation.gettext(label) in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", SHIPPED)
def test_sign_in_page_is_translated_including_allauth_strings(client, language):
    response = client.get(f"/{language}/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    english, translated = SIGN_IN_HEADING[language]
    assert translated in html
    assert english not in html
    with translation.override(language):
        for label in ("Password", "Remember Me", "Forgot your password?"):
            assert translation.gettext(label) != label, (language, label)
            assert translation.gettext(label) in html
            assert label not in html


# --- catalogues ----------------------------------------------------------------------------


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: flags, msgctxt, msgid, msgid_plural and msgstr (a list)."""
    entries: list[dict] = []
    entry: dict = {}
    key = None

    def finish():
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {}

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if "msgid" in entry:
                finish()
            if line.startswith("#,"):
                entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword in ("msgctxt", "msgid") and "msgid" in entry:
                finish()
            if keyword == "msgstr":
                entry.setdefault("msgstr", []).append(value)
                key = ("msgstr", len(entry["msgstr"]) - 1)
            else:
                entry[keyword] = value
                key = (keyword, None)
        else:
            name, index = key
            if name == "msgstr":
                entry["msgstr"][index] += _unquote(line)
            else:
                entry[name] += _unquote(line)
    finish()
    return entries


PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sd]|%[sd]|\{\{\s*[\w.]+\s*\}\}")
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*")


def _catalogue(language: str) -> list[dict]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run makemessages"
    return parse_po(path)


def test_every_shipped_language_has_a_catalogue():
    shipped = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    assert shipped == set(SHIPPED)
    found = {p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/django.po")}
    assert set(SHIPPED) <= found


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_header(language):
    header = _catalogue(language)[0]
    assert header["msgid"] == ""
    fields = dict(line.split(": ", 1) for line in header["msgstr"][0].splitlines() if ": " in line)
    assert fields["Language"] == language
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert fields["Plural-Forms"] == PLURAL_FORMS[language]
    assert "fuzzy" not in header.get("flags", set())


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_is_complete_and_keeps_placeholders(language):
    entries = _catalogue(language)[1:]
    assert len(entries) > 100
    problems = []
    for entry in entries:
        msgid = entry["msgid"]
        if "fuzzy" in entry.get("flags", set()):
            problems.append(f"fuzzy: {msgid!r}")
        forms = entry["msgstr"]
        if "msgid_plural" in entry and len(forms) != 2:
            problems.append(f"needs 2 plural forms: {msgid!r}")
        if not all(forms):
            problems.append(f"untranslated: {msgid!r}")
            continue
        for index, msgstr in enumerate(forms):
            source = entry["msgid_plural"] if index and "msgid_plural" in entry else msgid
            for placeholder in PLACEHOLDER.findall(source):
                if placeholder not in msgstr:
                    problems.append(f"{placeholder} lost in {msgstr!r} (for {msgid!r})")
            if sorted(TAG.findall(source)) != sorted(TAG.findall(msgstr)):
                problems.append(f"HTML tags differ in {msgstr!r} (for {msgid!r})")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_passes_msgfmt_check(language):
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(  # noqa: S603 - msgfmt on our own file
        [shutil.which("msgfmt"), "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_catalogues_hold_the_same_messages():
    keys = {
        language: {(e.get("msgctxt"), e["msgid"]) for e in _catalogue(language)}
        for language in SHIPPED
    }
    assert keys["fr"] == keys["es"] == keys["sw"]


# --- sectors -------------------------------------------------------------------------------


def test_every_sector_has_a_name_in_every_shipped_language():
    for code, _category, _name in DAC_SECTORS:
        names = DAC_SECTOR_TRANSLATIONS[code]
        assert set(names) == set(SHIPPED), code
        assert all(names.values()), code


@pytest.mark.django_db
def test_sector_names_are_translated_in_the_database():
    sector = Sector.objects.get(code="22040")
    with translation.override("fr"):
        assert sector.name == "Technologies de l'information et de la communication (TIC)"
    with translation.override("es"):
        assert sector.name == "Tecnologías de la información y la comunicación (TIC)"
    with translation.override("sw"):
        assert sector.name == "Teknolojia ya habari na mawasiliano (TEHAMA)"
    with translation.override("en"):
        assert sector.name == "Information and communication technology (ICT)"
    for code, _category, _name in DAC_SECTORS:
        sector = Sector.objects.get(code=code)
        for language in SHIPPED:
            expected = DAC_SECTOR_TRANSLATIONS[code][language]
            assert getattr(sector, f"name_{language}") == expected


@pytest.mark.django_db
def test_sector_translation_migration_fills_existing_databases():
    Sector.objects.filter(code="22040").update(name_fr=None, name_es=None, name_sw=None)
    migration = importlib.import_module("partnerships.migrations.0003_sector_translations")
    migration.translate_sectors(apps, schema_editor=None)
    sector = Sector.objects.get(code="22040")
    assert sector.name_fr == DAC_SECTOR_TRANSLATIONS["22040"]["fr"]
    assert sector.name_es == DAC_SECTOR_TRANSLATIONS["22040"]["es"]
    assert sector.name_sw == DAC_SECTOR_TRANSLATIONS["22040"]["sw"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", SHIPPED)
def test_sector_filter_shows_translated_sector_names(client, language):
    response = client.get(f"/{language}/partnerships/")
    assert escape(DAC_SECTOR_TRANSLATIONS["22040"][language]) in response.content.decode()


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_catalogues_hold_every_message_the_code_and_templates_use(
    settings, tmp_path, monkeypatch
):
    # makemessages writes beside the sources it reads, so it runs on a copy of them: the
    # committed catalogues are compared with what the sources ask for, and left untouched.
    from django.apps import apps as django_apps
    from django.core.management import call_command

    root = Path(settings.BASE_DIR)
    # Every app of the project (those whose code lives in this repository) and the templates.
    apps = [c.path for c in django_apps.get_app_configs() if Path(c.path).parent == root]
    assert {"harambee", "partnerships", "communities", "scorecards"} <= {Path(a).name for a in apps}
    for folder in [Path(a).name for a in apps] + ["templates"]:
        shutil.copytree(root / folder, tmp_path / folder)
    shutil.copytree(LOCALE_DIR / "fr", tmp_path / "locale" / "fr")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["fr"], no_obsolete=True, verbosity=0)

    made = parse_po(tmp_path / "locale/fr/LC_MESSAGES/django.po")
    wanted = {(e.get("msgctxt"), e["msgid"]) for e in made}
    have = {(e.get("msgctxt"), e["msgid"]) for e in _catalogue("fr")}
    assert sorted(wanted - have, key=str) == [], "run makemessages and translate the new messages"
