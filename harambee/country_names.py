"""The English names of the countries Harambee names in Swahili, so that they enter our
catalogues.

django-countries translates its country names with Django's gettext, its English names
being the msgids, and ships no Swahili catalogue. ``makemessages`` only reads our own code,
so this module lists those names, exactly as django-countries writes them (its common names,
such as "Tanzania" and "United Kingdom"), for every African country, the countries of the
demo world and the countries partners most often come from. Their Swahili names are in
locale/sw (taken from pycountry's Swahili ISO 3166 catalogue where it has a good one, the
rest after CLDR); the French and Spanish entries repeat django-countries' own translations,
so those pages read as before. A country not listed here is named in English on a Swahili
page.

Nothing imports this module: it exists only to be read by ``makemessages``. When
django-countries is upgraded, compare these names with ``django_countries.data``.
"""

from django.utils.translation import gettext_noop

COUNTRY_NAMES = (
    gettext_noop("Afghanistan"),  # AF
    gettext_noop("Algeria"),  # DZ
    gettext_noop("American Samoa"),  # AS
    gettext_noop("Angola"),  # AO
    gettext_noop("Antarctica"),  # AQ
    gettext_noop("Antigua and Barbuda"),  # AG
    gettext_noop("Argentina"),  # AR
    gettext_noop("Australia"),  # AU
    gettext_noop("Austria"),  # AT
    gettext_noop("Bahamas (The)"),  # BS
    gettext_noop("Bangladesh"),  # BD
    gettext_noop("Belgium"),  # BE
    gettext_noop("Benin"),  # BJ
    gettext_noop("Bolivia"),  # BO
    gettext_noop("Bosnia and Herzegovina"),  # BA
    gettext_noop("Botswana"),  # BW
    gettext_noop("Bouvet Island"),  # BV
    gettext_noop("Brazil"),  # BR
    gettext_noop("Burkina Faso"),  # BF
    gettext_noop("Burundi"),  # BI
    gettext_noop("Cabo Verde"),  # CV
    gettext_noop("Cambodia"),  # KH
    gettext_noop("Cameroon"),  # CM
    gettext_noop("Canada"),  # CA
    gettext_noop("Cayman Islands"),  # KY
    gettext_noop("Central African Republic"),  # CF
    gettext_noop("Chad"),  # TD
    gettext_noop("Chile"),  # CL
    gettext_noop("China"),  # CN
    gettext_noop("Christmas Island"),  # CX
    gettext_noop("Cocos (Keeling) Islands"),  # CC
    gettext_noop("Colombia"),  # CO
    gettext_noop("Comoros"),  # KM
    gettext_noop("Congo"),  # CG
    gettext_noop("Cook Islands"),  # CK
    gettext_noop("Côte d'Ivoire"),  # CI
    gettext_noop("Democratic Republic of the Congo"),  # CD
    gettext_noop("Denmark"),  # DK
    gettext_noop("Djibouti"),  # DJ
    gettext_noop("Ecuador"),  # EC
    gettext_noop("Egypt"),  # EG
    gettext_noop("Equatorial Guinea"),  # GQ
    gettext_noop("Eritrea"),  # ER
    gettext_noop("Eswatini"),  # SZ
    gettext_noop("Ethiopia"),  # ET
    gettext_noop("Finland"),  # FI
    gettext_noop("France"),  # FR
    gettext_noop("Gabon"),  # GA
    gettext_noop("Gambia"),  # GM
    gettext_noop("Germany"),  # DE
    gettext_noop("Ghana"),  # GH
    gettext_noop("Greece"),  # GR
    gettext_noop("Guatemala"),  # GT
    gettext_noop("Guinea"),  # GN
    gettext_noop("Guinea-Bissau"),  # GW
    gettext_noop("Haiti"),  # HT
    gettext_noop("Honduras"),  # HN
    gettext_noop("India"),  # IN
    gettext_noop("Indonesia"),  # ID
    gettext_noop("Ireland"),  # IE
    gettext_noop("Israel"),  # IL
    gettext_noop("Italy"),  # IT
    gettext_noop("Japan"),  # JP
    gettext_noop("Jordan"),  # JO
    gettext_noop("Kenya"),  # KE
    gettext_noop("Lebanon"),  # LB
    gettext_noop("Lesotho"),  # LS
    gettext_noop("Liberia"),  # LR
    gettext_noop("Libya"),  # LY
    gettext_noop("Luxembourg"),  # LU
    gettext_noop("Madagascar"),  # MG
    gettext_noop("Malawi"),  # MW
    gettext_noop("Mali"),  # ML
    gettext_noop("Mauritania"),  # MR
    gettext_noop("Mauritius"),  # MU
    gettext_noop("Mayotte"),  # YT
    gettext_noop("Mexico"),  # MX
    gettext_noop("Morocco"),  # MA
    gettext_noop("Mozambique"),  # MZ
    gettext_noop("Myanmar"),  # MM
    gettext_noop("Namibia"),  # NA
    gettext_noop("Nepal"),  # NP
    gettext_noop("Netherlands"),  # NL
    gettext_noop("New Zealand"),  # NZ
    gettext_noop("Nicaragua"),  # NI
    gettext_noop("Niger"),  # NE
    gettext_noop("Nigeria"),  # NG
    gettext_noop("Norway"),  # NO
    gettext_noop("Pakistan"),  # PK
    gettext_noop("Palestine"),  # PS
    gettext_noop("Peru"),  # PE
    gettext_noop("Philippines"),  # PH
    gettext_noop("Poland"),  # PL
    gettext_noop("Portugal"),  # PT
    gettext_noop("Qatar"),  # QA
    gettext_noop("Russia"),  # RU
    gettext_noop("Rwanda"),  # RW
    gettext_noop("Réunion"),  # RE
    gettext_noop("Saint Helena"),  # SH
    gettext_noop("Sao Tome and Principe"),  # ST
    gettext_noop("Saudi Arabia"),  # SA
    gettext_noop("Senegal"),  # SN
    gettext_noop("Seychelles"),  # SC
    gettext_noop("Sierra Leone"),  # SL
    gettext_noop("Somalia"),  # SO
    gettext_noop("South Africa"),  # ZA
    gettext_noop("South Korea"),  # KR
    gettext_noop("South Sudan"),  # SS
    gettext_noop("Spain"),  # ES
    gettext_noop("Sri Lanka"),  # LK
    gettext_noop("Sudan"),  # SD
    gettext_noop("Sweden"),  # SE
    gettext_noop("Switzerland"),  # CH
    gettext_noop("Tanzania"),  # TZ
    gettext_noop("Thailand"),  # TH
    gettext_noop("Togo"),  # TG
    gettext_noop("Tunisia"),  # TN
    gettext_noop("Türkiye"),  # TR
    gettext_noop("Uganda"),  # UG
    gettext_noop("Ukraine"),  # UA
    gettext_noop("United Arab Emirates"),  # AE
    gettext_noop("United Kingdom"),  # GB
    gettext_noop("United States of America"),  # US
    gettext_noop("Venezuela"),  # VE
    gettext_noop("Vietnam"),  # VN
    gettext_noop("Western Sahara"),  # EH
    gettext_noop("Yemen"),  # YE
    gettext_noop("Zambia"),  # ZM
    gettext_noop("Zimbabwe"),  # ZW
    gettext_noop("Åland Islands"),  # AX
)
