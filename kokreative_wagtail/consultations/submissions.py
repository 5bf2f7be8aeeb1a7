"""The one path every submission takes, from the HTML form and from the JSON API alike.

Rate limit, spam guard and form validation run in this order; only a submission that passes all
three uses up its form token (one submission per token) and is stored, in one transaction, and its
e-mails are enqueued after the commit. Nothing here logs what a visitor typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .. import ratelimit, spam
from ..conf import get_setting
from ..spam import Verdict


@dataclass
class SubmissionResult:
    """What happened: ``status`` 201 (stored), 400 (rejected) or 429 (rate limit).

    ``retry_after``: with a 429, the seconds until the rate limit lets the client send again.
    """

    status: int
    form: Any = None
    submission: Any = None
    message: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    verdict: Verdict | None = None
    retry_after: int | None = None

    @property
    def ok(self) -> bool:
        return self.submission is not None


def verdict_message(verdict: Verdict) -> str:
    """A clear message for the person behind a rejected submission (bots do not read it)."""
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


def rate_limit_message() -> str:
    return _(
        "Too many requests were sent from your network in a short time. Please wait a few "
        "minutes and send the form again."
    )


def client_allowed(request) -> bool:
    """Count this submission attempt of the client; ``False`` once over the limit."""
    client = ratelimit.client_ip(request.META, get_setting("TRUSTED_PROXY_COUNT"))
    return ratelimit.hit(
        "submit",
        client,
        limit=get_setting("FORM_RATE_LIMIT"),
        window=get_setting("FORM_RATE_LIMIT_WINDOW"),
        cache_alias=get_setting("FORM_RATE_LIMIT_CACHE"),
    )


def form_errors(form) -> dict[str, list[str]]:
    return {
        (name if name != "__all__" else "non_field_errors"): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }


def handle_submission(page, data, request) -> SubmissionResult:
    """Run rate limit, spam guard and validation on ``data`` (a QueryDict) and store if all pass."""
    if not client_allowed(request):
        return SubmissionResult(
            status=429,
            message=rate_limit_message(),
            retry_after=ratelimit.retry_after(get_setting("FORM_RATE_LIMIT_WINDOW")),
        )

    form = page.get_form(data, page=page, user=request.user, request=request)
    verdict = spam.check(
        page_id=page.pk,
        token=data.get(spam.TOKEN_FIELD),
        honeypot=data.get(spam.HONEYPOT_FIELD),
        min_seconds=get_setting("FORM_MIN_FILL_SECONDS"),
        max_age=get_setting("FORM_TOKEN_MAX_AGE"),
    )
    valid = form.is_valid()
    if verdict is not None:
        return SubmissionResult(
            status=400,
            form=form,
            message=verdict_message(verdict),
            errors=form_errors(form) if not valid else {},
            verdict=verdict,
        )
    if not valid:
        return SubmissionResult(
            status=400,
            form=form,
            message=_("Please correct the marked fields."),
            errors=form_errors(form),
        )
    # Last, so that a rejected submission leaves its token usable; atomic, so that of two
    # submissions sent at once with one token exactly one is stored.
    token = data.get(spam.TOKEN_FIELD) or ""
    cache_alias = get_setting("FORM_RATE_LIMIT_CACHE")
    if not spam.consume_token(
        token, max_age=get_setting("FORM_TOKEN_MAX_AGE"), cache_alias=cache_alias
    ):
        # The HTML form is shown again: with a fresh token, sending it again is a new request.
        form.data = form.data.copy()
        form.data[spam.TOKEN_FIELD] = spam.make_token(page.pk)
        return SubmissionResult(
            status=400, form=form, message=verdict_message(Verdict.USED), verdict=Verdict.USED
        )
    try:
        with transaction.atomic():
            submission = page.process_form_submission(form)
    except BaseException:
        spam.release_token(token, cache_alias=cache_alias)  # nothing stored: the token stays good
        raise
    return SubmissionResult(status=201, form=form, submission=submission)
