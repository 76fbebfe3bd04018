# Harambee's own format (see harambee.templatetags.locale_formats): KES 250,000.
MONEY_FORMAT = "{currency}\xa0{amount}"
