"""One submission per form token: a replayed token is a 400, for the JSON API and the HTML form.

The token is used up only by a submission that is stored: one with a field error, a spam verdict
or a failure while storing leaves it usable. Two submissions sent at once with one token store
exactly one (PostgreSQL, against a live server).
"""

from __future__ import annotations

import html
import json

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Site

from kokreative_wagtail import spam
from kokreative_wagtail.consultations.models import ConsultationFormPage
from kokreative_wagtail.consultations.submissions import verdict_message

from .factories import (
    create_consultation_page,
    field_names,
    live_server_thread,
    old_token,
    post_json_at_once,
    valid_post,
    valid_values,
)

API = "/api/kokreative/v1"


def used_message() -> str:
    with translation.override("de"):
        return str(verdict_message(spam.Verdict.USED))


@pytest.fixture
def form_page(site_root):
    return create_consultation_page(site_root, to_address="team@example.org")


def submit(client, page, payload: dict):
    return client.post(
        f"{API}/forms/{page.pk}/submissions", json.dumps(payload), content_type="application/json"
    )


# pure logic -----------------------------------------------------------------------------------


def test_consume_token_succeeds_once_and_release_undoes_it(db):
    token = spam.make_token(7)
    assert spam.consume_token(token, max_age=60)
    assert not spam.consume_token(token, max_age=60)
    assert spam.consume_token(spam.make_token(7, issued_at=1000.0), max_age=60)
    spam.release_token(token)
    assert spam.consume_token(token, max_age=60)


def test_tokens_handed_out_in_the_same_instant_differ():
    """Else two visitors given the form in the same millisecond could send only one of them."""
    assert spam.make_token(7, issued_at=1000.0) != spam.make_token(7, issued_at=1000.0)


def test_a_token_without_nonce_is_still_read():
    from django.core import signing

    token = signing.dumps({"p": 7, "t": 1000.0}, salt=spam.TOKEN_SALT, compress=False)
    assert spam.read_token(token) == spam.TokenData(page_id=7, issued_at=1000.0)


def test_the_cache_key_holds_a_hash_not_the_token():
    token = spam.make_token(7)
    key = spam.used_token_key(token)
    assert token not in key and len(key) < 250  # memcached's key limit


def test_the_mark_lives_as_long_as_a_token_is_accepted(monkeypatch):
    calls = []

    class Cache:
        def add(self, key, value, timeout):
            calls.append(timeout)
            return True

    monkeypatch.setattr(spam, "caches", {"shared": Cache()})
    assert spam.consume_token("t", max_age=86400, cache_alias="shared")
    assert calls == [86401]


# JSON API -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_replayed_token_is_a_400_for_the_json_api(client, form_page):
    payload = {"fields": valid_values(form_page), "token": old_token(form_page)}
    assert submit(client, form_page, payload).status_code == 201
    response = submit(client, form_page, payload)
    assert response.status_code == 400
    data = response.json()
    assert data == {"detail": used_message(), "errors": {}}
    assert FormSubmission.objects.count() == 1


@pytest.mark.django_db
def test_a_field_error_does_not_use_up_the_token(client, form_page):
    token = old_token(form_page)
    email = field_names(form_page)["email"]
    bad = {"fields": {**valid_values(form_page), email: "kein-at"}, "token": token}
    response = submit(client, form_page, bad)
    assert response.status_code == 400 and email in response.json()["errors"]
    honeypot = {"fields": valid_values(form_page), "token": token, "honeypot": "x"}
    assert submit(client, form_page, honeypot).status_code == 400
    good = {"fields": valid_values(form_page), "token": token}
    assert submit(client, form_page, good).status_code == 201
    assert FormSubmission.objects.count() == 1


@pytest.mark.django_db
def test_a_failure_while_storing_leaves_the_token_usable(client, form_page, monkeypatch):
    original = ConsultationFormPage.process_form_submission

    def broken(self, form):
        raise RuntimeError("database gone")

    monkeypatch.setattr(ConsultationFormPage, "process_form_submission", broken)
    payload = {"fields": valid_values(form_page), "token": old_token(form_page)}
    with pytest.raises(RuntimeError):
        submit(client, form_page, payload)
    monkeypatch.setattr(ConsultationFormPage, "process_form_submission", original)
    assert submit(client, form_page, payload).status_code == 201


@pytest.mark.django_db
def test_the_token_is_marked_in_the_rate_limit_cache(client, form_page, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s"},
    }
    settings.KOKREATIVE = {"FORM_RATE_LIMIT_CACHE": "shared"}
    from django.core.cache import caches

    token = old_token(form_page)
    payload = {"fields": valid_values(form_page), "token": token}
    assert submit(client, form_page, payload).status_code == 201
    assert caches["shared"].get(spam.used_token_key(token)) == 1
    assert caches["default"].get(spam.used_token_key(token)) is None
    caches["shared"].clear()


# HTML form ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_replayed_token_is_a_400_for_the_html_form(client, form_page):
    data = valid_post(form_page)
    assert client.post(form_page.url, data).status_code == 200  # the thank-you page
    response = client.post(form_page.url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert html.escape(used_message()) in page
    assert 'role="alert"' in page
    assert FormSubmission.objects.count() == 1
    # the form comes back with the visitor's input and a fresh token: sending it again is a new
    # request, which the minimum fill time guards like any other
    fresh = response.context["form"].data[spam.TOKEN_FIELD]
    assert fresh != data[spam.TOKEN_FIELD] and fresh in page
    assert spam.read_token(fresh).page_id == form_page.pk
    assert "Kim Muster" in page


# concurrency (PostgreSQL) ---------------------------------------------------------------------

THREADS = 8


@pytest.fixture
def server():
    """Django's live test server in a thread (sharing this process's local-memory cache)."""
    yield from live_server_thread()


@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/"
    "kokreative_test",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_with_one_token_store_exactly_one(server, settings):
    settings.KOKREATIVE = {"FORM_RATE_LIMIT": 10 * THREADS}
    root = Site.objects.get(is_default_site=True).root_page.specific
    page = create_consultation_page(root, to_address="team@example.org")
    url = f"{server}/api/kokreative/v1/forms/{page.pk}/submissions"
    body = json.dumps({"fields": valid_values(page), "token": old_token(page)}).encode()
    statuses = post_json_at_once(url, [body] * THREADS)

    assert sorted(statuses) == [201] + [400] * (THREADS - 1)
    assert FormSubmission.objects.filter(page=page).count() == 1
