"""IATI 2.03 code lists, used as-is so exports need no mapping; ISO 4217 currency names."""

import functools
import gettext as gettext_module

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from harambee.i18n import search_key


class OrganisationType(models.IntegerChoices):
    GOVERNMENT = 10, _("Government")
    INTERNATIONAL_NGO = 21, _("International NGO")
    NATIONAL_NGO = 22, _("National NGO")
    REGIONAL_NGO = 23, _("Regional NGO")
    PARTNER_COUNTRY_NGO = 24, _("Partner country based NGO")
    PUBLIC_PRIVATE = 30, _("Public private partnership")
    MULTILATERAL = 40, _("Multilateral")
    FOUNDATION = 60, _("Foundation")
    PRIVATE_SECTOR = 70, _("Private sector")
    ACADEMIC = 80, _("Academic, training and research")
    OTHER = 90, _("Other")


class OrganisationRole(models.IntegerChoices):
    FUNDING = 1, _("Funding")
    ACCOUNTABLE = 2, _("Accountable")
    EXTENDING = 3, _("Extending")
    IMPLEMENTING = 4, _("Implementing")


class ActivityStatus(models.IntegerChoices):
    PIPELINE = 1, _("Pipeline/identification")
    IMPLEMENTATION = 2, _("Implementation")
    FINALISATION = 3, _("Finalisation")
    CLOSED = 4, _("Closed")
    CANCELLED = 5, _("Cancelled")
    SUSPENDED = 6, _("Suspended")


# OECD DAC 5-digit purpose codes seeded with the product (code, category, English name).
DAC_SECTORS = [
    ("11110", "111", "Education policy and administrative management"),
    ("11220", "112", "Primary education"),
    ("11230", "112", "Basic life skills for adults"),
    ("11330", "113", "Vocational training"),
    ("11420", "114", "Higher education"),
    ("12110", "121", "Health policy and administrative management"),
    ("12220", "122", "Basic health care"),
    ("12261", "122", "Health education"),
    ("13020", "130", "Reproductive health care"),
    ("14030", "140", "Basic drinking water supply and basic sanitation"),
    ("14031", "140", "Basic drinking water supply"),
    ("14081", "140", "Education and training in water supply and sanitation"),
    ("15110", "151", "Public sector policy and administrative management"),
    ("15112", "151", "Decentralisation and support to subnational government"),
    ("15150", "151", "Democratic participation and civil society"),
    ("15160", "151", "Human rights"),
    ("15170", "151", "Women's rights organisations and movements"),
    ("22010", "220", "Communications policy and administrative management"),
    ("22020", "220", "Telecommunications"),
    ("22030", "220", "Radio/television/print media"),
    ("22040", "220", "Information and communication technology (ICT)"),
    ("23183", "231", "Energy conservation and demand-side efficiency"),
    ("23230", "232", "Solar energy for centralised grids"),
    ("25010", "250", "Business policy and administration"),
    ("31110", "311", "Agricultural policy and administrative management"),
    ("31120", "311", "Agricultural development"),
    ("31166", "311", "Agricultural extension"),
    ("31191", "311", "Agricultural services"),
    ("43030", "430", "Urban development and management"),
    ("43040", "430", "Rural development"),
]


def currency_choices() -> list[tuple[str, str]]:
    """ISO 4217 currencies, code first so the list can be typed into, named in the active
    language."""
    return sorted(
        (c.alpha_3, f"{c.alpha_3} — {currency_name(c.alpha_3)}") for c in pycountry.currencies
    )


def is_currency(code: str) -> bool:
    """True when the code is an ISO 4217 currency."""
    return bool(code) and pycountry.currencies.get(alpha_3=code.upper()) is not None


