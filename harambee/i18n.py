"""Language helpers shared by the apps: the shipped languages, and ISO 639 language names."""

from __future__ import annotations

import difflib
import functools
import gettext as gettext_module
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


def language_codes() -> list[str]:
    """The codes of the languages Harambee ships, the default first."""
    return [code for code, _name in settings.LANGUAGES]


def translated_icontains(field: str, text: str) -> Q:
    """Match text in any language's copy of a modeltranslation field.

    modeltranslation rewrites a lookup on ``field`` to the active language only,
    so a French visitor would not find a partnership written in English.
    """
    query = Q()
    for code in language_codes():
        query |= Q(**{f"{field}_{code}__icontains": text})
    return query


def translated_fields(field: str) -> list[str]:
    """A modeltranslation field and every language's copy of it (for ``defer()``)."""
    return [field, *(f"{field}_{code}" for code in language_codes())]


# --- language names (ISO 639) ---------------------------------------------------------------

# Languages of the places Harambee's partnerships work in (East, West, Central and Southern
# Africa, the Andes, South Asia): suggested by name. Any other ISO 639 language is typed by
# its name or code; the full list (about 7,900 names) is searched here, never sent to a page.
# Names are ISO 639-3's English names without their "(macrolanguage)"-style qualifiers.
COMMON_LANGUAGES: dict[str, str] = {
    "sw": gettext_noop("Swahili"),
    "en": gettext_noop("English"),
    "fr": gettext_noop("French"),
    "es": gettext_noop("Spanish"),
    "pt": gettext_noop("Portuguese"),
    "ar": gettext_noop("Arabic"),
    "am": gettext_noop("Amharic"),
    "om": gettext_noop("Oromo"),
    "so": gettext_noop("Somali"),
    "ti": gettext_noop("Tigrinya"),
    "rw": gettext_noop("Kinyarwanda"),
    "rn": gettext_noop("Rundi"),
    "lg": gettext_noop("Ganda"),
    "luo": gettext_noop("Luo (Kenya and Tanzania)"),
    "ki": gettext_noop("Kikuyu"),
    "kam": gettext_noop("Kamba (Kenya)"),
    "nyf": gettext_noop("Giryama"),
    "mas": gettext_noop("Masai"),
    "kln": gettext_noop("Kalenjin"),
    "luy": gettext_noop("Luyia"),
    "guz": gettext_noop("Gusii"),
    "mer": gettext_noop("Meru"),
    "din": gettext_noop("Dinka"),
    "nus": gettext_noop("Nuer"),
    "ha": gettext_noop("Hausa"),
    "yo": gettext_noop("Yoruba"),
    "ig": gettext_noop("Igbo"),
    "pcm": gettext_noop("Nigerian Pidgin"),
    "wo": gettext_noop("Wolof"),
    "ff": gettext_noop("Fulah"),
    "bm": gettext_noop("Bambara"),
    "dyu": gettext_noop("Dyula"),
    "mos": gettext_noop("Mossi"),
    "tw": gettext_noop("Twi"),
    "ak": gettext_noop("Akan"),
    "ee": gettext_noop("Ewe"),
    "gaa": gettext_noop("Ga"),
    "kri": gettext_noop("Krio"),
    "mnk": gettext_noop("Mandinka"),
    "fon": gettext_noop("Fon"),
    "ln": gettext_noop("Lingala"),
    "kg": gettext_noop("Kongo"),
    "lua": gettext_noop("Luba-Lulua"),
    "sg": gettext_noop("Sango"),
    "zu": gettext_noop("Zulu"),
    "xh": gettext_noop("Xhosa"),
    "st": gettext_noop("Southern Sotho"),
    "tn": gettext_noop("Tswana"),
    "sn": gettext_noop("Shona"),
    "ny": gettext_noop("Chichewa"),
    "bem": gettext_noop("Bemba (Zambia)"),
    "mg": gettext_noop("Malagasy"),
    "af": gettext_noop("Afrikaans"),
    "ts": gettext_noop("Tsonga"),
    "qu": gettext_noop("Quechua"),
    "quz": gettext_noop("Cusco Quechua"),
    "ay": gettext_noop("Aymara"),
    "gn": gettext_noop("Guarani"),
    "ht": gettext_noop("Haitian"),
    "hi": gettext_noop("Hindi"),
    "bn": gettext_noop("Bengali"),
    "ne": gettext_noop("Nepali"),
    "ur": gettext_noop("Urdu"),
}

