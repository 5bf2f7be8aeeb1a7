"""WCAG points of the default templates a unit test can check (issue 19, forms and events):
the error summary links every field kind to its first input and takes the focus, an event page's
dates repeat no heading, and a moved date names its original date wherever it is listed."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext

from kokreative_wagtail import spam
from kokreative_wagtail.consultations.models import ConsultationFormField
from kokreative_wagtail.events.models import OccurrenceOverride

from ..consultations.factories import create_consultation_page, old_token
from ..events.factories import create_event, create_event_index
from ..html_audit import audit_html

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
CHOICES = "Erstens\nZweitens\nDrittens"
#: Every kind of field Wagtail's form builder offers (the hidden one has no error to show).
FIELD_KINDS = [
    "singleline",
    "multiline",
    "email",
    "number",
    "url",
    "checkbox",
    "checkboxes",
    "dropdown",
    "multiselect",
    "radio",
    "date",
    "datetime",
]


class _Page(HTMLParser):
    """The ids of the form's controls, the error summary's links and where the focus goes."""

    def __init__(self) -> None:
        super().__init__()
        self.control_ids: set[str] = set()
        self.summary_links: list[str] = []
        self.autofocus: list[dict] = []
        self.title = ""
        self._in_summary = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"input", "select", "textarea"} and attributes.get("id"):
            self.control_ids.add(attributes["id"])
        if "autofocus" in attributes:
            self.autofocus.append(attributes)
        if attributes.get("id") == "kk-form-message":
            self._in_summary = 1
        elif self._in_summary and tag not in {"input", "br"}:
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self.summary_links.append(attributes.get("href", ""))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if self._in_summary:
            self._in_summary -= 1
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(html: str) -> _Page:
    parser = _Page()
    parser.feed(html)
    return parser


@pytest.fixture
def every_field_kind_page(site_root):
    fields = [
        ConsultationFormField(
            label=f"Feld {kind}",
            field_type=kind,
            required=True,
            choices=CHOICES if kind in {"checkboxes", "dropdown", "multiselect", "radio"} else "",
        )
        for kind in FIELD_KINDS
    ]
    return create_consultation_page(site_root, fields=fields, slug="alle-felder")


def test_the_error_summary_links_every_field_kind_to_its_first_input(client, every_field_kind_page):
    page = every_field_kind_page
    data = {spam.TOKEN_FIELD: old_token(page), spam.HONEYPOT_FIELD: ""}
    html = client.post(page.url, data).content.decode()
    found = parse(html)
    # one link per editor field and one for the privacy consent, none to "#"
    assert len(found.summary_links) == len(FIELD_KINDS) + 1, found.summary_links
    for href in found.summary_links:
        assert href.startswith("#") and href[1:] in found.control_ids, (href, found.control_ids)
    names = {f.clean_name: f.field_type for f in page.form_fields.all()}
    for name, kind in names.items():
        first = f"#id_{name}_0" if kind in {"checkboxes", "radio"} else f"#id_{name}"
        assert first in found.summary_links, (kind, found.summary_links)
    assert audit_html(html).problems() == []


def test_an_invalid_value_is_linked_too(client, every_field_kind_page):
    page = every_field_kind_page
    number = page.form_fields.get(field_type="number").clean_name
    data = {spam.TOKEN_FIELD: old_token(page), spam.HONEYPOT_FIELD: "", number: "zwölf"}
    found = parse(client.post(page.url, data).content.decode())
    assert f"#id_{number}" in found.summary_links


def test_the_error_summary_takes_the_focus_and_names_the_error_in_the_title(
    client, every_field_kind_page
):
    page = every_field_kind_page
    found = parse(client.get(page.url).content.decode())
    assert found.autofocus == [] and not found.title.strip().startswith(gettext("Error:"))
    data = {spam.TOKEN_FIELD: old_token(page), spam.HONEYPOT_FIELD: ""}
    found = parse(client.post(page.url, data).content.decode())
    [summary] = found.autofocus
    assert summary["id"] == "kk-form-message"
    assert summary["tabindex"] == "-1" and summary["role"] == "alert"
    assert found.title.strip().startswith(gettext("Error:") + " " + page.title)


# --- events ------------------------------------------------------------------------------------


@pytest.fixture
def moved_series(site_root):
    """A weekly Thursday 16:30 series of ten dates; its third date moved by a day."""
    index = create_event_index(site_root)
    today = datetime.now(BERLIN).date() + timedelta(days=1)
    thursday = today + timedelta(days=(3 - today.weekday()) % 7)
    first = datetime(thursday.year, thursday.month, thursday.day, 16, 30, tzinfo=BERLIN)
    page = create_event(index, first, rule="RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=10")
    original = first + timedelta(weeks=2)
    page.overrides.add(
        OccurrenceOverride(
            original_start=original,
            action="move",
            new_start=original + timedelta(days=1),
            new_end=original + timedelta(days=1, minutes=90),
        )
    )
    page.save_revision().publish()
    return index, page, original


def moved_from(original: datetime) -> re.Pattern:
    """The moved date's note: "Moved from" (translated) and the original date in a <time>."""
    shown = re.escape(original.strftime("%d.%m.%Y, %H:%M"))
    iso = re.escape(original.isoformat())
    return re.compile(rf'[^<>]+ <time datetime="{iso}">{shown}</time>')


def test_an_event_page_repeats_no_heading(client, moved_series):
    _, page, _ = moved_series
    html = client.get(page.url).content.decode()
    headings = [text for _, text in audit_html(html).headings]
    assert len(headings) == len(set(headings)), headings
    assert headings.count(page.title) == 1
    assert html.count('class="kk-occurrence"') == 10  # every date listed, none a heading
    assert audit_html(html).problems() == []


def test_the_event_list_and_the_upcoming_block_repeat_no_heading(client, moved_series, programme):
    """The index names each day once; the block's dates are links: a series of ten dates
    gave ten headings of one title in both."""
    index, page, _ = moved_series
    programme.body = [("upcoming_events", {"heading": "Termine", "count": 4})]
    programme.save_revision().publish()
    for url in (index.url, programme.url):
        html = client.get(url).content.decode()
        headings = [text for _, text in audit_html(html).headings]
        assert len(headings) == len(set(headings)), (url, headings)
        assert page.title not in headings, url
        assert html.count(f">{page.title}</a>") >= 4, url  # every date still names its event


def test_a_moved_date_names_its_original_date_on_the_event_page(client, moved_series):
    _, page, original = moved_series
    html = client.get(page.url).content.decode()
    assert len(moved_from(original).findall(html)) == 1, html


def test_a_moved_date_names_its_original_date_in_the_list(client, moved_series):
    index, _, original = moved_series
    html = client.get(index.url).content.decode()
    assert len(moved_from(original).findall(html)) == 1, html
    assert audit_html(html).problems() == []


def test_a_moved_date_names_its_original_date_in_the_month_view(client, moved_series):
    index, _, original = moved_series
    moved = original + timedelta(days=1)
    html = client.get(f"{index.url}?view=month&month={moved:%Y-%m}").content.decode()
    note = moved_from(original)
    assert len(note.findall(html)) == 1, html
    # the note is in the moved date's own entry of the calendar
    entries = re.findall(r'<p class="kk-calendar-entry[^"]*">(.*?)</p>', html, re.S)
    assert [e for e in entries if note.search(e)], entries
    assert audit_html(html).problems() == []
