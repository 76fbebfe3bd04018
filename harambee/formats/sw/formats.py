# Swahili (Kenya, Tanzania, Uganda), after CLDR "sw": 5 Machi 2026, 05/03/2026, 250,000.5.
# Django ships no Swahili formats; month names come from Django's Swahili catalogue.
# The input formats are the ones a browser's date field sends and a person types.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-03-05'
    "%d/%m/%Y",  # '05/03/2026'
    "%d/%m/%y",  # '05/03/26'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
# Harambee's own format (see harambee.templatetags.locale_formats): KES 250,000.
MONEY_FORMAT = "{currency}\xa0{amount}"
