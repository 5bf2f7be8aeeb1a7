"""Registration switched on, changed and off in the event page's editor (the contributed
inline panels), with a single date's own seats under "Changes to single occurrences"."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from kokreative_wagtail.events.models import EventPage
from kokreative_wagtail.registrations import dates
from kokreative_wagtail.registrations.models import RegistrationOptions

from ..events.factories import add_event, create_event_index
from .factories import COP_RULE, next_thursday

pytestmark = pytest.mark.django_db

OPTIONS = {
    "mode": "date",
    "seats": "12",
    "waiting_list": "on",
    "opens_days_before": "",
    "closes_hours_before": "2",
    "ask_organisation": "on",
    "reminder_hours_before": "24",
    "consent_text": "",
}


def edit_data(page, *, options=(), fields=(), overrides=(), initial_options=0):
    start = timezone.localtime(page.start, page.zone)
    end = timezone.localtime(page.end, page.zone)
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "teaser": "",
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": end.strftime("%Y-%m-%d %H:%M"),
            "time_zone": page.time_zone,
            "recurrence": COP_RULE,
            "body": streamfield([]),
            "online_link_visibility": "registered",
            "registration_options": inline_formset(list(options), initial=initial_options),
            "registration_fields": inline_formset(list(fields)),
            "overrides": inline_formset(list(overrides)),
            "action-publish": "publish",
        }
    )


@pytest.fixture
def page(site_root):
    start = next_thursday()
    return add_event(
        create_event_index(site_root), "Werkstatt", start, start.replace(hour=18), rule=COP_RULE
    )


def url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def test_the_editor_offers_the_settings_in_the_registration_panel(admin_client, page):
    html = admin_client.get(url(page)).content.decode()
    assert 'id="id_registration_options-TOTAL_FORMS"' in html
    assert 'id="id_registration_fields-TOTAL_FORMS"' in html
    assert 'name="overrides-__prefix__-seats"' in html


def test_switched_on_with_a_field_and_a_dates_own_seats_then_off(admin_client, page):
    second = page.start + timezone.timedelta(weeks=4)
    local = timezone.localtime(second, page.zone).strftime("%Y-%m-%d %H:%M")
    response = admin_client.post(
        url(page),
        edit_data(
            page,
            options=[OPTIONS],
            fields=[{"label": "Ich bin …", "field_type": "singleline", "required": ""}],
            overrides=[{"original_start": local, "action": "details", "seats": "4", "note": ""}],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = EventPage.objects.get(pk=page.pk)
    [options] = page.registration_options.all()
    assert (options.seats, options.closes_hours_before, options.waiting_list) == (12, 2, True)
    assert [f.label for f in page.registration_fields.all()] == ["Ich bin …"]
    assert dates.date_state(page, page.start).seats == 12
    assert dates.date_state(page, second).seats == 4

    response = admin_client.post(
        url(page),
        edit_data(
            page,
            options=[{**OPTIONS, "id": str(options.pk), "DELETE": "on"}],
            initial_options=1,
        ),
    )
    assert response.status_code == 302
    assert not RegistrationOptions.objects.filter(page=page).exists()
    assert dates.date_states(EventPage.objects.get(pk=page.pk)) == []


def test_bad_settings_are_field_errors_and_nothing_changes(admin_client, page):
    response = admin_client.post(
        url(page), edit_data(page, options=[{**OPTIONS, "seats": "0", "closes_hours_before": "x"}])
    )
    assert response.status_code == 200
    errors = response.context["form"].formsets["registration_options"].forms[0].errors
    assert set(errors) == {"seats", "closes_hours_before"}
    assert not RegistrationOptions.objects.filter(page=page).exists()


def test_a_page_has_one_set_of_settings_at_most(admin_client, page):
    response = admin_client.post(url(page), edit_data(page, options=[OPTIONS, OPTIONS]))
    assert response.status_code == 200
    assert response.context["form"].formsets["registration_options"].non_form_errors()
    assert not RegistrationOptions.objects.filter(page=page).exists()
