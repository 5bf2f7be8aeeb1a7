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

from .. import form_guard
from ..form_guard import client_allowed, form_errors, rate_limit_message, verdict_message
from ..spam import Verdict

# The parts every visitor's form shares live in the core's form_guard; importable from here too.
__all__ = [
    "SubmissionResult",
    "client_allowed",
    "form_errors",
    "handle_submission",
    "rate_limit_message",
    "verdict_message",
]


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


def handle_submission(page, data, request) -> SubmissionResult:
    """Run rate limit, spam guard and validation on ``data`` (a QueryDict) and store if all pass."""
    if not client_allowed(request):
        return SubmissionResult(
            status=429, message=rate_limit_message(), retry_after=form_guard.retry_after()
        )

    form = page.get_form(data, page=page, user=request.user, request=request)
    verdict = form_guard.check(page.pk, data)
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
    if not form_guard.consume_token(data):
        # The HTML form is shown again: with a fresh token, sending it again is a new request.
        form_guard.renew_token(form, page.pk)
        return SubmissionResult(
            status=400, form=form, message=verdict_message(Verdict.USED), verdict=Verdict.USED
        )
    try:
        with transaction.atomic():
            submission = page.process_form_submission(form)
    except BaseException:
        form_guard.release_token(data)  # nothing stored: the token stays good
        raise
    return SubmissionResult(status=201, form=form, submission=submission)
