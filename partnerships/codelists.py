"""IATI 2.03 code lists, used as-is so exports need no mapping."""

import pycountry
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    """ISO 4217 currencies, code first so the list can be typed into."""
    return sorted((c.alpha_3, f"{c.alpha_3} — {c.name}") for c in pycountry.currencies)


def is_currency(code: str) -> bool:
    """True when the code is an ISO 4217 currency."""
    return bool(code) and pycountry.currencies.get(alpha_3=code.upper()) is not None


# Names of the seeded sectors in the other shipped languages, keyed by code.
DAC_SECTOR_TRANSLATIONS: dict[str, dict[str, str]] = {}