@functools.cache
def _iso4217_catalogue(language: str) -> gettext_module.NullTranslations:
    """pycountry's translations of the ISO 4217 names (English when it has none, as for
    Swahili)."""
    return gettext_module.translation(
        "iso4217", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def _active_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def currency_name(code: str) -> str:
    """The name of an ISO 4217 currency in the active language; the code when unknown."""
    currency = pycountry.currencies.get(alpha_3=code.upper()) if code else None
    if currency is None:
        return code
    return _iso4217_catalogue(_active_language()).gettext(currency.name)


def _word_forms(word: str) -> set[str]:
    # Enough of plurals to read "shillings", "dollars" or "chelines" as a currency's name.
    forms = {word}
    if word.endswith("s"):
        forms.add(word[:-1])
    if word.endswith("es"):
        forms.add(word[:-2])
    return forms


@functools.cache
def _currency_names(language: str) -> list[tuple[str, frozenset[str], tuple[frozenset, ...]]]:
    """Per currency: its code, its names' search keys (in ``language`` and English), and the
    words of each name with their plural forms."""
    catalogue = _iso4217_catalogue(language)
    entries = []
    for currency in pycountry.currencies:
        keys = frozenset(
            search_key(name) for name in {currency.name, catalogue.gettext(currency.name)}
        )
        words = tuple(
            frozenset().union(*(_word_forms(word) for word in key.split())) for key in keys
        )
        entries.append((currency.alpha_3, keys, words))
    return entries


def find_currency(text: str) -> str:
    """The ISO 4217 code of the currency ``text`` names: its code, or its name in the active
    language or in English, in the singular or the plural ("Kenyan shillings" -> "KES").
    Raises ``ValidationError`` naming ``text`` when it names no currency, or listing the
    codes when it names several ("shilling")."""
    text = " ".join(text.split())
    if len(text) == 3 and is_currency(text):
        return text.upper()
    key = search_key(text)
    entries = _currency_names(_active_language())
    exact = [code for code, keys, _words in entries if key in keys]
    if len(exact) == 1:
        return exact[0]
    wanted = [_word_forms(word) for word in key.split()]
    found = [
        code
        for code, _keys, words in entries
        if wanted and any(all(forms & name_words for forms in wanted) for name_words in words)
    ]
    if len(found) == 1:
        return found[0]
    if found:
        choices = ", ".join(f"{code} ({currency_name(code)})" for code in sorted(found))
        raise ValidationError(
            gettext(
                "“%(value)s” could be several currencies: %(choices)s. Type the code of the "
                "one you mean."
            )
            % {"value": text, "choices": choices},
            code="ambiguous_currency",
        )
    raise ValidationError(
        gettext(
            "“%(value)s” is not an ISO 4217 currency code or the name of a currency. Type "
            "the code, for example KES, or the name, for example Kenyan shilling."
        )
        % {"value": text},
        code="unknown_currency",
    )


# Names of the seeded sectors in the other shipped languages, keyed by code.
DAC_SECTOR_TRANSLATIONS: dict[str, dict[str, str]] = {
    "11110": {
        "fr": "Politique de l'éducation et gestion administrative",
        "es": "Política educativa y gestión administrativa",
        "sw": "Sera ya elimu na usimamizi wa kiutawala",
    },
    "11220": {
        "fr": "Enseignement primaire",
        "es": "Educación primaria",
        "sw": "Elimu ya msingi",
    },
    "11230": {
        "fr": "Compétences de base pour la vie courante des adultes",
        "es": "Habilidades básicas para la vida de personas adultas",
        "sw": "Stadi za msingi za maisha kwa watu wazima",
    },
    "11330": {
        "fr": "Formation professionnelle",
        "es": "Formación profesional",
        "sw": "Mafunzo ya ufundi stadi",
    },
    "11420": {
        "fr": "Enseignement supérieur",
        "es": "Educación superior",
        "sw": "Elimu ya juu",
    },
    "12110": {
        "fr": "Politique de la santé et gestion administrative",
        "es": "Política sanitaria y gestión administrativa",
        "sw": "Sera ya afya na usimamizi wa kiutawala",
    },
    "12220": {
        "fr": "Soins et services de santé de base",
        "es": "Atención sanitaria básica",
        "sw": "Huduma za msingi za afya",
    },
    "12261": {
        "fr": "Éducation sanitaire",
        "es": "Educación sanitaria",
        "sw": "Elimu ya afya",
    },
    "13020": {
        "fr": "Soins en matière de santé reproductive",
        "es": "Atención en salud reproductiva",
        "sw": "Huduma za afya ya uzazi",
    },
    "14030": {
        "fr": "Approvisionnement de base en eau potable et assainissement de base",
        "es": "Abastecimiento básico de agua potable y saneamiento básico",
        "sw": "Huduma za msingi za maji safi ya kunywa na usafi wa mazingira",
    },
    "14031": {
        "fr": "Approvisionnement de base en eau potable",
        "es": "Abastecimiento básico de agua potable",
        "sw": "Huduma za msingi za maji safi ya kunywa",
    },
    "14081": {
        "fr": "Éducation et formation dans le domaine de l'eau et de l'assainissement",
        "es": "Educación y formación en abastecimiento de agua y saneamiento",
        "sw": "Elimu na mafunzo kuhusu huduma za maji na usafi wa mazingira",
    },
    "15110": {
        "fr": "Politique et gestion administrative du secteur public",
        "es": "Política y gestión administrativa del sector público",
        "sw": "Sera ya sekta ya umma na usimamizi wa kiutawala",
    },
    "15112": {
        "fr": "Décentralisation et soutien aux administrations infranationales",
        "es": "Descentralización y apoyo a los gobiernos subnacionales",
        "sw": "Ugatuzi wa madaraka na usaidizi kwa serikali za mitaa",
    },
    "15150": {
        "fr": "Participation démocratique et société civile",
        "es": "Participación democrática y sociedad civil",
        "sw": "Ushiriki wa kidemokrasia na asasi za kiraia",
    },
    "15160": {
        "fr": "Droits de la personne",
        "es": "Derechos humanos",
        "sw": "Haki za binadamu",
    },
    "15170": {
        "fr": "Organisations et mouvements de défense des droits des femmes",
        "es": "Organizaciones y movimientos por los derechos de las mujeres",
        "sw": "Mashirika na vuguvugu za kutetea haki za wanawake",
    },
    "22010": {
        "fr": "Politique des communications et gestion administrative",
        "es": "Política de comunicaciones y gestión administrativa",
        "sw": "Sera ya mawasiliano na usimamizi wa kiutawala",
    },
    "22020": {
        "fr": "Télécommunications",
        "es": "Telecomunicaciones",
        "sw": "Mawasiliano ya simu",
    },
    "22030": {
        "fr": "Radio/télévision/presse écrite",
        "es": "Radio/televisión/prensa escrita",
        "sw": "Redio/televisheni/magazeti",
    },
    "22040": {
        "fr": "Technologies de l'information et de la communication (TIC)",
        "es": "Tecnologías de la información y la comunicación (TIC)",
        "sw": "Teknolojia ya habari na mawasiliano (TEHAMA)",
    },
    "23183": {
        "fr": "Économies d'énergie et efficacité énergétique du côté de la demande",
        "es": "Ahorro energético y eficiencia del lado de la demanda",
        "sw": "Uhifadhi wa nishati na ufanisi wa matumizi ya nishati",
    },
    "23230": {
        "fr": "Énergie solaire pour réseaux centralisés",
        "es": "Energía solar para redes centralizadas",
        "sw": "Nishati ya jua kwa gridi kuu za umeme",
    },
    "25010": {
        "fr": "Politique et administration relatives aux entreprises",
        "es": "Política y administración empresarial",
        "sw": "Sera na usimamizi wa biashara",
    },
    "31110": {
        "fr": "Politique agricole et gestion administrative",
        "es": "Política agraria y gestión administrativa",
        "sw": "Sera ya kilimo na usimamizi wa kiutawala",
    },
    "31120": {
        "fr": "Développement agricole",
        "es": "Desarrollo agrícola",
        "sw": "Maendeleo ya kilimo",
    },
    "31166": {
        "fr": "Vulgarisation agricole",
        "es": "Extensión agrícola",
        "sw": "Huduma za ugani wa kilimo",
    },
    "31191": {
        "fr": "Services agricoles",
        "es": "Servicios agrícolas",
        "sw": "Huduma za kilimo",
    },
    "43030": {
        "fr": "Développement et gestion urbaine",
        "es": "Desarrollo y gestión urbana",
        "sw": "Maendeleo na usimamizi wa miji",
    },
    "43040": {
        "fr": "Développement rural",
        "es": "Desarrollo rural",
        "sw": "Maendeleo ya vijijini",
    },
}
