"""The registration section of the event page and its form without JavaScript (``page.py``)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from kokreative_wagtail import spam
from kokreative_wagtail.registrations import dates, seats
from kokreative_wagtail.registrations.choices import Status
from kokreative_wagtail.registrations.models import Registration, RegistrationOptions

from ..events.factories import add_event, create_event_index
from ..html_audit import audit_html
from .factories import create_registration_event, create_series_event, person
from .helpers import de, de_n, form_data

pytestmark = pytest.mark.django_db

NO_OPT_IN = override_settings(KOKREATIVE={"REGISTRATION_DOUBLE_OPT_IN": False})


def _fill(page, count: int, *, waiting_list: bool = True) -> None:
    state = dates.date_states(page)[0]
    for number in range(100, 100 + count):
        seats.register(
            page=page,
            original_start=state.original_start,
            seats=state.seats,
            waiting_list=waiting_list,
            double_opt_in=False,
            person=person(number),
        )


def test_event_page_shows_dates_with_their_state_and_an_accessible_form(client):
    page = create_registration_event(seats=3, ask_organisation=True)
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert de("Registration") in html
    assert de_n("%(count)d seat left", "%(count)d seats left", 3) in html
    assert "<fieldset" in html and "<legend>" in html  # the dates as a radio group
    assert 'type="radio"' in html and 'name="date"' in html
    assert '<time datetime="' in html and "16:30" in html  # in the event's zone
    for name in ("name", "email", "organisation", "privacy_consent"):
        assert f'name="{name}"' in html
    assert f'name="{spam.HONEYPOT_FIELD}"' in html and 'class="kk-form-trap"' in html
    assert f'action="{page.url}"' in html and "csrfmiddlewaretoken" in html
    assert f">{de('Register')}</button>" in html
    assert "kokreative_wagtail/css/registrations.css" in html
    assert "kokreative_wagtail/css/forms.css" in html  # the form rules, the core's


def test_a_page_without_registration_gets_no_section_and_no_post(client, site_root):
    index = create_event_index(site_root)
    page = create_registration_event(index=index)
    RegistrationOptions.objects.filter(page=page).delete()
    html = client.get(page.url).content.decode()
    assert "kk-registration" not in html
    assert client.post(page.url, {"name": "x"}).status_code == 405


def test_register_pending_shows_a_status_message_without_caching(client, mailoutbox):
    page = create_registration_event()
    response = client.post(page.url, form_data(page))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert 'role="status"' in html
    assert de("Please confirm your address: we sent you an e-mail.") in html
    registration = Registration.objects.get()
    assert registration.status == Status.PENDING
    assert registration.organisation == "Stadt Musterstadt"
    # a fresh form for the next person, not the one just sent
    assert "person1@example.org" not in html


@NO_OPT_IN
def test_register_confirmed_without_double_opt_in(client):
    page = create_registration_event()
    html = client.post(page.url, form_data(page)).content.decode()
    assert Registration.objects.get().status == Status.CONFIRMED
    assert (
        de(
            "Your registration is confirmed. We sent you an e-mail with the date and a link to "
            "cancel."
        )
        in html
    )


@NO_OPT_IN
def test_full_date_offers_the_waiting_list_and_puts_people_on_it(client):
    page = create_registration_event(seats=1)
    _fill(page, 1)
    html = client.get(page.url).content.decode()
    assert de("Waiting list") in html
    assert f">{de('Join the waiting list')}</button>" in html
    response = client.post(page.url, form_data(page))
    assert response.status_code == 200
    assert Registration.objects.get(email="person1@example.org").status == Status.WAITING
    assert (
        de(
            "You are on the waiting list. We sent you an e-mail and will write again as soon as a "
            "seat comes free for you."
        )
        in response.content.decode()
    )


@NO_OPT_IN
def test_full_date_without_waiting_list_answers_409_with_a_clear_message(client):
    page = create_registration_event(seats=1, waiting_list=False)
    data = form_data(page)  # chosen while a seat was left
    _fill(page, 1, waiting_list=False)
    html = client.get(page.url).content.decode()
    assert de("Fully booked") in html
    response = client.post(page.url, data)
    assert response.status_code == 409
    body = response.content.decode()
    assert 'role="alert"' in body and de("This date is fully booked.") in body
    assert "no-store" in response["Cache-Control"]
    assert not Registration.objects.filter(email="person1@example.org").exists()


def test_a_closed_date_is_not_offered_and_refused(client):
    start = timezone.now() + timedelta(hours=2)
    page = create_registration_event(start=start, closes_hours_before=24)
    html = client.get(page.url).content.decode()
    assert de("Registration closed") in html
    assert 'type="radio"' not in html and "<form" not in html.split("kk-registration")[1]
    scope = dates.date_states(page)[0].scope
    response = client.post(page.url, form_data(page, scope=scope))
    assert response.status_code == 409
    assert de("Registration for this date is closed.") in response.content.decode()
    assert not Registration.objects.exists()


def test_registration_not_open_yet(client):
    page = create_registration_event(opens_days_before=3)
    html = client.get(page.url).content.decode()
    assert de("Registration not open yet") in html
    assert 'name="email"' not in html


def test_field_errors_with_an_error_summary_and_aria(client):
    page = create_registration_event()
    data = form_data(page, email="not-an-address")
    data.pop("privacy_consent")
    response = client.post(page.url, data)
    assert response.status_code == 200  # field errors: the form again, as the consultation form
    html = response.content.decode()
    assert 'role="alert"' in html and "autofocus" in html
    assert '<a href="#id_email">' in html and '<a href="#id_privacy_consent">' in html
    email_input = re.search(r"<input[^>]*name=\"email\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in email_input
    assert "id_email_error" in email_input  # aria-describedby names the error
    assert 'id="id_email_error"' in html
    assert 'value="Person 1"' in html  # input kept
    assert not Registration.objects.exists()


def test_honeypot_is_refused_with_400(client):
    page = create_registration_event()
    response = client.post(page.url, form_data(page, kk_website="http://spam.example"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    # the registration's own words (the consultation forms say "request")
    assert (
        de(
            "Your registration was not sent: a field that must stay empty was filled in, "
            "probably by a form-filling tool. Please empty the field “Leave this field empty” "
            "and send the form again."
        )
        in html
    )
    assert not Registration.objects.exists()


@override_settings(KOKREATIVE={"FORM_MIN_FILL_SECONDS": 5})
def test_too_fast_is_refused_and_keeps_the_input(client):
    page = create_registration_event()
    response = client.post(page.url, form_data(page, kk_token=spam.make_token(page.pk)))
    assert response.status_code == 400
    assert 'value="person1@example.org"' in response.content.decode()
    assert not Registration.objects.exists()


@override_settings(KOKREATIVE={"FORM_RATE_LIMIT": 1, "FORM_RATE_LIMIT_WINDOW": 600})
def test_rate_limit_answers_429_with_retry_after(client):
    page = create_registration_event()
    assert client.post(page.url, form_data(page, 1)).status_code == 200
    response = client.post(page.url, form_data(page, 2))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert 'role="alert"' in response.content.decode()
    assert Registration.objects.count() == 1


def test_bad_bytes_are_a_field_error_not_a_500(client):
    page = create_registration_event()
    response = client.post(page.url, form_data(page, name="Kim\x00Muster"))
    assert response.status_code == 200
    assert '<a href="#id_name">' in response.content.decode()
    assert not Registration.objects.exists()


def test_a_date_that_is_no_date_of_the_event_is_a_field_error(client):
    page = create_registration_event()
    response = client.post(page.url, form_data(page, scope="2001-01-01T00:00:00Z"))
    assert response.status_code in (200, 409)
    assert not Registration.objects.exists()


def test_the_form_is_csrf_protected(client):
    page = create_registration_event()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(page.url, form_data(page)).status_code == 403
    assert not Registration.objects.exists()


def test_the_same_address_twice_is_a_clear_409(client):
    page = create_registration_event()
    client.post(page.url, form_data(page))
    response = client.post(page.url, form_data(page))
    assert response.status_code == 409
    assert de(
        "This e-mail address is already registered for this date. The e-mail we sent has a "
        "link to cancel."
    ) in (response.content.decode())
    assert Registration.objects.count() == 1


def test_series_registration_has_no_date_choice(client):
    page = create_series_event(mode="series", seats=5)
    html = client.get(page.url).content.decode()
    assert de("Every date of the series") in html
    assert 'name="date"' not in html
    response = client.post(page.url, form_data(page))
    assert response.status_code == 200
    registration = Registration.objects.get()
    assert registration.date.original_start is None


def test_the_section_and_its_error_state_pass_the_html_audit(client):
    page = create_registration_event(fields=({"label": "Diet", "field_type": "singleline"},))
    data = form_data(page, email="kim@")
    data.pop("privacy_consent")
    for response in (client.get(page.url), client.post(page.url, data)):
        html = response.content.decode()
        assert audit_html(html).problems() == []
        assert 'name="diet"' in html  # the editor's extra field
        # every visible input has a label pointing at it
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if 'type="hidden"' in tag:
                continue
            input_id = re.search(r'\sid="([^"]+)"', tag).group(1)
            assert f'for="{input_id}"' in html, tag


def test_the_page_with_the_form_is_never_cached(client):
    page = create_registration_event()
    assert "no-store" in client.get(page.url).get("Cache-Control", "")
    # an event page without registration stays cacheable as before
    start = page.start + timedelta(days=7)
    plain = add_event(page.get_parent(), "Ohne Anmeldung", start, start + timedelta(hours=1))
    assert "no-store" not in client.get(plain.url).get("Cache-Control", "")
