"""The event's repeat editor: its choices round-trip every rule it can show, keep what it cannot
show as text, name the control at fault for bad input, and render labelled native controls."""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import recurrence
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from kokreative_wagtail.events.fields import UnreadableRecurrence, serialize
from kokreative_wagtail.events.recurrence_editor import RecurrenceEditorField
from kokreative_wagtail.events.recurrence_values import (
    CUSTOM,
    editor_values,
    empty_values,
    recurrence_from,
)

from .factories import contributed_inlines, create_event, create_event_index

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")

SHOWN_BY_CONTROLS = [
    "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH",
    "RRULE:FREQ=DAILY;COUNT=10",
    "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR",
    "RRULE:FREQ=MONTHLY;BYDAY=1TH",
    "RRULE:FREQ=MONTHLY;BYDAY=-1FR",
    "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1",
    "RRULE:FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
    "RRULE:FREQ=YEARLY;BYDAY=2MO;BYMONTH=3,9",
    "RRULE:FREQ=YEARLY",
    # what the editor writes for "ends on 31 December 2027" and an excluded 6 January
    "RRULE:FREQ=WEEKLY;UNTIL=20271231T225959Z;BYDAY=MO,WE\nEXDATE:20270105T230000Z",
    "RDATE:20270301T153000Z",  # a single date plus one more
    # written by django-recurrence's widget or an import: other local times, kept exactly
    "RRULE:FREQ=WEEKLY;UNTIL=20271231T000000Z;BYDAY=TH\nEXDATE:20270107T153000Z",
]

ONLY_AS_TEXT = [
    "RRULE:FREQ=WEEKLY;BYHOUR=9,17",
    "RRULE:FREQ=WEEKLY;BYDAY=TH\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1",
    "RRULE:FREQ=WEEKLY;BYDAY=TH\nEXRULE:FREQ=MONTHLY;BYDAY=1TH",
    "RRULE:FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=2",
    "RRULE:FREQ=WEEKLY;WKST=SU;INTERVAL=2;BYDAY=TH",
    "RRULE:FREQ=DAILY;BYDAY=MO,TU",
    "RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15",
    "RRULE:FREQ=MONTHLY;BYDAY=5TH",
    "RRULE:FREQ=MONTHLY;BYMONTH=3",
    "RDATE:20270301T153012Z",  # seconds, which the minute inputs cannot show
]


@pytest.mark.parametrize("text", SHOWN_BY_CONTROLS)
def test_a_rule_the_controls_show_comes_back_unchanged(text):
    values = editor_values(recurrence.deserialize(text), BERLIN)
    assert values["freq"] != CUSTOM
    assert serialize(recurrence_from(values, BERLIN)) == text


@pytest.mark.parametrize("text", ONLY_AS_TEXT)
def test_a_rule_the_controls_cannot_show_is_kept_as_text(text):
    values = editor_values(recurrence.deserialize(text), BERLIN)
    assert values["freq"] == CUSTOM
    assert values["text"] == serialize(recurrence.deserialize(text))
    assert serialize(recurrence_from(values, BERLIN)) == values["text"]


def test_unreadable_stored_text_is_shown_as_it_is():
    values = editor_values(UnreadableRecurrence("RRULE:FREQ=SOMETIMES"), BERLIN)
    assert (values["freq"], values["text"]) == (CUSTOM, "RRULE:FREQ=SOMETIMES")
    assert editor_values(None, BERLIN) == empty_values()


def test_choices_become_the_rule():
    choices = {
        **empty_values(),
        "freq": "WEEKLY",
        "interval": "4",
        "weekdays": ["TH", "MO", "TH"],
        "end": "until",
        "until": "31.12.2027",  # typed the German way, without the picker
        "rdates": ["2027-03-02T10:00", ""],
        "exdates": ["2027-01-07", ""],
    }
    value = recurrence_from(choices, BERLIN)
    assert serialize(value) == (
        "RRULE:FREQ=WEEKLY;INTERVAL=4;UNTIL=20271231T225959Z;BYDAY=MO,TH\n"
        "RDATE:20270302T090000Z\n"
        "EXDATE:20270106T230000Z"
    )
    assert recurrence_from(empty_values(), BERLIN) is None  # a single date