# What people call these languages in their own words, understood whatever the page's
# language (recognised input, not shown anywhere).
LANGUAGE_ALIASES: dict[str, str] = {
    "kiswahili": "sw",
    "luganda": "lg",
    "dholuo": "luo",
    "gikuyu": "ki",
    "kikamba": "kam",
    "kigiryama": "nyf",
    "maasai": "mas",
    "luhya": "luy",
    "ekegusii": "guz",
    "kimeru": "mer",
    "fula": "ff",
    "fulani": "ff",
    "chewa": "ny",
    "nyanja": "ny",
    "sesotho": "st",
    "setswana": "tn",
    "isizulu": "zu",
    "isixhosa": "xh",
    "kirundi": "rn",
    "haitian creole": "ht",
    "bangla": "bn",
}

# ISO 639-3 qualifiers that only say what kind of code it is, or when the language was
# spoken: "Swahili (macrolanguage)" is "Swahili" to its speakers. Qualifiers naming a
# place, as in "Luo (Kenya and Tanzania)", tell languages apart and stay.
_SCOPE_QUALIFIERS = frozenset({"macrolanguage", "individual language"})
_QUALIFIER_RE = re.compile(r"\s*\(([^()]*)\)\s*$")
_LIST_SEPARATORS_RE = re.compile(r"[,;]")


def search_key(text: str) -> str:
    """``text`` as compared with names: no accents, case or punctuation ("Kényan" = "kenyan")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def _drops_qualifier(english: str) -> bool:
    match = _QUALIFIER_RE.search(english)
    return bool(match) and (
        match.group(1) in _SCOPE_QUALIFIERS or any(c.isdigit() for c in match.group(1))
    )


def _without_qualifier(name: str) -> str:
    return _QUALIFIER_RE.sub("", name)


def _code_of(record) -> str:
    """The code Harambee stores: ISO 639-1 when the language has one, else ISO 639-3."""
    return getattr(record, "alpha_2", None) or record.alpha_3


def _record(code: str):
    code = code.strip().lower()
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code)
    if len(code) == 3:
        return pycountry.languages.get(alpha_3=code) or pycountry.languages.get(bibliographic=code)
    return None


@functools.cache
def _iso639_catalogue(language: str) -> gettext_module.NullTranslations:
    """pycountry's own translations of the ISO 639-3 names (English when it has none)."""
    return gettext_module.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def _active_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _iso_name(record, language: str) -> str:
    """ISO 639-3's name of the language, translated by pycountry, qualifier dropped."""
    name = _iso639_catalogue(language).gettext(record.name)
    return _without_qualifier(name) if _drops_qualifier(record.name) else name


def _name(record, language: str) -> str:
    # Our catalogue first (pycountry has no Swahili names), then pycountry's translation.
    common = COMMON_LANGUAGES.get(_code_of(record))
    if common is not None:
        ours = translation.gettext(common)
        if ours != common or language == "en":
            return ours
    return _iso_name(record, language)


def language_name(code: str) -> str:
    """The name of an ISO 639 code in the active language, as its speakers would write it
    ("Swahili", never "Swahili (macrolanguage)"); the code itself when it is unknown."""
    record = _record(code)
    return _name(record, _active_language()) if record else code


@functools.cache
def _language_index(language: str) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Search keys -> codes, for names in ``language`` and in English: exact names first,
    then names without any qualifier ("Luo" finds both Luo languages) and the head of
    ISO's inverted names ("Greek")."""
    exact: dict[str, dict[str, None]] = defaultdict(dict)
    loose: dict[str, dict[str, None]] = defaultdict(dict)
    with translation.override(language):
        for record in pycountry.languages:
            code = _code_of(record)
            names = {record.name, _iso_name(record, "en"), _iso_name(record, language)}
            names.add(_iso639_catalogue(language).gettext(record.name))
            names.add(_name(record, language))
            for name in names:
                exact[search_key(name)][code] = None
                loose[search_key(_without_qualifier(name))][code] = None
            # "Greek, Modern (1453-)": "Greek" alone finds it (and Ancient Greek).
            inverted = getattr(record, "inverted_name", "")
            if inverted:
                loose[search_key(inverted.split(",")[0])][code] = None
    for alias, code in LANGUAGE_ALIASES.items():
        exact[search_key(alias)][code] = None
    return (
        {key: tuple(codes) for key, codes in exact.items()},
        {key: tuple(codes) for key, codes in loose.items()},
    )


