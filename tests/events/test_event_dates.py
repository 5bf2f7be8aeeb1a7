"""German dates typed into the event editor are read as typed, or rejected; never "now".

Wagtail's datetime picker replaced text it could not parse (``14.01.2027 10:00`` against its
``Y-m-d H:i``) with the current date and time on leaving the field.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from kokreative_wagtail.events.date_widgets import (
    LocalizedAdminDateTimeInput,
    admin_datetime_format,
    datetime_input_formats,
)
from kokreative_wagtail.events.models import EventPage

from .factories import contributed_inlines, create_event, create_event_index

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def event_form(zone: str = "Europe/Berlin"):
    form_class = EventPage.get_edit_handler().get_form_class()
    return form_class(instance=EventPage(time_zone=zone), for_user=None)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14.01.2027 10:00", datetime(2027, 1, 14, 10, 0)),
        ("14.1.2027 10:00", datetime(2027, 1, 14, 10, 0)),
        ("14.01.2027", datetime(2027, 1, 14, 0, 0)),
        ("14.01.2027 10:00:30", datetime(2027, 1, 14, 10, 0, 30)),
        ("2027-01-14 10:00", datetime(2027, 1, 14, 10, 0)),  # what Wagtail used to show
        ("14.07.2027 10:00", datetime(2027, 7, 14, 10, 0)),  # summer time
    ],
)
def test_german_input_is_the_typed_wall_time_in_the_events_zone(typed, expected):
    with translation.override("de"):
        form = event_form()
        for name in ("start", "end", "online_link_visible_from"):
            assert form.fields[name].clean(typed) == expected.replace(tzinfo=BERLIN), name


def test_the_events_own_zone_still_applies():
    with translation.override("de"):
        value = event_form("America/New_York").fields["start"].clean("14.01.2027 10:00")
    assert value == datetime(2027, 1, 14, 10, 0, tzinfo=NEW_YORK)


@pytest.mark.parametrize("typed", ["32.13.2027", "14.01.2027 25:00", "31.02.2027", "morgen"])
def test_unreadable_input_is_a_form_error_never_now(typed):
    with translation.override("de"):
        field = event_form().fields["start"]
        with pytest.raises(forms.ValidationError) as excinfo:
            field.clean(typed)
    assert excinfo.value.code == "invalid"
    year = timezone.localdate().year
    assert f"31.12.{year} 18:30" in excinfo.value.messages[0]  # an example in the shown format


def test_english_admin_keeps_wagtails_format_and_still_reads_german():
    with translation.override("en"):
        form = event_form()
        assert admin_datetime_format() == "%Y-%m-%d %H:%M"
        assert form.fields["start"].widget.get_config()["format"] == "Y-m-d H:i"
        assert form.fields["start"].clean("14.01.2027 10:00") == datetime(
            2027, 1, 14, 10, 0, tzinfo=BERLIN
        )


def test_widget_keeps_typed_text_and_shows_the_admin_languages_format():
    widget = LocalizedAdminDateTimeInput()  # built outside a request: the format comes later
    with translation.override("de"):
        config = widget.get_config()
        html = widget.render("start", datetime(2027, 1, 14, 10, 0), {"id": "id_start"})
    assert config["validateOnBlur"] is False
    assert config["format"] == "d.m.Y H:i"
    assert 'value="14.01.2027 10:00"' in html
    assert '"validateOnBlur": false' in html  # the inline script passes it to the picker
    with translation.override("en"):
        assert widget.get_config()["format"] == "Y-m-d H:i"
        assert widget.get_config()["validateOnBlur"] is False


def test_site_setting_wins_over_the_language(settings):
    settings.WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
    with translation.override("de"):
        assert LocalizedAdminDateTimeInput().get_config()["format"] == "d/m/Y H:i"
        assert datetime_input_formats()[0] == "%d/%m/%Y %H:%M"
        assert event_form().fields["start"].clean("14/01/2027 10:00") == datetime(
            2027, 1, 14, 10, 0, tzinfo=BERLIN
        )


def test_every_datetime_field_of_the_form_gets_the_widget():
    """Including the inline panel's template for an added change (``formset.empty_form``)."""
    with translation.override("de"):
        form = event_form()
        overrides = form.formsets["overrides"]
        children = {"page": form, "added change": overrides.empty_form}
        seen = set()
        for where, child in children.items():
            for name, field in child.fields.items():
                if isinstance(field, forms.DateTimeField):
                    seen.add(name)
                    assert isinstance(field.widget, LocalizedAdminDateTimeInput), (where, name)
                    assert field.widget.get_config()["validateOnBlur"] is False
                    assert field.widget.get_config()["format"] == "d.m.Y H:i"
        empty = overrides.empty_form.fields["original_start"]
        assert empty.clean("14.1.2027 10:00") == datetime(2027, 1, 14, 10, 0, tzinfo=BERLIN)
    assert {"start", "end", "online_link_visible_from"} <= seen
    assert {"original_start", "new_start", "new_end"} <= seen