def test_dates_are_local_to_the_events_zone():
    choices = {**empty_values(), "rdates": ["2027-01-14T16:30"], "exdates": ["2027-07-04"]}
    assert serialize(recurrence_from(choices, NEW_YORK)) == (
        "RDATE:20270114T213000Z\nEXDATE:20270704T040000Z"
    )
    assert editor_values(recurrence_from(choices, NEW_YORK), NEW_YORK)["rdates"] == [
        "2027-01-14T16:30"
    ]


def messages(choices: dict) -> list[str]:
    with pytest.raises(ValidationError) as raised, translation.override("de"):
        recurrence_from({**empty_values(), **choices}, BERLIN)
    return raised.value.messages


@pytest.mark.parametrize(
    ("choices", "expected"),
    [
        ({"freq": "WEEKLY", "interval": "0"}, "„Alle …“ muss eine Zahl von 1 bis 1000 sein."),
        ({"freq": "WEEKLY", "interval": "abc"}, "„Alle …“ muss eine Zahl von 1 bis 1000 sein."),
        ({"freq": "DAILY", "interval": "1001"}, "„Alle …“ muss eine Zahl von 1 bis 1000 sein."),
        (
            {"freq": "DAILY", "end": "count", "count": ""},
            "„Nach … Terminen“ muss eine Zahl von 1 bis 1000 sein.",
        ),
        ({"freq": "DAILY", "end": "until", "until": "31.02.2027"}, "„Endet am“ braucht ein Datum."),
        (
            {"rdates": ["2027-01-14"]},
            "Zusätzliche Termine: „2027-01-14“ ist kein Datum mit Beginn.",
        ),
        ({"exdates": ["morgen"]}, "Ausgelassene Termine: „morgen“ ist kein Datum."),
        (
            {"freq": "MONTHLY", "day_mode": "monthday", "monthday": "40"},
            "Wählt einen Tag des Monats.",
        ),
        (
            {"freq": "YEARLY", "day_mode": "weekday", "ordinal": "9"},
            "Wählt, an welchem Wochentag im Monat.",
        ),
        ({"freq": "HOURLY"}, "Wählt, wie oft die Veranstaltung sich wiederholt."),
    ],
)
def test_bad_choices_name_the_control(choices, expected):
    assert messages(choices) == [expected]


def test_several_bad_choices_are_all_reported():
    found = messages({"freq": "WEEKLY", "interval": "-3", "exdates": ["x", "2027-02-30"]})
    assert len(found) == 3


def test_unreadable_rule_text_is_an_error_with_an_example():
    [message] = messages({"freq": CUSTOM, "text": "RRULE:FREQ=SOMETIMES"})
    assert message.startswith("Der Regeltext kann nicht gelesen werden")
    assert "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH" in message


def test_field_has_changed_only_when_the_rule_changes():
    field = RecurrenceEditorField()
    stored = recurrence.deserialize("RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH")
    same = editor_values(stored, BERLIN)
    assert not field.has_changed(stored, same)
    assert field.has_changed(stored, {**same, "interval": "2"})
    assert field.has_changed(stored, {**same, "interval": "x"})