def _preferred(codes: tuple[str, ...]) -> tuple[str, ...]:
    # "Swahili" is both the macrolanguage (sw) and one of its members (swh): people mean
    # the one with a two-letter code.
    two_letter = tuple(code for code in codes if len(code) == 2)
    return two_letter if len(codes) > 1 and len(two_letter) == 1 else codes


def _looks_like_a_name(text: str) -> bool:
    """ "Ga" is a name; "ga" and "GA" are codes."""
    return text[:1].isupper() and text[1:].islower()


def _ambiguous(text: str, codes) -> ValidationError:
    choices = ", ".join(f"{language_name(code)} ({code})" for code in codes)
    return ValidationError(
        _("“%(name)s” could be several languages: %(choices)s. Type the code of the one you mean.")
        % {"name": text, "choices": choices},
        code="ambiguous_language",
    )


def _unknown(text: str, key: str, exact: dict) -> ValidationError:
    close = difflib.get_close_matches(key, exact, n=3, cutoff=0.8)
    names = list(dict.fromkeys(language_name(exact[match][0]) for match in close))
    if names:
        message = _(
            "“%(name)s” is not a language name or ISO 639 code we know. Did you mean "
            "%(suggestions)s?"
        ) % {"name": text, "suggestions": ", ".join(names)}
    else:
        message = _("“%(name)s” is not a language name or ISO 639 code we know.") % {"name": text}
    return ValidationError(message, code="unknown_language")


def find_language(text: str) -> str:
    """The code of the language ``text`` names: its ISO 639 code, or its name in the active
    language or in English. Raises ``ValidationError`` naming ``text`` when it names no
    language or several (then with their codes)."""
    text = " ".join(text.split())
    exact, loose = _language_index(_active_language())
    key = search_key(text)
    record = _record(text)
    by_code = _code_of(record) if record else None
    by_name = _preferred(exact.get(key, ()))
    if by_code and (not by_name or by_code in by_name or not _looks_like_a_name(text)):
        return by_code
    common = [code for code in by_name if code in COMMON_LANGUAGES]
    if len(common) == 1 and _looks_like_a_name(text):
        return common[0]  # "Ga" is the language of Accra here, "ga" the code of Irish
    if by_code:
        raise _ambiguous(text, [by_code, *by_name])
    codes = by_name or _preferred(loose.get(key, ()))
    if len(codes) == 1:
        return codes[0]
    if codes:
        raise _ambiguous(text, codes)
    raise _unknown(text, key, exact)


def find_languages(text: str) -> list[str]:
    """The codes of the languages in a list of names or codes separated by commas, in the
    order given and without repeats; one message per name that is unknown or ambiguous."""
    codes, problems = [], []
    for part in _LIST_SEPARATORS_RE.split(text):
        if not part.strip():
            continue
        try:
            codes.append(find_language(part))
        except ValidationError as error:
            problems.extend(error.error_list)
    if problems:
        raise ValidationError(problems)
    return list(dict.fromkeys(codes))


def language_names_text(codes: Iterable[str]) -> str:
    """The languages as a person would type them back: names, or the code where the name
    would be read as another language (or contains a comma)."""
    shown = []
    for code in codes:
        name = language_name(code)
        try:
            understood = "," not in name and find_language(name) == code
        except ValidationError:
            understood = False
        shown.append(name if understood else code)
    return ", ".join(shown)


def language_suggestions(first: Iterable[str] = ()) -> list[str]:
    """Names to offer: the languages in ``first`` (say, a community's), then the common
    languages in alphabetical order."""
    names = [language_name(code) for code in first if _record(code)]
    common = sorted((language_name(code) for code in COMMON_LANGUAGES), key=search_key)
    return list(dict.fromkeys([*names, *common]))
