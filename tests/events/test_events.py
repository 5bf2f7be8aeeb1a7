"""Event pages, series, overrides, the index's list and month views, and the admin form."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import recurrence
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from kokreative_wagtail.events.models import EventIndexPage, EventPage, OccurrenceOverride

from ..factories import add_page
from ..html_audit import audit_html
from .factories import COP_RULE, add_event, contributed_inlines

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTC = timezone.utc


@pytest.fixture
def event_index(site_root):
    return add_page(site_root, EventIndexPage, title="Termine", slug="termine")


def cop(index, start=datetime(2026, 1, 8, 16, 30, tzinfo=BERLIN), **kwargs):
    return add_event(
        index, "Community of Practice", start, start + timedelta(minutes=90), COP_RULE, **kwargs
    )


def local(occurrence):
    return occurrence.start.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M")


def test_series_keeps_local_time_across_dst(event_index):
    page = cop(event_index)
    items = page.get_occurrences(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    assert len(items) == 13
    assert {o.start.astimezone(BERLIN).strftime("%H:%M") for o in items} == {"16:30"}
    assert {o.start.hour for o in items} == {14, 15}


def test_cancelled_and_moved_occurrences(event_index):
    page = cop(
        event_index,
        overrides=[
            {
                "original_start": datetime(2026, 2, 5, 16, 30, tzinfo=BERLIN),
                "action": "cancel",
                "note": "Fällt wegen Krankheit aus",
            },
            {
                "original_start": datetime(2026, 3, 5, 16, 30, tzinfo=BERLIN),
                "action": "move",
                "new_start": datetime(2026, 3, 6, 10, 0, tzinfo=BERLIN),
                "new_end": datetime(2026, 3, 6, 11, 30, tzinfo=BERLIN),
            },
        ],
    )
    items = page.get_occurrences(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
    assert [local(o) for o in items] == [
        "2026-01-08 16:30",
        "2026-02-05 16:30",
        "2026-03-06 10:00",
    ]
    assert items[1].cancelled and items[1].note == "Fällt wegen Krankheit aus"
    assert items[2].moved and not items[2].cancelled
    assert items[2].original_start == datetime(2026, 3, 5, 15, 30, tzinfo=UTC)
    # moved out of a window: gone; moved into one: there, once
    march_5 = page.get_occurrences(
        datetime(2026, 3, 5, tzinfo=BERLIN), datetime(2026, 3, 6, tzinfo=BERLIN)
    )
    assert march_5 == []
    march_6 = page.get_occurrences(
        datetime(2026, 3, 6, tzinfo=BERLIN), datetime(2026, 3, 7, tzinfo=BERLIN)
    )
    assert [local(o) for o in march_6] == ["2026-03-06 10:00"]


def test_index_lists_upcoming_occurrences_across_series_in_date_order(client, event_index):
    soon = next_thursday()
    cop(event_index, start=soon)
    add_event(event_index, "Infosalon", soon + timedelta(days=1), soon + timedelta(days=1, hours=1))
    response = client.get(event_index.url)
    assert response.status_code == 200
    occurrences = response.context["occurrences"]
    titles = [o.event.title for o in occurrences[:3]]
    assert titles == ["Community of Practice", "Infosalon", "Community of Practice"]
    assert [o.start for o in occurrences] == sorted(o.start for o in occurrences)
    assert audit_html(response.content.decode()).problems() == []


def next_thursday() -> datetime:
    today = datetime.now(BERLIN).date() + timedelta(days=1)
    day = today + timedelta(days=(3 - today.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 16, 30, tzinfo=BERLIN)


def test_cancelled_occurrence_is_struck_through_with_its_note(client, event_index):
    start = next_thursday()
    page = cop(
        event_index,
        start=start,
        overrides=[
            {
                "original_start": start + timedelta(weeks=4),
                "action": "cancel",
                "note": "Sommerpause",
            }
        ],
    )
    html = client.get(page.url).content.decode()
    assert "<del>" in html
    assert "Sommerpause" in html
    assert audit_html(html).problems() == []
    index_html = client.get(event_index.url).content.decode()
    assert "Sommerpause" in index_html


def test_month_view_and_past_events(client, event_index):
    cop(event_index, start=datetime(2026, 1, 8, 16, 30, tzinfo=BERLIN))
    add_event(
        event_index,
        "Infosalon September 2022",
        datetime(2022, 9, 15, 16, 30, tzinfo=BERLIN),
        datetime(2022, 9, 15, 17, 30, tzinfo=BERLIN),
    )
    month = client.get(event_index.url, {"view": "month", "month": "2026-03"})
    assert month.status_code == 200
    assert month.context["view"] == "month"
    days = [day for week in month.context["weeks"] for day in week if day.occurrences]
    assert [day.date.isoformat() for day in days] == ["2026-03-05"]
    assert month.context["previous_month"] == "2026-02"
    assert month.context["next_month"] == "2026-04"
    assert audit_html(month.content.decode()).problems() == []
    september = client.get(event_index.url, {"view": "month", "month": "2022-09"})
    assert [o.event.title for o in september.context["occurrences"]] == ["Infosalon September 2022"]


@pytest.mark.parametrize(
    "params",
    [
        {"view": "month", "month": "2026-13"},
        {"view": "month", "month": "garbage"},
        {"view": "calendar"},
        {"element": "nope"},
        {"offer": "abc"},
        {"offer": "99999"},
        {"past": "maybe"},
    ],
)
def test_bad_parameters_are_shown_not_a_500(client, event_index, params):
    cop(event_index)
    response = client.get(event_index.url, params)
    assert response.status_code == 200


def test_filter_by_element_and_offer(client, event_index, elements, site_root):
    start = datetime.now(BERLIN) + timedelta(days=1)
    tagged = add_event(event_index, "Kultur", start, start + timedelta(hours=1))
    tagged.elements.set([elements[0]])
    tagged.related_offer = site_root
    tagged.save_revision().publish()
    add_event(event_index, "Anderes", start, start + timedelta(hours=1))
    by_element = client.get(event_index.url, {"element": elements[0].slug})
    assert [o.event.title for o in by_element.context["occurrences"]] == ["Kultur"]
    by_offer = client.get(event_index.url, {"offer": site_root.pk})
    assert [o.event.title for o in by_offer.context["occurrences"]] == ["Kultur"]


def test_drafts_are_not_listed(client, event_index):
    start = datetime.now(BERLIN) + timedelta(days=1)
    draft = EventPage(title="Entwurf", slug="entwurf", start=start, end=start, live=False)
    event_index.add_child(instance=draft)
    assert client.get(event_index.url).context["occurrences"] == []


def test_validation_rejects_bad_rules_and_times(event_index):
    start = datetime(2026, 1, 8, 16, 30, tzinfo=BERLIN)
    page = EventPage(title="X", slug="x", start=start, end=start - timedelta(hours=1))
    with pytest.raises(ValidationError) as excinfo:
        page.clean()
    assert "end" in excinfo.value.message_dict
    for rule in ("RRULE:FREQ=SECONDLY", "RRULE:FREQ=HOURLY", "RRULE:FREQ=DAILY;COUNT=0"):
        page = EventPage(
            title="X", slug="x", start=start, end=start, recurrence=recurrence.deserialize(rule)
        )
        with pytest.raises(ValidationError) as excinfo:
            page.clean()
        assert "recurrence" in excinfo.value.message_dict, rule
    page = EventPage(title="X", slug="x", start=start, end=start, time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as excinfo:
        page.clean()
    assert "time_zone" in excinfo.value.message_dict


def test_override_validation():
    with pytest.raises(ValidationError):
        OccurrenceOverride(original_start=datetime(2026, 1, 1, tzinfo=UTC), action="move").clean()
    with pytest.raises(ValidationError):
        OccurrenceOverride(
            original_start=datetime(2026, 1, 1, tzinfo=UTC), action="location"
        ).clean()


def test_online_link_visibility(event_index):
    start = datetime(2026, 1, 8, 16, 30, tzinfo=BERLIN)
    page = add_event(event_index, "Online", start, start, online_url="https://meet.example.org/x")
    assert not page.online_link_visible()  # default: only for registered participants
    page.online_link_visibility = "always"
    assert page.online_link_visible()
    page.online_link_visibility = "later"
    page.online_link_visible_from = datetime(2030, 1, 1, tzinfo=UTC)
    assert not page.online_link_visible()
    assert page.online_link_visible(now=datetime(2030, 1, 2, tzinfo=UTC))


def test_editor_enters_wall_time_in_the_events_own_zone(admin_client, event_index):
    url = reverse("wagtailadmin_pages:add", args=("kokreative_events", "eventpage", event_index.pk))
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        nested_form_data(
            {
                "title": "Town hall New York",
                "slug": "town-hall",
                "teaser": "",
                "start": "2026-07-02 18:00",
                "end": "2026-07-02 19:30",
                "time_zone": "America/New_York",
                "recurrence": "RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=3",
                "body": streamfield([]),
                "online_link_visibility": "registered",
                **contributed_inlines(),
                "overrides": inline_formset(
                    [
                        {
                            "original_start": "2026-07-09 18:00",
                            "action": "cancel",
                            "new_start": "",
                            "new_end": "",
                            "location_name": "",
                            "location_address": "",
                            "note": "Feiertag",
                        }
                    ]
                ),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = EventPage.objects.get(slug="town-hall")
    assert page.start == datetime(2026, 7, 2, 18, 0, tzinfo=NEW_YORK)
    assert page.end == datetime(2026, 7, 2, 19, 30, tzinfo=NEW_YORK)
    [override] = page.overrides.all()
    assert override.original_start == datetime(2026, 7, 9, 18, 0, tzinfo=NEW_YORK)
    items = page.get_occurrences(datetime(2026, 7, 1, tzinfo=UTC), datetime(2026, 8, 1, tzinfo=UTC))
    assert [o.cancelled for o in items] == [False, True, False]
    # the edit form shows the times in the event's zone again
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert "02.07.2026 18:00" in edit.content.decode()  # German admin, German format


def test_event_page_only_below_an_event_index(site_root, event_index):
    assert EventPage.can_create_at(event_index)
    assert not EventPage.can_create_at(site_root)
    assert EventIndexPage.can_create_at(site_root)


def test_garbage_recurrence_text_does_not_break_the_page(client, event_index):
    page = cop(event_index)
    EventPage.objects.filter(pk=page.pk).update(recurrence="RRULE:FREQ=WEEKLY;INTERVAL=0")
    assert client.get(page.url).status_code == 200
    assert client.get(event_index.url).status_code == 200


@pytest.mark.parametrize(
    "text", ["RDATE:20260230T153000Z", "RRULE:FREQ=WEEKLY;UNTIL=20261399T000000Z"]
)
def test_a_date_datetime_refuses_does_not_break_the_page(client, event_index, text):
    """django-recurrence parses these, then ``datetime`` refuses them (30 February, month 13)."""
    page = cop(event_index)
    EventPage.objects.filter(pk=page.pk).update(recurrence=text)
    assert client.get(page.url).status_code == 200
    assert client.get(event_index.url).status_code == 200


def test_upcoming_events_block_on_a_programme_page(client, programme, event_index):
    start = next_thursday()
    page = cop(
        event_index,
        start=start,
        overrides=[{"original_start": start + timedelta(weeks=4), "action": "cancel"}],
    )
    programme.body = [("upcoming_events", {"heading": "Termine", "count": 2})]
    programme.save_revision().publish()
    response = client.get(programme.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="kk-occurrence"') == 2  # the cancelled one is skipped
    assert audit_html(html).problems() == []
    data = client.get(f"/api/v2/pages/{programme.pk}/").json()
    [block] = data["body"]
    assert block["type"] == "upcoming_events"
    starts = [o["start"] for o in block["value"]["occurrences"]]
    assert starts[0] == f"{start.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    assert starts[1] == f"{(start + timedelta(weeks=8)).astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    first = block["value"]["occurrences"][0]
    assert first["event"]["id"] == page.pk
    assert first["event"]["full_url"].endswith(page.url)
    assert first["cancelled"] is False  # the occurrence shape of GET occurrences
    assert set(first) >= {"original_start", "moved", "location_name", "elements", "offer_id"}


def test_offer_page_links_to_its_event_series(client, site_root, event_index):
    from kokreative_wagtail.offers.models import OfferIndexPage, OfferPage

    offers = add_page(site_root, OfferIndexPage, title="Angebote", slug="angebote")
    offer = add_page(offers, OfferPage, title="Community of Practice", slug="cop-angebot")
    series = cop(event_index, related_offer=offer)
    html = client.get(offer.url).content.decode()
    assert f'href="{series.url}"' in html
    assert audit_html(html).problems() == []


def test_event_pages_in_api_v2(client, event_index, elements):
    start = next_thursday()
    page = cop(
        event_index,
        start=start,
        online_url="https://meet.example.org/geheim",
        overrides=[
            {"original_start": start + timedelta(weeks=4), "action": "cancel", "note": "Pause"}
        ],
    )
    page.elements.set([elements[0]])
    page.save_revision().publish()
    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["time_zone"] == "Europe/Berlin"
    assert data["recurrence_rule"] == COP_RULE
    assert data["public_online_url"] is None  # only for registered participants
    assert "online_url" not in data
    assert data["elements"][0]["slug"] == elements[0].slug
    upcoming = data["upcoming_occurrences"]
    assert upcoming[0]["start"] == start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert upcoming[1]["cancelled"] is True and upcoming[1]["note"] == "Pause"
    index = client.get(f"/api/v2/pages/{event_index.pk}/").json()
    assert index["meta"]["type"] == "kokreative_events.EventIndexPage"


def build_series(index, start_number, stop_number, elements):
    """Weekly series below ``index``, each with two elements and a cancelled occurrence (live
    pages saved once, without revisions: the listing reads no revision, and 200 of them add
    up; ``add_child`` saves the override and the elements with the page)."""
    start = next_thursday()
    for i in range(start_number, stop_number):
        page = EventPage(
            title=f"Reihe {i}",
            slug=f"reihe-{i}",
            start=start + timedelta(hours=i % 5),
            end=start + timedelta(hours=i % 5, minutes=90),
            recurrence=recurrence.deserialize(COP_RULE),
        )
        page.overrides.add(
            OccurrenceOverride(
                original_start=start + timedelta(weeks=4, hours=i % 5), action="cancel"
            )
        )
        page.elements.set(elements)
        index.add_child(instance=page)


def test_index_page_and_feed_run_a_constant_number_of_queries(
    client, event_index, elements, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = {
        "list": event_index.url,
        "month": f"{event_index.url}?view=month",
        "filtered": f"{event_index.url}?element={elements[0].slug}",
        "feed": f"{event_index.url}feed.ics",
    }

    def measure():
        counts = {}
        for name, url in urls.items():
            client.get(url)  # warm caches
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, name
            counts[name] = len(queries)
        return counts

    build_series(event_index, 0, 5, elements)
    at_5 = measure()
    build_series(event_index, 5, 200, elements)
    at_200 = measure()
    print(f"\nqueries at 5 series: {at_5}\nqueries at 200 series: {at_200}")
    assert at_200 == at_5
    assert max(at_200["list"], at_200["month"], at_200["filtered"]) <= 25
    assert at_200["feed"] <= 5  # at most 5 for an API list or a feed
    with django_assert_max_num_queries(25):
        response = client.get(event_index.url)
    assert len(response.context["occurrences"]) == event_index.list_limit


@pytest.fixture
def drawn(monkeypatch) -> list[int]:
    """How many occurrences the series expansion has produced so far (``drawn[0]``)."""
    from kokreative_wagtail.events import occurrences

    count = [0]
    original = occurrences.iter_occurrences

    def counting(*args, **kwargs):
        for item in original(*args, **kwargs):
            count[0] += 1
            yield item

    monkeypatch.setattr(occurrences, "iter_occurrences", counting)
    return count


def test_many_series_are_merged_lazily(event_index, drawn):
    """The first dates of many series cost what those dates cost, not every series' year; the
    result is the head of the full, sorted list, moves and cancellations included."""
    from kokreative_wagtail.events import series as series_module

    start = datetime(2026, 1, 5, 9, 0, tzinfo=BERLIN)
    for number in range(40):
        overrides = []
        if number == 7:  # a date of March moved into the first week
            overrides = [
                {
                    "original_start": start + timedelta(days=60, minutes=number),
                    "action": "move",
                    "new_start": start + timedelta(hours=1),
                }
            ]
        if number == 3:
            overrides = [{"original_start": start + timedelta(minutes=3), "action": "cancel"}]
        add_event(
            event_index,
            f"Täglich {number}",
            start + timedelta(minutes=number),
            start + timedelta(minutes=number + 30),
            "RRULE:FREQ=DAILY",
            slug=f"taeglich-{number}",
            overrides=overrides,
        )
    events = list(EventPage.objects.prefetch_related("overrides"))
    window = (datetime(2026, 1, 5, tzinfo=BERLIN), datetime(2027, 1, 5, tzinfo=BERLIN))
    drawn[0] = 0  # publishing wrote the stored index; count the listing's expansion only

    first = series_module.occurrences_of(events, *window, limit=50)
    assert drawn[0] < 200, drawn  # 40 series × 365 days = 14 600 when expanded in full

    everything = series_module.occurrences_of(events, *window)
    assert first == everything[:50]
    assert [o.start for o in everything] == sorted(o.start for o in everything)
    moved = [o for o in first if o.moved]
    assert [(o.event.title, o.start) for o in moved] == [("Täglich 7", start + timedelta(hours=1))]
    assert [o.event.title for o in first if o.cancelled] == ["Täglich 3"]
    march = start + timedelta(days=60, minutes=7)
    assert not [o for o in everything if o.original_start == march and not o.moved]


def test_one_off_events_far_ahead_are_not_expanded_for_the_first_dates(event_index, drawn):
    """A stream starts only when its first possible date comes up in the merge."""
    from kokreative_wagtail.events import series as series_module

    first = datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)
    for number in range(60):
        day = first + timedelta(days=number)
        add_event(event_index, f"Werkstatt {number}", day, day + timedelta(hours=2))
    events = list(EventPage.objects.prefetch_related("overrides"))
    window = (datetime(2026, 3, 1, tzinfo=BERLIN), datetime(2027, 3, 1, tzinfo=BERLIN))
    drawn[0] = 0  # publishing wrote the stored index; count the listing's expansion only

    ten = series_module.occurrences_of(events, *window, limit=10)
    assert [o.event.title for o in ten] == [f"Werkstatt {n}" for n in range(10)]
    assert drawn[0] <= 12, drawn  # not 60


def test_single_dates_outside_the_window_are_left_out_in_the_database(event_index):
    """Past and far-future one-off events are not loaded; series and moves into the window are;
    the occurrences are the same as from all events."""
    from kokreative_wagtail.events.series import may_occur_in, occurrences_of

    def at(*args):
        return datetime(*args, tzinfo=BERLIN)

    past = add_event(event_index, "Infosalon 2022", at(2022, 9, 15, 16, 30), at(2022, 9, 15, 18))
    inside = add_event(event_index, "Werkstatt", at(2026, 5, 4, 10), at(2026, 5, 4, 13))
    running = add_event(event_index, "Ausstellung", at(2026, 4, 20, 10), at(2026, 5, 10, 18))
    later = add_event(event_index, "Tagung 2028", at(2028, 3, 1, 9), at(2028, 3, 1, 17))
    series = cop(event_index, start=at(2024, 1, 4, 16, 30), slug="cop-alt")
    moved_in = add_event(
        event_index,
        "Verschoben",
        at(2025, 11, 3, 10),
        at(2025, 11, 3, 12),
        overrides=[
            {
                "original_start": at(2025, 11, 3, 10),
                "action": "move",
                "new_start": at(2026, 5, 6, 10),
                "new_end": at(2026, 5, 6, 12),
            }
        ],
    )
    all_day = add_event(
        event_index, "Aktionstag", at(2026, 5, 1, 0), at(2026, 5, 1, 0), all_day=True
    )
    window = (at(2026, 5, 1, 0), at(2026, 6, 1, 0))

    loaded = set(EventPage.objects.filter(may_occur_in(*window)))
    assert loaded == {inside, running, series, moved_in, all_day}
    assert past not in loaded and later not in loaded

    everything = EventPage.objects.prefetch_related("overrides")
    filtered = everything.filter(may_occur_in(*window))
    assert occurrences_of(filtered, *window) == occurrences_of(everything, *window)
    assert {o.event.title for o in occurrences_of(filtered, *window)} >= {
        "Werkstatt",
        "Ausstellung",
        "Verschoben",
        "Aktionstag",
        "Community of Practice",
    }