@pytest.fixture
def event(site_root):
    return create_event(create_event_index(site_root), datetime(2026, 1, 8, 16, 30, tzinfo=BERLIN))


def edit_data(start: str, end: str, overrides=()) -> dict:
    return nested_form_data(
        {
            "title": "Community of Practice",
            "slug": "cop",
            "teaser": "",
            "start": start,
            "end": end,
            "time_zone": "Europe/Berlin",
            "recurrence": "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH",
            "body": streamfield([]),
            "online_link_visibility": "registered",
            **contributed_inlines(),
            "overrides": inline_formset(list(overrides)),
            "action-publish": "publish",
        }
    )


def test_german_admin_post_stores_the_typed_start(admin_client, event):
    url = reverse("wagtailadmin_pages:edit", args=(event.pk,))
    edit = admin_client.get(url).content.decode()
    assert 'value="08.01.2026 16:30"' in edit  # shown the German way, in the event's zone
    override = {
        "original_start": "11.2.2027 16:30",
        "action": "move",
        "new_start": "12.02.2027 10:00",
        "new_end": "12.02.2027 11:30",
        "location_name": "",
        "location_address": "",
        "note": "",
    }
    response = admin_client.post(url, edit_data("14.01.2027 16:30", "14.01.2027 18:00", [override]))
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.start == datetime(2027, 1, 14, 16, 30, tzinfo=BERLIN)
    assert event.end == datetime(2027, 1, 14, 18, 0, tzinfo=BERLIN)
    [stored] = event.overrides.all()
    assert stored.original_start == datetime(2027, 2, 11, 16, 30, tzinfo=BERLIN)
    assert stored.new_start == datetime(2027, 2, 12, 10, 0, tzinfo=BERLIN)
    assert stored.new_end == datetime(2027, 2, 12, 11, 30, tzinfo=BERLIN)


def test_german_admin_post_with_a_date_only_start_is_midnight(admin_client, event):
    url = reverse("wagtailadmin_pages:edit", args=(event.pk,))
    response = admin_client.post(url, edit_data("14.01.2027", "14.01.2027 18:00"))
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.start == datetime(2027, 1, 14, 0, 0, tzinfo=BERLIN)


def test_unreadable_start_is_a_visible_error_and_nothing_is_stored(admin_client, event):
    url = reverse("wagtailadmin_pages:edit", args=(event.pk,))
    response = admin_client.post(url, edit_data("32.13.2027 10:00", "14.01.2027 18:00"))
    assert response.status_code == 200
    assert [error.code for error in response.context["form"].errors.as_data()["start"]] == [
        "invalid"
    ]
    html = response.content.decode()
    assert 'value="32.13.2027 10:00"' in html  # the typed text comes back to be corrected
    assert f"31.12.{timezone.localdate().year} 18:30" in html
    event.refresh_from_db()
    assert event.start == datetime(2026, 1, 8, 16, 30, tzinfo=BERLIN)
