"""django-cookie-consent's strings that our Wagtail admin shows, so that they are German.

The library ships no German catalogue. Django merges every app's catalogue by msgid (apps listed
earlier win, ``LOCALE_PATHS`` win over all), so a msgid in our catalogue translates the library's
string too. These markers only let ``make messages`` extract the msgids; nothing calls this
module. Listed are the ones our viewsets can show: the models' names, the edited fields' labels
and help texts, the name validator's message. The library uses no message contexts.
tests/core/test_admin_german.py finds any other one that shows up.
"""

from django.utils.translation import gettext_noop

STRINGS = (
    # CookieGroup
    gettext_noop("Cookie Group"),
    gettext_noop("Cookie Groups"),
    gettext_noop("Variable name"),
    gettext_noop("Name"),
    gettext_noop("Description"),
    gettext_noop("Is required"),
    gettext_noop("Are cookies in this group required."),
    gettext_noop("Is deletable?"),
    gettext_noop("Can cookies in this group be deleted."),
    gettext_noop("Ordering"),
    gettext_noop("Enter a valid 'varname' consisting of letters, numbers, underscores or hyphens."),
    # Cookie
    gettext_noop("Cookie"),
    gettext_noop("Cookies"),
    gettext_noop("Path"),
    gettext_noop("Domain"),
)
