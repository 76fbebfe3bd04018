# Spanish as CLDR and most Spanish-speaking countries write it: 250.000,5. Django's own
# module uses a no-break space for thousands; its dates and the rest are kept.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
# Harambee's own format (see harambee.templatetags.locale_formats): 250.000 KES.
MONEY_FORMAT = "{amount}\xa0{currency}"
