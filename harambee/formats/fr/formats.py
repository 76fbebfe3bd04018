# Harambee's own format (see harambee.templatetags.locale_formats): 250 000 KES.
MONEY_FORMAT = "{amount}\xa0{currency}"
