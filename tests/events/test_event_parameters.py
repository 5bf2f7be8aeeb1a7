"""Out-of-range and malformed dates, months and numbers in GET parameters: never a 500.

HTML listings show the error in the filter form and render their default view (200); the JSON API
answers 400 with the parameter named in ``errors``. The year range is ``MIN_YEAR``..``MAX_YEAR``
of ``events.occurrences``; its edge months and dates work.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.html import escape

from kokreative_wagtail.api_utils import MAX_ID
from kokreative_wagtail.events.models import EventIndexPage
from kokreative_wagtail.events.occurrences import MAX_YEAR, MIN_YEAR

from ..consultations.factories import create_consultation_page
from ..factories import add_page
from ..html_audit import audit_html
from ..offers.factories import create_offer, create_offer_index
from .factories import add_event

pytestmark = pytest.mark.django_db

API = "/api/kokreative/v1"
BERLIN = ZoneInfo("Europe/Berlin")
#: Larger than any database integer (and than ``datetime``'s years).
HUGE = "9" * 20
#: More digits than Python's ``int()`` accepts from text by default (4300).
TOO_MANY_DIGITS = "1" * 5000
FIRST_MONTH, LAST_MONTH = f"{MIN_YEAR}-01", f"{MAX_YEAR}-12"
FIRST_DAY, LAST_DAY = f"{MIN_YEAR}-01-01", f"{MAX_YEAR}-12-31"


@pytest.fixture
def event_index(site_root) -> EventIndexPage:
    return add_page(site_root, EventIndexPage, title="Termine", slug="termine")


@pytest.fixture
def edge_events(event_index):
    """One-off events in the first and the last month of the range."""
    first = datetime(MIN_YEAR, 1, 15, 10, 0, tzinfo=BERLIN)
    last = datetime(MAX_YEAR, 12, 31, 20, 0, tzinfo=BERLIN)
    return (
        add_event(event_index, "Jahrhundertbeginn", first, first + timedelta(hours=2)),
        add_event(event_index, "Jahrhundertende", last, last + timedelta(hours=2)),
    )


@pytest.fixture
def offer_index(site_root, elements):
    index = create_offer_index(site_root)
    create_offer(index, title="Zukunftswerkstatt", elements=elements[:1])
    return index


def this_month() -> str:
    return timezone.localtime(timezone.now(), BERLIN).strftime("%Y-%m")


def assert_api_error(response, field: str, fragments: tuple[str, ...] = ()) -> None:
    """400 in the documented shape, ``field`` named, its messages containing ``fragments``."""
    assert response.status_code == 400, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert field in body["errors"], body
    messages = body["errors"][field]
    assert messages and all(isinstance(m, str) and m for m in messages)
    for fragment in fragments:
        assert any(fragment in m for m in messages), (fragment, messages)


# --- the event index (HTML) --------------------------------------------------------------------

RANGE = (FIRST_MONTH, LAST_MONTH)  # the range message names both ends

BAD_INDEX_PARAMS = [
    ({"view": "month", "month": "9999-12"}, "month", RANGE),
    ({"view": "month", "month": "0001-01"}, "month", RANGE),
    ({"view": "month", "month": "0000-01"}, "month", RANGE),
    ({"view": "month", "month": f"{MIN_YEAR - 1}-12"}, "month", RANGE),
    ({"view": "month", "month": f"{MAX_YEAR + 1}-01"}, "month", RANGE),
    ({"month": "9999-12"}, "month", RANGE),  # the list view shows the error too
    ({"view": "month", "month": "10000-01"}, "month", ()),
    ({"view": "month", "month": "2026-00"}, "month", ()),
    ({"view": "month", "month": "2026-13"}, "month", ()),
    ({"view": "month", "month": HUGE}, "month", ()),
    ({"view": "month", "month": "-2026-01"}, "month", ()),
    ({"view": "month", "month": "\u0662\u0660\u0662\u0666-03"}, "month", ()),  # Arabic digits
    ({"view": "month", "month": "2026-03\x00"}, "month", ()),
    ({"offer": HUGE}, "offer", ()),
    ({"offer": f"-{HUGE}"}, "offer", ()),
    ({"offer": "0"}, "offer", ()),
    ({"offer": "1e400"}, "offer", ()),
    ({"offer": TOO_MANY_DIGITS}, "offer", ()),
    ({"offer": str(MAX_ID + 1), "view": "month"}, "offer", ()),
    ({"offer": HUGE, "past": "1"}, "offer", ()),
    ({"element": "x" * 200}, "element", ()),
    ({"element": "nope\x00"}, "element", ()),
    ({"element": HUGE, "past": "1"}, "element", ()),
    ({"view": HUGE}, "view", ()),
]


@pytest.mark.parametrize(
    ("params", "field", "fragments"), BAD_INDEX_PARAMS, ids=[repr(p) for p, *_ in BAD_INDEX_PARAMS]
)
def test_bad_index_parameter_shows_the_error_and_the_default_view(
    client, event_index, params, field, fragments
):
    response = client.get(event_index.url, params)
    assert response.status_code == 200
    form = response.context["filter_form"]
    assert field in form.errors, form.errors
    html = response.content.decode()
    for message in form.errors[field]:
        assert escape(message) in html
    for fragment in fragments:
        assert any(fragment in m for m in form.errors[field]), form.errors[field]
    view = response.context["view"]
    if params.get("view") == "month":
        assert view == "month"
        assert response.context["month_start"].strftime("%Y-%m") == this_month()
    else:
        assert view == ("past" if params.get("past") else "list")


@pytest.mark.parametrize(
    ("month", "title", "previous_month", "next_month"),
    [
        (FIRST_MONTH, "Jahrhundertbeginn", None, f"{MIN_YEAR}-02"),
        (LAST_MONTH, "Jahrhundertende", f"{MAX_YEAR}-11", None),
    ],
)
def test_edge_months_work_and_link_only_inside_the_range(
    client, edge_events, month, title, previous_month, next_month
):
    response = client.get(edge_events[0].get_parent().url, {"view": "month", "month": month})
    assert response.status_code == 200
    assert not response.context["filter_form"].errors
    assert response.context["month_start"].strftime("%Y-%m") == month
    assert [o.event.title for o in response.context["occurrences"]] == [title]
    assert response.context["previous_month"] == previous_month
    assert response.context["next_month"] == next_month
    html = response.content.decode()
    assert ('rel="prev"' in html) == (previous_month is not None)
    assert ('rel="next"' in html) == (next_month is not None)
    for linked in (previous_month, next_month):
        if linked:
            assert f"month={linked}" in html
    assert audit_html(html).problems() == []


def test_feeds_take_no_parameters(client, edge_events):
    """The calendar feeds read no query string: odd parameters change nothing."""
    index = edge_events[0].get_parent()
    for url in (f"{index.url}feed.ics", f"{edge_events[0].url}event.ics"):
        plain = client.get(url)
        odd = client.get(url, {"from": "9999-12-31", "month": "0001-01", "page": HUGE})
        assert plain.status_code == odd.status_code == 200
        assert without_dtstamp(odd.content) == without_dtstamp(plain.content)


def without_dtstamp(calendar: bytes) -> list[bytes]:
    """The lines of an iCalendar body but the DTSTAMPs (the time of the request)."""
    return [line for line in calendar.split(b"\r\n") if not line.startswith(b"DTSTAMP")]


# --- GET occurrences ---------------------------------------------------------------------------

DATE_RANGE = (FIRST_DAY, LAST_DAY)

BAD_OCCURRENCE_PARAMS = [
    ({"from": f"{MIN_YEAR - 1}-12-31"}, "from", DATE_RANGE),
    ({"from": f"{MIN_YEAR - 1}-12-31T23:59:59Z"}, "from", DATE_RANGE),
    ({"from": f"{MAX_YEAR + 1}-01-01"}, "from", DATE_RANGE),
    ({"from": f"{MAX_YEAR + 1}-01-01T00:00:00+14:00"}, "from", DATE_RANGE),
    ({"from": "9999-12-31"}, "from", DATE_RANGE),
    ({"from": "9999-12-31T23:59:59.999999-23:59"}, "from", DATE_RANGE),
    ({"from": "0001-01-01"}, "from", DATE_RANGE),
    ({"from": "0001-01-01T00:00:00+23:59"}, "from", DATE_RANGE),
    ({"from": "9998-12-01", "to": "9998-12-31"}, "from", DATE_RANGE),
    ({"from": "0002-01-01", "to": "0002-12-31"}, "from", DATE_RANGE),
    ({"from": "10000-01-01"}, "from", ()),
    ({"from": "\u0662\u0660\u0662\u0666-03-05"}, "from", ()),
    ({"from": HUGE}, "from", ()),
    ({"from": f"-{HUGE}"}, "from", ()),
    ({"to": f"{MAX_YEAR + 1}-01-01"}, "to", DATE_RANGE),
    ({"to": "9999-12-31"}, "to", DATE_RANGE),
    ({"to": f"{MIN_YEAR - 1}-12-31"}, "to", DATE_RANGE),
    ({"from": f"{MAX_YEAR}-12-01", "to": "2400-01-01"}, "to", DATE_RANGE),
    ({"from": f"{MAX_YEAR}-01-01", "to": "9999-12-31T23:59:59Z"}, "to", DATE_RANGE),
    ({"to": FIRST_DAY}, "to", ()),  # before the default start (now)
    ({"from": LAST_DAY, "to": f"{MAX_YEAR}-12-30"}, "to", ()),
    ({"from": FIRST_DAY, "to": LAST_DAY}, "to", ()),  # longer than MAX_WINDOW
    ({"to": HUGE}, "to", ()),
    ({"offer": HUGE}, "offer", ()),
    ({"offer": "0"}, "offer", ()),
    ({"offer": str(MAX_ID + 1)}, "offer", ()),
    ({"index": HUGE}, "index", ()),
    ({"index": "-1"}, "index", ()),
    ({"index": TOO_MANY_DIGITS}, "index", ()),
    ({"limit": HUGE}, "limit", ()),
    ({"limit": f"-{HUGE}"}, "limit", ()),
    ({"limit": "1e400"}, "limit", ()),
    ({"element": "kultur\x00"}, "element", ()),
    ({"locale": "de\x00"}, "locale", ()),
]


@pytest.mark.parametrize(
    ("params", "field", "fragments"),
    BAD_OCCURRENCE_PARAMS,
    ids=[repr(p) for p, *_ in BAD_OCCURRENCE_PARAMS],
)
def test_bad_occurrence_parameter_is_a_400_naming_it(client, event_index, params, field, fragments):
    assert_api_error(client.get(f"{API}/occurrences", params), field, fragments)


GOOD_OCCURRENCE_WINDOWS = [
    ({"from": FIRST_DAY, "to": f"{MIN_YEAR}-01-31"}, ["Jahrhundertbeginn"]),
    (
        {"from": f"{MIN_YEAR}-01-01T00:00:00+14:00", "to": f"{MIN_YEAR}-02-01"},
        ["Jahrhundertbeginn"],
    ),
    ({"from": f"{MAX_YEAR}-12-01", "to": LAST_DAY}, ["Jahrhundertende"]),
    # without ``to``: the default 90 days end with the range
    ({"from": f"{MAX_YEAR}-12-01"}, ["Jahrhundertende"]),
    ({"from": LAST_DAY}, ["Jahrhundertende"]),
    ({"from": f"{MAX_YEAR}-12-31T19:00:00Z"}, ["Jahrhundertende"]),
    ({"from": f"{MAX_YEAR}-12-31T23:30:00-12:00"}, []),  # after the last event, still in range
    ({"to": LAST_DAY, "from": f"{MAX_YEAR - 1}-01-01"}, ["Jahrhundertende"]),
]


@pytest.mark.parametrize(
    ("params", "titles"),
    GOOD_OCCURRENCE_WINDOWS,
    ids=[repr(p) for p, _t in GOOD_OCCURRENCE_WINDOWS],
)
def test_edge_windows_work(client, edge_events, params, titles):
    response = client.get(f"{API}/occurrences", params)
    assert response.status_code == 200, response.content[:500]
    assert [item["event"]["title"] for item in response.json()["items"]] == titles


# --- offers, elements and forms ----------------------------------------------------------------

BAD_OFFER_PARAMS = [
    ({"limit": HUGE}, "limit"),
    ({"limit": "0"}, "limit"),
    ({"limit": f"-{HUGE}"}, "limit"),
    ({"limit": "1e400"}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"offset": HUGE}, "offset"),
    ({"offset": str(MAX_ID + 1)}, "offset"),
    ({"offset": TOO_MANY_DIGITS}, "offset"),
    ({"index": HUGE}, "index"),
    ({"index": "0"}, "index"),
    ({"kind": HUGE}, "kind"),
    ({"format": "-1"}, "format"),
    ({"sort": HUGE}, "sort"),
    ({"audience": HUGE}, "audience"),
    ({"audience": "eltern\x00"}, "audience"),
    ({"element": "kultur\x00"}, "element"),
    ({"locale": "de\x00"}, "locale"),
]


@pytest.mark.parametrize(
    ("params", "field"), BAD_OFFER_PARAMS, ids=[repr(p) for p, _f in BAD_OFFER_PARAMS]
)
def test_bad_offer_parameter_is_a_400_naming_it(client, offer_index, params, field):
    assert_api_error(client.get(f"{API}/offers", params), field)


BAD_ELEMENT_PARAMS = [
    ({"limit": HUGE}, "limit"),
    ({"limit": "0"}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"offset": HUGE}, "offset"),
    ({"locale": "de\x00"}, "locale"),
]


@pytest.mark.parametrize(
    ("params", "field"), BAD_ELEMENT_PARAMS, ids=[repr(p) for p, _f in BAD_ELEMENT_PARAMS]
)
def test_bad_element_parameter_is_a_400_naming_it(client, elements, params, field):
    assert_api_error(client.get(f"{API}/elements", params), field)


@pytest.mark.parametrize("path", ["offers", "elements"])
def test_the_largest_offset_is_an_empty_page(client, offer_index, path):
    response = client.get(f"{API}/{path}", {"offset": MAX_ID})
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("page", [HUGE, f"-{HUGE}", "0", "1e400", TOO_MANY_DIGITS, "abc"])
def test_odd_offer_listing_page_numbers_show_a_page(client, offer_index, page):
    response = client.get(offer_index.url, {"page": page})
    assert response.status_code == 200
    assert "Zukunftswerkstatt" in response.content.decode()


@pytest.mark.parametrize("page_id", [HUGE, str(MAX_ID + 1), "0", "-1", TOO_MANY_DIGITS])
def test_form_ids_out_of_range_are_a_400(client, site_root, page_id):
    create_consultation_page(site_root)
    assert_api_error(client.get(f"{API}/forms/{page_id}"), "page_id")
    response = client.post(
        f"{API}/forms/{page_id}/submissions", {}, content_type="application/json"
    )
    assert_api_error(response, "page_id")


def test_the_largest_form_id_is_a_404(client, site_root):
    create_consultation_page(site_root)
    response = client.get(f"{API}/forms/{MAX_ID}")
    assert response.status_code == 404
    assert response.json()["detail"]
