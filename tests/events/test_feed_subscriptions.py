"""Calendar subscriptions by topic: ``feed.ics`` filtered by element, offer, audience and kind,
cached like the unfiltered feed, and the "Subscribe to the calendar" panel."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from kokreative_wagtail.events.subscriptions import FeedUrlField

from ..offers.factories import create_offer, create_offer_index, default_audiences
from .factories import add_event, create_event_index


@pytest.fixture
def topics(programme, elements):
    """An index with three series: A (element 0, a training for the administration), B
    (element 1, a community of practice for politics) and C (neither)."""
    audiences = default_audiences()
    offers = create_offer_index(programme)
    training = create_offer(
        offers,
        title="Training",
        kind="training",
        audiences=[audiences["verwaltung"]],
        revisions=False,
    )
    community = create_offer(
        offers,
        title="Praxisrunde",
        kind="community",
        audiences=[audiences["politik"]],
        revisions=False,
    )
    index = create_event_index(programme)
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)
    end = start + timedelta(hours=1)
    rule = "RRULE:FREQ=WEEKLY;COUNT=3"
    events = {
        "A": add_event(
            index, "A", start, end, rule, elements=[elements[0]], related_offer=training
        ),
        "B": add_event(
            index, "B", start, end, rule, elements=[elements[1]], related_offer=community
        ),
        "C": add_event(index, "C", start, end, rule),
    }
    return {"index": index, "training": training, "community": community, **events}


def feed_of(topics) -> str:
    return topics["index"].url + "feed.ics"


def summaries(response) -> set[str]:
    assert response.status_code == 200, response.content
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def listed(client, topics, params) -> set[str]:
    response = client.get(topics["index"].url, params)
    assert response.status_code == 200
    assert not response.context["filter_form"].errors
    return {occurrence.event.title for occurrence in response.context["occurrences"]}


def test_filtered_feed_holds_the_listings_events(client, topics, elements):
    cases = [
        ({"element": elements[0].slug}, {"A"}),
        ({"element": [elements[1].slug, elements[0].slug]}, {"A", "B"}),
        ({"offer": topics["community"].pk}, {"B"}),
        ({"element": elements[0].slug, "offer": topics["community"].pk}, set()),
    ]
    for params, expected in cases:
        assert summaries(client.get(feed_of(topics), params)) == expected, params
        assert listed(client, topics, params) == expected, params


def test_audience_and_kind_are_those_of_the_events_offer(client, topics):
    cases = [
        ({"kind": "training"}, {"A"}),
        ({"audience": ["politik", "verwaltung"]}, {"A", "B"}),
        ({"audience": "politik", "kind": "community"}, {"B"}),
        ({"audience": "verwaltung", "kind": "community"}, set()),  # AND across parameters
    ]
    for params, expected in cases:
        assert summaries(client.get(feed_of(topics), params)) == expected, params


def test_filtered_feeds_are_cached_and_invalidated(client, topics, elements):
    feed = feed_of(topics)
    first = client.get(feed, {"element": elements[0].slug})
    etag = first["ETag"]
    assert first["Cache-Control"].startswith("public")
    assert (
        client.get(feed, {"element": elements[0].slug}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    )
    # the filter is part of the ETag: another filter, no filter, and the same one normalised
    etags = {
        client.get(feed)["ETag"],
        client.get(feed, {"element": elements[1].slug})["ETag"],
        client.get(feed, {"element": [elements[1].slug, elements[0].slug]})["ETag"],
    }
    assert len(etags | {etag}) == 4
    both = client.get(feed, {"element": [elements[0].slug, elements[1].slug], "view": "month"})
    assert both["ETag"] in etags  # order, repeats and unknown parameters do not matter
    # publishing an event of the filter changes its file
    page = type(topics["A"]).objects.get(pk=topics["A"].pk)
    page.title = "A, neu"
    page.save_revision().publish()
    changed = client.get(feed, {"element": elements[0].slug}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert summaries(changed) == {"A, neu"}


def test_a_filtered_feed_runs_as_many_queries_as_the_unfiltered_one(
    client, topics, elements, django_assert_num_queries
):
    params = {
        "element": [elements[0].slug, elements[1].slug],
        "offer": [topics["training"].pk, topics["community"].pk],
        "audience": "verwaltung",
        "kind": ["training", "community"],
    }
    feed = feed_of(topics)
    for number in range(3):  # more events: no more queries
        add_event(
            topics["index"],
            f"Mehr {number}",
            topics["A"].start,
            topics["A"].end,
            elements=[elements[0]],
            related_offer=topics["training"],
        )
        with django_assert_num_queries(
            5
        ):  # a miss: site, page (+ checks), version, events, overrides
            response = client.get(feed, params)
        assert summaries(response) == {"A", *(f"Mehr {n}" for n in range(number + 1))}
    with django_assert_num_queries(3):  # a hit: site, page, version
        assert client.get(feed, params, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_bad_values_answer_400_in_plain_text(client, topics):
    cases = [
        ({"offer": "abc"}, "offer"),
        ({"offer": "0"}, "offer"),
        ({"offer": str(2**40)}, "offer"),
        ({"offer": "999999"}, "offer"),  # names no page
        ({"element": "unbekannt"}, "element"),
        ({"audience": "unbekannt"}, "audience"),
        ({"kind": "keynote"}, "kind"),
        ({"element": [f"e{n}" for n in range(21)]}, "element"),
    ]
    for params, parameter in cases:
        response = client.get(feed_of(topics), params)
        assert response.status_code == 400, params
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response["Cache-Control"] == "no-store"
        assert response.content.decode().startswith(f"{parameter}: "), params


def test_empty_values_name_no_filter(client, topics):
    response = client.get(feed_of(topics), {"element": "", "offer": ""})
    assert summaries(response) == {"A", "B", "C"}
    assert response["ETag"] == client.get(feed_of(topics))["ETag"]


def test_index_panel_carries_the_current_filter(client, topics, elements):
    index = topics["index"]
    response = client.get(index.url, {"element": elements[0].slug, "view": "month"})
    html = response.content.decode()
    path = f"{index.url}feed.ics?element={elements[0].slug}"
    assert f'href="webcal://testserver{path}"' in html
    assert f">http://testserver{path}</textarea>" in html
    assert '<label for="kk-subscribe-url">' in html
    assert html.count("<details") == 4
    with translation.override("de"):
        assert gettext("Subscribe to the calendar") in html
    assert summaries(client.get(path)) == {"A"}  # the address serves what the listing shows
    unfiltered = client.get(index.url).content.decode()
    assert f'href="webcal://testserver{index.url}feed.ics"' in unfiltered


def test_element_page_panel_subscribes_to_its_element(client, topics, element_page, elements):
    html = client.get(element_page.url).content.decode()
    path = f"{topics['index'].url}feed.ics?element={elements[0].slug}"
    assert f'href="webcal://testserver{path}"' in html
    assert f">http://testserver{path}</textarea>" in html
    assert 'aria-labelledby="kk-subscribe-heading"' in html


def test_element_page_without_event_index_has_no_panel(client, element_page):
    html = client.get(element_page.url).content.decode()
    assert "kk-subscribe" not in html


def test_api_field_gives_the_feed_url(topics):
    assert FeedUrlField().to_representation(topics["index"]).endswith("/termine/feed.ics")
