"""What the HTML, mail and link tests of registrations share: valid form data, messages as the
active translation gives them (the English msgid until the lead translates), mail access."""

from __future__ import annotations

import time

from django.utils import translation
from django.utils.translation import gettext, ngettext

from kokreative_wagtail import spam
from kokreative_wagtail.registrations import dates
from kokreative_wagtail.registrations.forms import CONSENT_FIELD, DATE_FIELD


def de(msgid: str, **values) -> str:
    """``msgid`` as the German page shows it (the msgid itself while it is untranslated)."""
    with translation.override("de"):
        text = gettext(msgid)
    return text % values if values else text


def de_n(singular: str, plural: str, count: int, **values) -> str:
    """A plural message as the German page shows it for ``count``."""
    with translation.override("de"):
        text = ngettext(singular, plural, count)
    return text % {"count": count, **values}


def old_token(page, seconds_ago: float = 60) -> str:
    return spam.make_token(page.pk, issued_at=time.time() - seconds_ago)


def form_data(page, number: int = 1, *, scope: str | None = None, **overrides) -> dict:
    """A valid POST of the page's registration form for person ``number``."""
    data = {
        "name": f"Person {number}",
        "email": f"person{number}@example.org",
        "organisation": "Stadt Musterstadt",
        CONSENT_FIELD: "on",
        spam.TOKEN_FIELD: old_token(page),
        spam.HONEYPOT_FIELD: "",
    }
    options = dates.options_for(page)
    if options is not None and options.mode == "date":
        if scope is None:
            scope = next(s.scope for s in dates.date_states(page) if s.accepts)
        data[DATE_FIELD] = scope
    data.update(overrides)
    return data
