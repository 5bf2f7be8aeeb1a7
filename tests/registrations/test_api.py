"""The registrations' JSON API: the contract of its answers, every outcome of a registration,
confirming and cancelling by token, and bad input (a clear 4xx, never a 500, nothing stored)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from kokreative_wagtail import spam
from kokreative_wagtail.outbox.models import Notification
from kokreative_wagtail.registrations import dates
from kokreative_wagtail.registrations.choices import Status
from kokreative_wagtail.registrations.models import Registration
from kokreative_wagtail.registrations.tokens import Purpose, make_token

from ..events.factories import add_event, create_event_index
from ..factories import add_page
from ..offers.factories import create_second_site
from .factories import create_registration_event, create_series_event, next_thursday

pytestmark = pytest.mark.django_db

API = "/api/kokreative/v1"
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
FIELD_KEYS = {"name", "type", "label", "help_text", "required", "choices", "default", "max_length"}
DATE_KEYS = {
    "date",
    "start",
    "end",
    "time_zone",
    "seats",
    "seats_left",
    "waiting",
    "state",
    "label",
    "opens_at",
    "closes_at",
}


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.KOKREATIVE = {"FORM_MIN_FILL_SECONDS": 0, "REGISTRATION_DOUBLE_OPT_IN": False}


@pytest.fixture
def event(db):
    return create_registration_event(
        seats=2,
        fields=(
            {
                "label": "Rolle",
                "field_type": "dropdown",
                "choices": "Verwaltung\r\nPolitik",
                "required": False,
            },
        ),
    )


def first_date(page) -> str:
    return dates.date_states(page)[0].scope


def body(page, number: int = 1, /, **overrides) -> dict:
    data = {
        "date": first_date(page),
        "fields": {
            "name": f"Person {number}",
            "email": f"person{number}@example.org",
            "organisation": "Stadt Musterstadt",
            "privacy_consent": True,
        },
        "token": spam.make_token(page.pk),
        "honeypot": "",
    }
    data.update(overrides)
    return data


def post(client, path: str, data, **extra):
    payload = data if isinstance(data, (str, bytes)) else json.dumps(data)
    extra.setdefault("content_type", "application/json")
    return client.post(f"{API}/{path}", payload, **extra)


def register(client, page, data, **extra):
    return post(client, f"events/{getattr(page, 'pk', page)}/registrations", data, **extra)


def assert_error(response, status: int, *fields: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert isinstance(data["detail"], str) and data["detail"]
    assert isinstance(data["errors"], dict)
    for field in fields:
        assert field in data["errors"], data
        assert all(isinstance(m, str) and m for m in data["errors"][field])
    return data


# GET events/{id}/registration -------------------------------------------------------------------


def test_a_series_of_dates_reads_as_many_queries_as_one_date(
    client, event, django_assert_num_queries
):
    """Seats per date: the dates' changes are read once for the list, not once per date (a
    series with a dozen upcoming dates ran a query for each)."""
    first = next_thursday()
    weekly = create_registration_event(
        title="Werkstatt",
        start=first,
        rule="RRULE:FREQ=WEEKLY",
        index=event.get_parent().specific,
        fields=({"label": "Rolle", "field_type": "singleline", "required": False},),
        overrides=(
            {"original_start": first + timedelta(weeks=2), "action": "details", "seats": 5},
            {"original_start": first + timedelta(weeks=3), "action": "cancel"},
        ),
    )
    for page in (event, weekly):
        url = f"{API}/events/{page.pk}/registration"
        client.get(url)
        # the page, its specific row, options, fields, dates' changes, site, locale, the
        # registrations' counts, the site's settings
        with django_assert_num_queries(9):
            data = client.get(url).json()
        assert data["dates"], data
    assert len(data["dates"]) == dates.UPCOMING_DATES
    assert [d["seats"] for d in data["dates"][:4]] == [20, 20, 5, 20]
    assert data["dates"][3]["state"] == "cancelled"


def test_schema_of_an_event_taking_registrations(client, event, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):  # the first request: Wagtail's caches filled too
        response = client.get(f"{API}/events/{event.pk}/registration")
    assert response.status_code == 200, response.content
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Language"] == "de"
    data = response.json()
    assert set(data) == {
        "page_id",
        "title",
        "locale",
        "mode",
        "waiting_list",
        "fields",
        "consent",
        "dates",
        "token",
        "min_fill_seconds",
    }
    assert (data["page_id"], data["title"], data["locale"]) == (event.pk, "Infosalon", "de")
    assert (data["mode"], data["waiting_list"]) == ("date", True)
    fields = {f["name"]: f for f in data["fields"]}
    assert list(fields) == ["name", "email", "organisation", "rolle"]  # no date, no consent
    assert all(set(f) == FIELD_KEYS for f in data["fields"])
    assert fields["email"]["type"] == "email" and fields["email"]["required"] is True
    assert fields["email"]["max_length"] == 254
    assert fields["organisation"]["required"] is False
    assert fields["rolle"]["type"] == "dropdown"
    assert fields["rolle"]["choices"] == [
        {"value": "Verwaltung", "label": "Verwaltung"},
        {"value": "Politik", "label": "Politik"},
    ]
    assert data["consent"]["name"] == "privacy_consent"
    assert data["consent"]["required"] is True and data["consent"]["text"]
    assert spam.read_token(data["token"]).page_id == event.pk
    assert data["min_fill_seconds"] == 0.0
    [date] = data["dates"]
    assert set(date) == DATE_KEYS
    assert date["date"] == first_date(event)
    assert DATETIME.match(date["date"]) and DATETIME.match(date["start"])
    assert DATETIME.match(date["end"]) and DATETIME.match(date["closes_at"])
    assert date["start"] == date["date"]  # not moved
    assert date["time_zone"] == "Europe/Berlin"
    assert (date["seats"], date["seats_left"], date["waiting"]) == (2, 2, 0)
    assert (date["state"], date["opens_at"]) == ("open", None)
    assert date["label"]


def test_schema_shows_seats_waiting_list_and_cancelled_dates(client, event):
    start = next_thursday()
    series = create_registration_event(
        title="Reihe",
        rule="RRULE:FREQ=WEEKLY;COUNT=3",
        start=start,
        index=event.get_parent(),
        seats=1,
        overrides=({"original_start": start + timedelta(days=7), "action": "cancel"},),
    )
    for number in (1, 2):
        assert register(client, series, body(series, number)).status_code == 201
    data = client.get(f"{API}/events/{series.pk}/registration").json()
    states = [(d["state"], d["seats_left"], d["waiting"]) for d in data["dates"]]
    assert states == [("waiting_list", 0, 1), ("cancelled", 1, 0), ("open", 1, 0)]


def test_schema_of_a_series_registration(client):
    page = create_series_event(mode="series", seats=8)
    data = client.get(f"{API}/events/{page.pk}/registration").json()
    assert data["mode"] == "series"
    [series] = data["dates"]
    assert series["date"] is None
    assert DATETIME.match(series["start"])
    assert (series["seats"], series["state"]) == (8, "open")


def test_schema_names_unknown_query_parameters(client, event):
    assert_error(client.get(f"{API}/events/{event.pk}/registration?page=2"), 400, "page")


def test_unpublished_private_foreign_and_plain_pages_are_404(client, event, site_root):
    draft = create_registration_event(title="Entwurf", index=event.get_parent())
    draft.unpublish()
    private = create_registration_event(title="Intern", index=event.get_parent())
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    start = next_thursday()
    plain = add_event(event.get_parent(), "Ohne Anmeldung", start, start + timedelta(hours=1))
    other = add_page(site_root, type(site_root), title="Seite", slug="seite")
    _site, other_root = create_second_site()
    foreign = create_registration_event(title="Fremd", index=create_event_index(other_root))
    for page_id in (999999, draft.pk, private.pk, plain.pk, other.pk, foreign.pk):
        assert_error(client.get(f"{API}/events/{page_id}/registration"), 404)
        assert_error(register(client, page_id, body(event)), 404)
    assert_error(client.get(f"{API}/events/0/registration"), 400)
    assert not Registration.objects.exists()


# POST events/{id}/registrations -----------------------------------------------------------------


def test_a_registration_without_double_opt_in_is_confirmed(client, event, mailoutbox):
    response = register(
        client, event, body(event, 1, fields={**body(event)["fields"], "rolle": "Politik"})
    )
    assert response.status_code == 201, response.content
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Language"] == "de"
    data = response.json()
    assert set(data) == {"status", "detail"}
    assert data["status"] == "confirmed" and data["detail"]
    [registration] = Registration.objects.all()
    assert (registration.status, registration.email) == (Status.CONFIRMED, "person1@example.org")
    assert registration.data == {"rolle": "Politik"}
    assert registration.date.scope == first_date(event)
    assert Notification.objects.count() == 1


def test_with_double_opt_in_the_registration_waits_for_the_address(client, event, settings):
    settings.KOKREATIVE = {**settings.KOKREATIVE, "REGISTRATION_DOUBLE_OPT_IN": True}
    response = register(client, event, body(event))
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    assert Registration.objects.get().status == Status.PENDING


def test_a_full_date_with_waiting_list_takes_the_third_on_the_list(client, event):
    statuses = [register(client, event, body(event, n)).json()["status"] for n in (1, 2, 3)]
    assert statuses == ["confirmed", "confirmed", "waiting"]


def test_a_full_date_without_waiting_list_is_a_409(client):
    page = create_registration_event(seats=1, waiting_list=False)
    assert register(client, page, body(page, 1)).status_code == 201
    data = assert_error(register(client, page, body(page, 2)), 409)
    assert data["code"] == "full"
    assert Registration.objects.count() == 1


def test_a_closed_date_is_a_409(client):
    start = timezone.now() + timedelta(hours=2)
    page = create_registration_event(start=start, closes_hours_before=3)
    assert dates.date_states(page)[0].state == dates.State.CLOSED
    data = assert_error(register(client, page, body(page)), 409)
    assert data["code"] == "closed"
    assert not Registration.objects.exists()


def test_the_same_address_twice_is_a_409(client, event):
    assert register(client, event, body(event, 1)).status_code == 201
    data = assert_error(register(client, event, body(event, 1)), 409)
    assert data["code"] == "already_registered"
    assert Registration.objects.count() == 1


def test_a_series_registration_sends_no_date(client):
    page = create_series_event(mode="series", seats=3)
    data = body(page)
    del data["date"]
    response = register(client, page, data)
    assert response.status_code == 201, response.content
    assert Registration.objects.get().date.is_series
    assert_error(register(client, page, body(page, 2, date="2030-01-03T15:30:00Z")), 400, "date")


def _fields(**changes):
    values = {
        "name": "Kim Muster",
        "email": "kim@example.org",
        "organisation": "",
        "privacy_consent": True,
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not ...}


#: Bad values of a registration and the field its 400 names.
BAD_INPUT = [
    ({"fields": _fields(privacy_consent=...)}, "privacy_consent"),
    ({"fields": _fields(privacy_consent=False)}, "privacy_consent"),
    ({"fields": _fields(email="kim@")}, "email"),
    ({"fields": _fields(email="k" * 300 + "@example.org")}, "email"),
    ({"fields": _fields(name=...)}, "name"),
    ({"fields": _fields(name=5)}, "name"),
    ({"fields": _fields(name="Kim\nMuster")}, "name"),
    ({"fields": _fields(name="x" * 300)}, "name"),
    ({"fields": _fields(rolle="Keine")}, "rolle"),
    ({"fields": _fields(rolle=["Politik"])}, "rolle"),
    ({"fields": _fields(kk_token="x")}, "kk_token"),
    ({"fields": _fields(date="2030-01-03T15:30:00Z")}, "date"),
    ({"fields": _fields(unknown="x")}, "unknown"),
    ({"fields": "Kim"}, "fields"),
    ({"date": "2030-01-03T15:30:00Z"}, "date"),  # no date of this event
    ({"date": "morgen"}, "date"),
    ({"date": "9999-12-31T23:59:59Z"}, "date"),
    ({"date": "0001-01-01T00:00:00Z"}, "date"),
    ({"date": 5}, "date"),
    ({"date": None}, "date"),
    ({"date": "x" * 41}, "date"),
    ({"page": 1}, "page"),  # an extra key
    ({"token": ["x"]}, "token"),
]


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_bad_input_is_a_400_naming_the_field(client, settings, zone):
    """Also at the ends of the calendar in zones on either side of UTC (no overflow)."""
    settings.KOKREATIVE = {**settings.KOKREATIVE, "FORM_RATE_LIMIT": 0}  # many requests
    event = create_registration_event(
        fields=({"label": "Rolle", "field_type": "dropdown", "choices": "Verwaltung\r\nPolitik"},)
    )
    event.time_zone = zone
    event.save_revision().publish()
    for overrides, field in BAD_INPUT:
        response = register(client, event, body(event, **overrides))
        assert response.status_code == 400, (overrides, response.content)
        assert_error(response, 400, field)
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "payload, status",
    [
        ("{not json", 400),
        ("[]", 400),
        ('{"fields": {"name": "Kim\\u0000"}, "token": "x"}', 400),
        ('{"fields": {}, "token": "\\ud800"}', 400),
    ],
)
def test_broken_bodies_are_a_400(client, event, payload, status):
    assert_error(register(client, event, payload), status)


def test_a_body_not_sent_as_json_is_a_415_and_a_huge_one_a_413(client, event, settings):
    assert_error(register(client, event, "name=Kim", content_type="text/plain"), 415)
    settings.KOKREATIVE = {**settings.KOKREATIVE, "FORM_MAX_BODY_BYTES": 100}
    assert_error(register(client, event, body(event)), 413)


def test_the_spam_guard_answers_400_and_keeps_nothing(client, event, settings):
    assert_error(register(client, event, body(event, honeypot="http://spam.example")), 400)
    assert_error(register(client, event, body(event, token="forged")), 400)
    other = spam.make_token(event.pk + 1000)
    assert_error(register(client, event, body(event, token=other)), 400)
    assert not Registration.objects.exists()


def test_a_used_form_token_is_a_400(client, event):
    data = body(event, 1)
    assert register(client, event, data).status_code == 201
    data["fields"]["email"] = "other@example.org"
    assert_error(register(client, event, data), 400)
    assert Registration.objects.count() == 1


def test_over_the_rate_limit_is_a_429_with_retry_after(client, event, settings):
    settings.KOKREATIVE = {**settings.KOKREATIVE, "FORM_RATE_LIMIT": 1}
    assert register(client, event, body(event, 1)).status_code == 201
    response = register(client, event, body(event, 2))
    assert_error(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 600
    assert Registration.objects.count() == 1


def test_csrf_for_browsers_with_the_sites_cookies(event, django_user_model):
    csrf_client = Client(enforce_csrf_checks=True)
    assert register(csrf_client, event, body(event, 1)).status_code == 201
    user = django_user_model.objects.create_user("kim", "kim@example.org", "pw")
    csrf_client.force_login(user)
    assert_error(register(csrf_client, event, body(event, 2)), 403)
    assert_error(post(csrf_client, "registrations/lookup", {"token": "x"}), 403)


# confirm, cancel, lookup by token ---------------------------------------------------------------


def _registered(client, page, number=1) -> Registration:
    assert register(client, page, body(page, number)).status_code == 201
    return Registration.objects.get(email=f"person{number}@example.org")


def test_confirm_by_token_then_cancel_by_the_other_token(client, event, settings):
    settings.KOKREATIVE = {**settings.KOKREATIVE, "REGISTRATION_DOUBLE_OPT_IN": True}
    registration = _registered(client, event)
    confirm, cancel = (
        make_token(registration, Purpose.CONFIRM),
        make_token(registration, Purpose.CANCEL),
    )
    # a confirmation token cannot cancel, a cancellation token cannot confirm
    assert_error(post(client, "registrations/cancel", {"token": confirm}), 404)
    assert_error(post(client, "registrations/confirm", {"token": cancel}), 404)
    registration.refresh_from_db()
    assert registration.status == Status.PENDING

    response = post(client, "registrations/confirm", {"token": confirm})
    assert response.status_code == 200, response.content
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Language"] == "de"
    data = response.json()
    assert set(data) == {"status", "detail", "event", "date"}
    assert data["status"] == "confirmed" and data["detail"]
    assert data["event"] == {"page_id": event.pk, "title": "Infosalon"}
    assert set(data["date"]) == DATE_KEYS
    assert data["date"]["date"] == registration.date.scope
    assert data["date"]["seats_left"] == 1
    # confirming again changes nothing
    assert post(client, "registrations/confirm", {"token": confirm}).json()["status"] == "confirmed"

    looked_up = post(client, "registrations/lookup", {"token": cancel}).json()
    assert looked_up["status"] == "confirmed"
    data = post(client, "registrations/cancel", {"token": cancel}).json()
    assert data["status"] == "cancelled"
    assert data["date"]["seats_left"] == 2
    assert post(client, "registrations/cancel", {"token": cancel}).json()["status"] == "cancelled"
    assert post(client, "registrations/lookup", {"token": confirm}).json()["status"] == "cancelled"


def test_cancelling_gives_the_seat_to_the_first_waiting(client):
    page = create_registration_event(seats=1)
    first = _registered(client, page, 1)
    second = _registered(client, page, 2)
    assert second.status == Status.WAITING
    data = post(client, "registrations/cancel", {"token": make_token(first, Purpose.CANCEL)})
    assert data.json()["status"] == "cancelled"
    looked_up = post(client, "registrations/lookup", {"token": make_token(second, Purpose.CANCEL)})
    assert looked_up.json()["status"] == "confirmed"


@pytest.mark.parametrize(
    "path", ["registrations/confirm", "registrations/cancel", "registrations/lookup"]
)
@pytest.mark.parametrize(
    "payload, status",
    [
        ({"token": "nonsense"}, 404),
        ({"token": "0" * 32 + "." + "0" * 64}, 404),
        ({"token": "a.b.c"}, 404),
        ({"token": ""}, 404),
        ({"token": "x" * 201}, 400),
        ({"token": 5}, 400),
        ({}, 400),
        ({"token": "x", "id": 1}, 400),
        ('{"token": "x\\u0000"}', 400),
        ("token=x", 415),
    ],
)
def test_bad_tokens_are_a_404_and_bad_bodies_a_4xx(client, db, path, payload, status):
    extra = {"content_type": "text/plain"} if status == 415 else {}
    assert_error(post(client, path, payload, **extra), status)


def test_a_deleted_registrations_token_is_a_404(client, event):
    registration = _registered(client, event)
    token = make_token(registration, Purpose.CANCEL)
    registration.delete()
    assert_error(post(client, "registrations/cancel", {"token": token}), 404)


# language -------------------------------------------------------------------------------------


@override_settings(WAGTAIL_I18N_ENABLED=True)
def test_the_english_page_answers_in_english(client, event):
    """Wagtail's own translations (no wagtail_localize needed): the English tree is a sibling of
    the German one, below a translation of the site's root page."""
    english = Locale.objects.create(language_code="en")
    translated = event.copy_for_translation(english, copy_parents=True)
    translated.title = "Info salon"
    translated.save_revision().publish()
    translated.refresh_from_db()
    cache.clear()  # Wagtail's cached site root paths, made before the English root existed
    assert dates.options_for(translated) is not None

    data = client.get(f"{API}/events/{translated.pk}/registration").json()
    assert data["locale"] == "en"
    assert data["fields"][0]["label"] == "Name"
    bad = body(translated, fields=_fields(email="kim@"))
    response = register(client, translated, bad)
    assert response["Content-Language"] == "en"
    assert assert_error(response, 400, "email")["detail"] == "Please correct the marked fields."
    # the German page, asked in English, answers in German: its labels are German
    response = register(
        client, event, body(event, fields=_fields(email="kim@")), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response["Content-Language"] == "de"
    assert assert_error(response, 400)["detail"] == "Bitte korrigiert die markierten Felder."

    response = register(client, translated, body(translated, fields=_fields()))
    assert response.status_code == 201, response.content
    registration = Registration.objects.get()
    assert registration.page_id == translated.pk
    # the seats are the event's, in every language
    assert registration.date.event_key == event.translation_key
    answer = post(
        client, "registrations/lookup", {"token": make_token(registration, Purpose.CANCEL)}
    )
    assert answer["Content-Language"] == "en"
    assert answer.json()["event"]["title"] == "Info salon"
