"""What the visitors' forms (consultations, registrations) share around their submission: the
rate limit per client, the spam guard with the site's settings, the form token used once, and
the messages a person reads when one of them says no.

One budget for every form of the site (scope ``submit``): a client that sends many consultation
requests cannot go on with registrations. Nothing here logs what a visitor typed.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from . import ratelimit, spam
from .conf import get_setting
from .spam import Verdict

#: The rate limit's scope: one for every visitor's form.
RATE_LIMIT_SCOPE = "submit"


def client_allowed(request) -> bool:
    """Count this submission attempt of the client; ``False`` once over the limit."""
    client = ratelimit.client_ip(request.META, get_setting("TRUSTED_PROXY_COUNT"))
    return ratelimit.hit(
        RATE_LIMIT_SCOPE,
        client,
        limit=get_setting("FORM_RATE_LIMIT"),
        window=get_setting("FORM_RATE_LIMIT_WINDOW"),
        cache_alias=get_setting("FORM_RATE_LIMIT_CACHE"),
    )


def retry_after() -> int:
    """The ``Retry-After`` seconds of a 429: when the rate limit lets the client send again."""
    return ratelimit.retry_after(get_setting("FORM_RATE_LIMIT_WINDOW"))


def rate_limit_message() -> str:
    return _(
        "Too many requests were sent from your network in a short time. Please wait a few "
        "minutes and send the form again."
    )


def verdict_message(verdict: Verdict, wording: Mapping[Verdict, str] | None = None) -> str:
    """A clear message for the person behind a rejected submission (bots do not read it).

    ``wording``: a form's own texts for some verdicts (a registration is no "request"); the
    others keep the texts here.
    """
    if wording and verdict in wording:
        return str(wording[verdict])
    if verdict is Verdict.HONEYPOT:
        return _(
            "Your request was not sent: a field that must stay empty was filled in, probably by "
            "a form-filling tool. Please empty the field “Leave this field empty” and send the "
            "form again."
        )
    if verdict is Verdict.TOO_FAST:
        return _(
            "The form was sent faster than a person can fill it in. Please check your details "
            "and send it again."
        )
    if verdict is Verdict.EXPIRED:
        return _("The form has expired. Please send it again.")
    if verdict is Verdict.USED:
        return _(
            "This form has already been sent. To send another request, load the form again and "
            "send it."
        )
    return _("The form could not be verified. Please reload the page and send it again.")


def check(page_id: int, data) -> Verdict | None:
    """The spam guard's verdict on ``data`` (a QueryDict) of the form of ``page_id``."""
    return spam.check(
        page_id=page_id,
        token=data.get(spam.TOKEN_FIELD),
        honeypot=data.get(spam.HONEYPOT_FIELD),
        min_seconds=get_setting("FORM_MIN_FILL_SECONDS"),
        max_age=get_setting("FORM_TOKEN_MAX_AGE"),
    )


def consume_token(data) -> bool:
    """Use up the form token of ``data``; ``False`` if it was used already.

    Last, once everything else passed, so that a rejected submission leaves its token usable;
    atomic, so that of two submissions sent at once with one token exactly one goes on.
    """
    return spam.consume_token(
        data.get(spam.TOKEN_FIELD) or "",
        max_age=get_setting("FORM_TOKEN_MAX_AGE"),
        cache_alias=get_setting("FORM_RATE_LIMIT_CACHE"),
    )


def release_token(data) -> None:
    """Make the token of ``data`` usable again: nothing was stored after all."""
    spam.release_token(
        data.get(spam.TOKEN_FIELD) or "", cache_alias=get_setting("FORM_RATE_LIMIT_CACHE")
    )


def renew_token(form, page_id: int) -> None:
    """Give a bound form shown again a fresh token: sending it again is a new submission."""
    form.data = form.data.copy()
    form.data[spam.TOKEN_FIELD] = spam.make_token(page_id)


def form_errors(form) -> dict[str, list[str]]:
    """A form's errors as the JSON API writes them (``__all__`` as ``non_field_errors``)."""
    return {
        (name if name != "__all__" else "non_field_errors"): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }
