"""Registrations on a page translated with wagtail-localize: the consent text and the extra
fields are translated, the settings follow the source, and both languages share the seats."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from wagtail.models import Locale

from kokreative_wagtail.events.models import EventIndexPage, EventPage
from kokreative_wagtail.registrations import dates, seats
from kokreative_wagtail.registrations.choices import Status
from kokreative_wagtail.registrations.models import RegistrationField, RegistrationOptions

from ..factories import add_page
from ..registrations.factories import next_thursday, person
from .test_localize import string_paths, sync, translate

STRINGS = {
    "Termine": "Events",
    "termine": "events",
    "Willkommen": "Welcome",
    "Infosalon": "Info salon",
    "infosalon": "info-salon",
    "Ich bin einverstanden, dass meine Angaben gespeichert werden.": "I agree that my details "
    "are stored.",
    "Ich bin …": "I am …",
}


@pytest.fixture
def en(db) -> Locale:
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def event(site_root) -> EventPage:
    index = add_page(site_root, EventIndexPage, title="Termine", slug="termine")
    start = next_thursday()
    page = EventPage(
        title="Infosalon",
        slug="infosalon",
        start=start,
        end=start + timedelta(minutes=90),
        time_zone="Europe/Berlin",
    )
    index.add_child(instance=page)
    page.registration_options.add(
        RegistrationOptions(
            seats=2, consent_text="Ich bin einverstanden, dass meine Angaben gespeichert werden."
        )
    )
    page.registration_fields.add(
        RegistrationField(label="Ich bin …", field_type="singleline", required=False)
    )
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


@pytest.mark.django_db
def test_a_translation_shares_the_seats_and_speaks_its_language(event, en):
    en_event = translate(event, en, STRINGS)
    # what a translator sees: the consent text and the fields' labels, not the settings
    paths = string_paths(event)
    assert any(p.startswith("registration_options.") and p.endswith("consent_text") for p in paths)
    assert any(p.startswith("registration_fields.") and p.endswith("label") for p in paths)
    assert not any(p.endswith(".seats") for p in paths)
    [options] = en_event.registration_options.all()
    assert options.consent_text == "I agree that my details are stored."
    assert options.locale_id == en.pk and options.seats == 2
    assert [f.label for f in en_event.registration_fields.all()] == ["I am …"]

    # the source gets more seats; the sync brings them to the translation
    source_options = event.registration_options.first()
    source_options.seats = 3
    source_options.save()
    event.save_revision().publish()
    en_event = sync(EventPage.objects.get(pk=event.pk), en)
    assert en_event.registration_options.first().seats == 3

    original = dates.date_states(event)[0].original_start
    kwargs = {"original_start": original, "seats": 3, "waiting_list": True, "double_opt_in": False}
    with TestCase.captureOnCommitCallbacks(execute=True):
        german = seats.register(page=event, person=person(1), **kwargs).registration
        english = seats.register(page=en_event, person=person(2), **kwargs).registration
        third = seats.register(page=event, person=person(3), **kwargs).registration
        fourth = seats.register(page=en_event, person=person(4), **kwargs).registration
    assert german.date_id == english.date_id  # one date, one set of seats
    assert [r.status for r in (german, english, third, fourth)] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITING,
    ]
    [english_state] = dates.date_states(en_event)
    assert (english_state.taken, english_state.waiting) == (3, 1)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert "Info salon" in subjects["person2@example.org"]
    assert subjects["person2@example.org"].startswith("Registration confirmed")
    assert subjects["person1@example.org"].startswith("Anmeldung bestätigt")
