"""50 concurrent JSON submissions against a live test server: each stored exactly once.

PostgreSQL only (``DATABASE_URL=postgres://…``): SQLite in memory serializes writers, so the
test would show nothing about concurrency there.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Site

from .factories import (
    create_consultation_page,
    field_names,
    live_server_thread,
    old_token,
    post_json_at_once,
    valid_values,
)

THREADS = 50


@pytest.fixture
def server():
    """Django's live test server, with a listen backlog that takes 50 connections at once.

    pytest-django's ``live_server`` is Django's ``LiveServerThread`` with ``socketserver``'s
    backlog of a few connections: 50 simultaneous connects overflow it and the kernel resets
    some of them before Django sees a request.
    """
    yield from live_server_thread(request_queue_size=4 * THREADS)


pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/"
        "kokreative_test",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_submissions_are_all_stored_exactly_once(server, settings):
    settings.KOKREATIVE = {"FORM_RATE_LIMIT": 10 * THREADS}
    root = Site.objects.get(is_default_site=True).root_page.specific
    page = create_consultation_page(root, to_address="team@example.org")
    name = field_names(page)["name"]
    url = f"{server}/api/kokreative/v1/forms/{page.pk}/submissions"
    # one form token each: a token is good for one submission
    bodies = [
        json.dumps(
            {"fields": {**valid_values(page), name: f"Person {i:02d}"}, "token": old_token(page)}
        ).encode()
        for i in range(THREADS)
    ]
    statuses = post_json_at_once(url, bodies)

    assert statuses == [201] * THREADS
    names = sorted(s.form_data[name] for s in FormSubmission.objects.filter(page=page))
    assert names == [f"Person {i:02d}" for i in range(THREADS)]
    assert len(mail.outbox) == THREADS  # one notification each, sent after its commit
