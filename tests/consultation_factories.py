"""Helpers for the consultation form tests: pages with the default fields, valid data, and an
e-mail backend that always fails."""

from __future__ import annotations

import time
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend

from kokreative_wagtail.consultations import spam
from kokreative_wagtail.consultations.models import ConsultationFormPage


class FailingEmailBackend(BaseEmailBackend):
    """Every send fails, as a mail server that is down does."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server for kim@example.org is down")


def create_consultation_page(parent, *, fields=None, **values) -> ConsultationFormPage:
    """A published form page with the default fields (or ``fields``: model instances)."""
    values.setdefault("title", "Beratungsgespräch vereinbaren")
    values.setdefault("slug", "beratung")
    page = ConsultationFormPage(**values)
    page.form_fields = fields if fields is not None else page.get_default_form_fields()
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def old_token(page, seconds_ago: float = 60) -> str:
    """A form token handed out ``seconds_ago`` (past the minimum fill time)."""
    return spam.make_token(page.pk, issued_at=time.time() - seconds_ago)


def field_names(page) -> dict[str, str]:
    """Clean names of the default fields by field type/purpose."""
    names = [f.clean_name for f in page.form_fields.all()]
    return dict(
        zip(
            ["name", "organisation", "role", "email", "phone", "topic", "message", "time"],
            names,
            strict=True,
        )
    )


def valid_values(page) -> dict[str, Any]:
    """Values for the default fields of ``page`` by clean name (JSON types)."""
    n = field_names(page)
    return {
        n["name"]: "Kim Muster",
        n["organisation"]: "Stadt Beispielstadt",
        n["role"]: "Verwaltung",
        n["email"]: "kim@example.org",
        n["phone"]: "",
        n["topic"]: page.form_fields.get(clean_name=n["topic"]).choices.splitlines()[0],
        n["message"]: "Wir möchten Partizipation in unserer Verwaltung verankern.",
        n["time"]: "dienstags vormittags",
        "privacy_consent": True,
    }


def valid_post(page, **overrides) -> dict[str, Any]:
    """Form data the HTML form would post: values, consent, token, empty honeypot."""
    data = {k: v for k, v in valid_values(page).items() if k != "privacy_consent"}
    data.update(
        {"privacy_consent": "on", spam.TOKEN_FIELD: old_token(page), spam.HONEYPOT_FIELD: ""}
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