class Controls(HTMLParser):
    """Every form control of the editor with how it is labelled."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.open_labels = 0
        self.links: list[str] = []
        self.cells = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea", "button") and attrs.get("type") != "hidden":
            self.controls.append({**attrs, "tag": tag, "in_label": self.open_labels > 0})
        elif tag == "a":
            self.links.append(attrs.get("href", ""))
        elif tag == "td":
            self.cells += 1

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


def test_every_control_is_native_and_labelled():
    field = RecurrenceEditorField()
    with translation.override("de"):
        html = field.widget.render(
            "recurrence",
            recurrence.deserialize("RRULE:FREQ=WEEKLY;BYDAY=TH\nEXDATE:20270106T230000Z"),
            {"id": "id_recurrence"},
        )
    parser = Controls()
    parser.feed(html)
    assert parser.links == [] and parser.cells == 0  # no javascript: links, no clickable cells
    assert len(parser.controls) > 30
    for control in parser.controls:
        if control["tag"] == "button":
            continue  # named by its text
        labelled = control["in_label"] or control.get("id") in parser.label_for
        # the frequency select is labelled by the field's own label ("Wiederholung")
        assert labelled or control.get("id") == "id_recurrence", control
    assert "Wöchentlich" in html and "Donnerstag" in html and "Ausgelassener Termin 1" in html
    assert not re.search(r">\s*(Every|Never|Ends|Additional dates)\s*<", html)


@pytest.fixture
def event(site_root):
    start = datetime(2027, 1, 14, 16, 30, tzinfo=BERLIN)
    return create_event(create_event_index(site_root), start, rule=SHOWN_BY_CONTROLS[0])


def post_data(**choices) -> dict:
    editor = {**empty_values(), **choices}
    data = {
        "title": "Community of Practice",
        "slug": "cop",
        "teaser": "",
        "start": "14.01.2027 16:30",
        "end": "14.01.2027 18:00",
        "time_zone": "Europe/Berlin",
        "body": streamfield([]),
        "online_link_visibility": "registered",
        **contributed_inlines(),
        "overrides": inline_formset([]),
        "action-publish": "publish",
    }
    form = nested_form_data(data)
    for key, value in editor.items():
        form[f"recurrence-{key}"] = value
    return form


def test_admin_stores_the_editors_choices(admin_client, event):
    url = reverse("wagtailadmin_pages:edit", args=(event.pk,))
    html = admin_client.get(url).content.decode()
    assert 'name="recurrence-freq"' in html and "recurrence-editor.js" in html
    assert "recurrence/js/" not in html and "recurrence-jsi18n" not in html  # the library's
    response = admin_client.post(
        url, post_data(freq="WEEKLY", interval="4", weekdays=["TH"], exdates=["2027-02-11"])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event.refresh_from_db()
    assert serialize(event.recurrence) == (
        "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH\nEXDATE:20270210T230000Z"
    )


def test_admin_error_keeps_what_was_typed(admin_client, event):
    url = reverse("wagtailadmin_pages:edit", args=(event.pk,))
    response = admin_client.post(
        url, post_data(freq="WEEKLY", interval="null", weekdays=["TU"], rdates=["2027-05-05T9"])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "„Alle …“ muss eine Zahl von 1 bis 1000 sein." in html
    assert 'value="null"' in html and 'value="2027-05-05T9"' in html
    assert re.search(r'value="TU"\s+checked', html)
    event.refresh_from_db()
    assert serialize(event.recurrence) == "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"


@pytest.mark.parametrize(
    ("choices", "zone", "expected"),
    [
        # local times whose UTC falls before year 1 or after 9999: no OverflowError, a message
        ({"rdates": ["0001-01-01T00:30"]}, BERLIN, "Zusätzliche Termine: „0001-01-01T00:30“"),
        ({"exdates": ["0001-01-01"]}, BERLIN, "Ausgelassene Termine: „0001-01-01“"),
        ({"freq": "DAILY", "end": "until", "until": "9999-12-31"}, NEW_YORK, "„Endet am“"),
        ({"freq": "DAILY", "interval": "\x00"}, BERLIN, "„Alle …“"),
        ({"freq": "WEEKLY", "interval": "9" * 400}, BERLIN, "„Alle …“"),
        ({"exdates": ["2027-01-07\x00"]}, BERLIN, "Ausgelassene Termine:"),
        ({"freq": CUSTOM, "text": "RRULE:FREQ=DAILY\x00"}, BERLIN, "Der Regeltext"),
    ],
)
def test_bad_bytes_and_the_edges_of_the_calendar_are_messages(choices, zone, expected):
    with pytest.raises(ValidationError) as raised, translation.override("de"):
        recurrence_from({**empty_values(), **choices}, zone)
    assert raised.value.messages[0].startswith(expected)


def test_the_last_and_first_years_still_work_where_utc_allows():
    late = recurrence_from({**empty_values(), "rdates": ["9999-12-31T23:59"]}, BERLIN)
    assert serialize(late) == "RDATE:99991231T225900Z"
