"""The pages behind the e-mails' links: GET shows, only POST changes (``views.py``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale

from kokreative_wagtail.registrations import dates, seats
from kokreative_wagtail.registrations.choices import Status
from kokreative_wagtail.registrations.tokens import Purpose, make_token

from ..html_audit import audit_html
from .factories import create_registration_event, person
from .helpers import de, form_data

pytestmark = pytest.mark.django_db


def _url(registration, purpose: Purpose) -> str:
    name = {
        Purpose.CONFIRM: "kokreative_registration_confirm",
        Purpose.CANCEL: "kokreative_registration_cancel",
    }[purpose]
    return reverse(name, args=[make_token(registration, purpose)])


def _register(page, number=1, *, double_opt_in=True, seats_=20):
    return seats.register(
        page=page,
        original_start=dates.date_states(page)[0].original_start,
        seats=seats_,
        waiting_list=True,
        double_opt_in=double_opt_in,
        person=person(number),
    ).registration


def test_confirm_get_changes_nothing_post_confirms_twice_is_idempotent(client):
    page = create_registration_event()
    registration = _register(page)
    url = _url(registration, Purpose.CONFIRM)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Infosalon" in html and "16:30" in html and "Person 1" in html
    assert f">{de('Confirm my registration')}</button>" in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    registration.refresh_from_db()
    assert registration.status == Status.PENDING  # a mail scanner's GET confirms nothing

    response = client.post(url)
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert 'role="status"' in response.content.decode()

    again = client.post(url).content.decode()
    assert de("Your e-mail address was confirmed already; nothing has changed.") in again
    assert de("Confirm my registration") not in again
    assert de("Your e-mail address is confirmed already.") in client.get(url).content.decode()


def test_cancel_get_changes_nothing_post_cancels_and_promotes(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    page = create_registration_event(seats=1)
    first = _register(page, 1, double_opt_in=False, seats_=1)
    waiting = _register(page, 2, double_opt_in=False, seats_=1)
    assert waiting.status == Status.WAITING
    url = _url(first, Purpose.CANCEL)
    html = client.get(url).content.decode()
    assert f">{de('Cancel my registration')}</button>" in html
    first.refresh_from_db()
    assert first.status == Status.CONFIRMED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 200
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == Status.CANCELLED
    assert waiting.status == Status.CONFIRMED
    assert de("Your registration is cancelled. We sent you an e-mail to confirm it.") in (
        response.content.decode()
    )
    # the mails went out after the commit: the cancellation and the promotion
    promoted = [m for m in mailoutbox if m.to == ["person2@example.org"]]
    assert promoted[-1].subject == de("A seat came free for you: %(title)s", title="Infosalon")
    assert promoted[-1].attachments  # the seat's date for the calendar
    cancelled = [m for m in mailoutbox if m.to == ["person1@example.org"]][-1]
    assert cancelled.subject == de("Registration cancelled: %(title)s", title="Infosalon")
    assert "/registrations/cancel/" in cancelled.body

    html = client.get(url).content.decode()
    assert de("This registration is cancelled already.") in html
    assert de("Cancel my registration") not in html
    assert client.post(url).status_code == 200  # cancelling twice changes nothing
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


@pytest.mark.parametrize(
    "token",
    ["nonsense", "0" * 32 + "." + "0" * 64, "a" * 200, "ab.cd.ef"],
)
def test_invalid_tokens_are_a_404_page(client, token):
    for name in ("kokreative_registration_confirm", "kokreative_registration_cancel"):
        for method in (client.get, client.post):
            response = method(reverse(name, args=[token]))
            assert response.status_code == 404
            assert de("Link not valid") in response.content.decode()


def test_a_token_is_good_for_its_purpose_only(client):
    page = create_registration_event()
    registration = _register(page)
    confirm_token = make_token(registration, Purpose.CONFIRM)
    response = client.post(reverse("kokreative_registration_cancel", args=[confirm_token]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Status.PENDING


def test_a_deleted_registration_is_a_404(client):
    page = create_registration_event()
    registration = _register(page)
    url = _url(registration, Purpose.CANCEL)
    registration.delete()
    assert client.get(url).status_code == 404


def test_the_link_pages_are_csrf_protected(client):
    page = create_registration_event()
    registration = _register(page)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(_url(registration, Purpose.CONFIRM)).status_code == 403
    registration.refresh_from_db()
    assert registration.status == Status.PENDING


def test_the_page_speaks_the_language_of_the_registration(client):
    page = create_registration_event()
    english = Locale.objects.create(language_code="en")
    translated = page.copy_for_translation(english, copy_parents=True)
    translated.title = "Info salon"
    translated.save_revision().publish()
    translated.refresh_from_db()
    registration = _register(translated)
    response = client.get(_url(registration, Purpose.CANCEL), HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Language"] == "en"
    assert "Info salon" in response.content.decode()
    assert "Thursday" in response.content.decode()


def test_registering_on_the_page_then_confirming_by_the_mails_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    page = create_registration_event()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page.url, form_data(page))
    (message,) = mailoutbox
    link = next(word for word in message.body.split() if "/registrations/confirm/" in word)
    path = link.split("localhost", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path).status_code == 200
    assert seats.Registration.objects.get().status == Status.CONFIRMED
    assert mailoutbox[-1].subject == de("Registration confirmed: %(title)s", title="Infosalon")
    assert mailoutbox[-1].attachments


def test_the_link_pages_pass_the_html_audit(client):
    page = create_registration_event()
    registration = _register(page)
    for url in (
        _url(registration, Purpose.CONFIRM),
        _url(registration, Purpose.CANCEL),
        reverse("kokreative_registration_cancel", args=["nonsense"]),
    ):
        assert audit_html(client.get(url).content.decode()).problems() == []


def test_the_link_pages_share_one_frame_title_heading_and_stylesheets(client):
    page = create_registration_event()
    registration = _register(page)
    for purpose, heading in (
        (Purpose.CONFIRM, "Confirm your registration"),
        (Purpose.CANCEL, "Cancel your registration"),
    ):
        html = client.get(_url(registration, purpose)).content.decode()
        assert f"<title>{de(heading)}" in html and f"<h1>{de(heading)}</h1>" in html
        assert "kokreative_wagtail/css/forms.css" in html
        assert "kokreative_wagtail/css/registrations.css" in html
        assert "kk-registration-link-page" in html  # the body class of the frame
    invalid = client.get(reverse("kokreative_registration_cancel", args=["nonsense"]))
    assert invalid.status_code == 404
    assert f"<h1>{de('Link not valid')}</h1>" in invalid.content.decode()
