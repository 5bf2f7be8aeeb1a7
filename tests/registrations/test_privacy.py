"""Nothing personal in logs or caches: a whole registration (register, confirm, cancel, a
promotion) with a mail server that refuses, logged at DEBUG, leaves no name, address or token
in the log or in the cache."""

from __future__ import annotations

import logging
import pickle

import pytest
from django.core.cache import caches
from django.test import override_settings

from kokreative_wagtail.outbox.models import Notification
from kokreative_wagtail.registrations.links import cancel_url, confirm_url
from kokreative_wagtail.registrations.models import Registration
from kokreative_wagtail.registrations.tokens import Purpose, make_token

from .factories import create_registration_event
from .helpers import form_data

pytestmark = pytest.mark.django_db

FAILING_BACKEND = "tests.consultations.factories.FailingEmailBackend"


def cached_bytes() -> bytes:
    """Everything the local-memory cache holds, keys and values."""
    cache = caches["default"]
    return b"".join(
        key.encode() + (value if isinstance(value, bytes) else pickle.dumps(value))
        for key, value in cache._cache.items()
    )


@override_settings(KOKREATIVE={"FORM_MIN_FILL_SECONDS": 0})
def test_a_whole_registration_logs_and_caches_nothing_personal(
    client, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    caplog.set_level(logging.DEBUG)
    caches["default"].clear()
    page = create_registration_event(seats=1)
    with django_capture_on_commit_callbacks(execute=True):
        for number in (1, 2):
            response = client.post(page.url, form_data(page, number, name=f"Kim Muster {number}"))
            assert response.status_code == 200
    first, second = Registration.objects.order_by("pk")
    tokens = [make_token(first, Purpose.CONFIRM), make_token(second, Purpose.CONFIRM)]
    with django_capture_on_commit_callbacks(execute=True):
        for registration in (first, second):
            client.post(confirm_url(registration, page))
        client.post(cancel_url(first, page))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("cancelled", "confirmed")  # second moved up
    assert Notification.objects.filter(status="pending").exists()  # the mails wait, not lost
    assert "Refused" in caplog.text or "ConnectionRefusedError" in caplog.text
    personal = [
        "Kim Muster",
        "person1@example.org",
        "person2@example.org",
        first.public_id.hex,
        second.public_id.hex,
        *tokens,
    ]
    for text in personal:
        assert text not in caplog.text
        assert text.encode() not in cached_bytes()
    # the rate limit counted the client by a keyed hash of its address
    assert any(key.startswith(":1:kokreative:rate:submit:") for key in caches["default"]._cache)
    assert b"127.0.0.1" not in cached_bytes()
