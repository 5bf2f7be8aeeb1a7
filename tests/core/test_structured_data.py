"""JSON-LD, Open Graph and canonical URLs of every page type (``{% kokreative_meta %}``).

Pages are rendered through the test client with a base template that carries the head tag
(``tests/meta_base.html``); the JSON-LD is parsed back and checked against what Google's event
rich results require (name, startDate, location with an address or a VirtualLocation's url).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation
from wagtail.models import Locale

from kokreative_wagtail.events.choices import OnlineLinkVisibility, OverrideAction
from kokreative_wagtail.offers.choices import OfferKind
from kokreative_wagtail.structured_data import price_from_text

from ..accessibility.factories import create_easy_language_page, create_statement
from ..events.factories import COP_RULE, add_event, create_event_index
from ..factories import ImageFactory
from ..offers.factories import create_offer, create_offer_index

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
SCHEMA = "https://schema.org/"
META_BASE = override_settings(KOKREATIVE={"BASE_TEMPLATE": "tests/meta_base.html"})
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def next_thursday(weeks: int = 1, hour: int = 16, minute: int = 30) -> datetime:
    """A Thursday at least ``weeks`` weeks ahead, at a local time in Berlin."""
    today = timezone.localtime(timezone.now(), BERLIN).date()
    day = today + timedelta(days=(3 - today.weekday()) % 7 + 7 * weeks)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def render(client, page) -> tuple[str, dict, dict]:
    """The page's HTML, its JSON-LD graph by @type and its <meta property> values."""
    with META_BASE:
        response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    scripts = SCRIPT.findall(html)
    assert len(scripts) == 1, scripts
    document = json.loads(scripts[0])
    assert document["@context"] == "https://schema.org"
    nodes = {node["@type"]: node for node in document["@graph"]}
    meta: dict[str, list[str]] = {}
    for name, content in re.findall(r'<meta property="([^"]+)" content="([^"]*)">', html):
        meta.setdefault(name, []).append(content)
    return html, nodes, meta


def canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)


def assert_google_event(event: dict) -> None:
    """Google's required event properties, and the recommended ones we always have."""
    assert event["name"]
    datetime.fromisoformat(event["startDate"])  # ISO 8601
    locations = event["location"] if isinstance(event["location"], list) else [event["location"]]
    for location in locations:
        if location["@type"] == "Place":
            assert location["address"]["@type"] == "PostalAddress"
        else:
            assert location["@type"] == "VirtualLocation" and location["url"].startswith("http")
    assert event["eventStatus"].startswith(SCHEMA)
    assert event["eventAttendanceMode"].startswith(SCHEMA)
    assert event["organizer"]["@type"] == "Organization" and event["organizer"]["name"]
    assert event["endDate"] and event["url"].startswith("http")


@pytest.fixture
def event_index(programme):
    return create_event_index(programme)


def test_programme_and_element_pages_with_breadcrumbs(client, programme, element_page):
    html, nodes, meta = render(client, programme)
    page = nodes["WebPage"]
    assert page["url"] == canonical(html) == meta["og:url"][0]
    assert page["name"] == "Die Kokreative Kommune"
    assert page["description"] == "Kokreative Kommune bedeutet …"  # from the intro
    assert page["inLanguage"] == "de" and meta["og:locale"] == ["de_DE"]
    assert page["publisher"]["@type"] == "Organization"
    assert meta["og:type"] == ["website"] and meta["og:title"] == ["Die Kokreative Kommune"]

    html, nodes, _meta = render(client, element_page)
    page = nodes["CollectionPage"]
    assert page["about"] == {
        "@type": "DefinedTerm",
        "name": "Kultureller Wandel",
        "description": "Eine kurze Zusammenfassung.",
    }
    crumbs = nodes["BreadcrumbList"]["itemListElement"]
    assert page["breadcrumb"] == {"@id": nodes["BreadcrumbList"]["@id"]}
    assert [item["position"] for item in crumbs] == list(range(1, len(crumbs) + 1))
    names = [item["name"] for item in crumbs]
    assert names[-2:] == ["Die Kokreative Kommune", "Kultureller Wandel"]
    assert crumbs[-1]["item"] == canonical(html)


def test_index_pages_are_collection_pages(client, programme, event_index):
    offers = create_offer_index(programme, intro="<p>Unsere Formate &amp; mehr</p>")
    _html, nodes, meta = render(client, offers)
    assert nodes["CollectionPage"]["description"] == "Unsere Formate & mehr"
    assert meta["og:description"] == ["Unsere Formate &amp; mehr"]  # escaped attribute
    _html, nodes, _meta = render(client, event_index)
    assert set(nodes) == {"CollectionPage", "BreadcrumbList"}


def test_training_is_a_course_with_the_dates_of_its_series(client, programme, event_index):
    index = create_offer_index(programme)
    offer = create_offer(index, title="Partizipation gestalten", kind="training", cost="kostenlos")
    start = next_thursday()
    add_event(
        event_index,
        "Partizipationswerkstatt",
        start,
        start + timedelta(hours=3),
        rule=COP_RULE,
        location_name="Rathaus",
        location_address="Marktplatz 1\n12345 Musterstadt",
        related_offer=offer,
    )
    _html, nodes, _meta = render(client, offer)
    course = nodes["Course"]
    assert nodes["WebPage"]["mainEntity"] == {"@id": course["@id"]}
    assert course["provider"]["@type"] == "Organization"
    assert course["offers"] == {
        "@type": "Offer",
        "category": "Free",
        "price": "0",
        "priceCurrency": "EUR",
        "url": course["url"],
    }
    [instance] = course["hasCourseInstance"]
    assert instance["@type"] == "CourseInstance" and instance["courseMode"] == "Onsite"
    assert instance["startDate"] == start.isoformat()
    assert instance["courseSchedule"]["repeatFrequency"] == "P4W"
    assert instance["location"]["address"]["postalCode"] == "12345"


def test_in_house_offer_is_a_service(client, programme):
    index = create_offer_index(programme)
    offer = create_offer(index, title="Keynote", kind="inhouse", cost="auf Anfrage")
    _html, nodes, _meta = render(client, offer)
    service = nodes["Service"]
    with translation.override("de"):  # the page's language
        assert service["serviceType"] == str(OfferKind.INHOUSE.label)
    assert service["provider"]["@type"] == "Organization"
    assert "offers" not in service  # "on request" states no price
    assert "Course" not in nodes


def test_single_event_at_a_place(client, event_index):
    image = ImageFactory()
    start = next_thursday(hour=18, minute=0)
    event = add_event(
        event_index,
        "Infosalon",
        start,
        start + timedelta(hours=2),
        teaser="Ein Abend über Beteiligung.",
        teaser_image=image,
        location_name="Rathaus, Saal 3",
        location_address="Marktplatz 1\n12345 Musterstadt",
        registration_url="https://anmeldung.example/infosalon",
    )
    html, nodes, meta = render(client, event)
    node = nodes["Event"]
    assert_google_event(node)
    assert node["description"] == "Ein Abend über Beteiligung."
    assert node["startDate"] == start.isoformat()  # local time with its offset
    assert node["endDate"] == (start + timedelta(hours=2)).isoformat()
    assert node["eventStatus"] == SCHEMA + "EventScheduled"
    assert node["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
    assert node["location"] == {
        "@type": "Place",
        "name": "Rathaus, Saal 3",
        "address": {
            "@type": "PostalAddress",
            "postalCode": "12345",
            "addressLocality": "Musterstadt",
            "streetAddress": "Marktplatz 1",
        },
    }
    assert node["offers"]["url"] == "https://anmeldung.example/infosalon"
    assert node["image"] == meta["og:image"]
    assert node["image"][0].startswith("http") and "og:image:width" in meta
    assert "eventSchedule" not in node
    assert nodes["WebPage"]["mainEntity"] == {"@id": node["@id"]}
    assert node["url"] == canonical(html)


def test_series_with_its_schedule_and_exceptions(client, event_index):
    start = next_thursday()
    skipped = start + timedelta(weeks=4)
    cancelled = start + timedelta(weeks=8)
    until = (start + timedelta(weeks=52)).strftime("%Y%m%dT%H%M%SZ")
    event = add_event(
        event_index,
        "Community of Practice",
        start,
        start + timedelta(minutes=90),
        rule=f"RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH;UNTIL={until}\n"
        f"EXDATE:{skipped.astimezone(ZoneInfo('UTC')).strftime('%Y%m%dT%H%M%SZ')}",
        online_url="https://meet.example/cop",
        online_link_visibility=OnlineLinkVisibility.ALWAYS,
        overrides=[{"original_start": cancelled, "action": OverrideAction.CANCEL}],
    )
    _html, nodes, _meta = render(client, event)
    node = nodes["Event"]
    assert_google_event(node)
    assert node["startDate"] == start.isoformat()
    assert node["location"] == {"@type": "VirtualLocation", "url": "https://meet.example/cop"}
    assert node["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    schedule = node["eventSchedule"]
    assert schedule["@type"] == "Schedule"
    assert schedule["repeatFrequency"] == "P4W"
    assert schedule["byDay"] == [SCHEMA + "Thursday"]
    assert (schedule["startTime"], schedule["endTime"]) == ("16:30:00", "18:00:00")
    assert schedule["duration"] == "PT1H30M"
    assert schedule["scheduleTimezone"] == "Europe/Berlin"
    assert schedule["startDate"] == start.date().isoformat()
    assert schedule["endDate"] == (start + timedelta(weeks=52)).date().isoformat()
    assert schedule["exceptDate"] == [skipped.isoformat(), cancelled.isoformat()]
    assert "repeatCount" not in schedule


def test_cancelled_single_event_and_moved_next_date(client, event_index):
    start = next_thursday()
    single = add_event(
        event_index,
        "Abgesagt",
        start,
        start + timedelta(hours=1),
        location_name="Rathaus",
        location_address="Marktplatz 1\n12345 Musterstadt",
        overrides=[{"original_start": start, "action": OverrideAction.CANCEL}],
    )
    node = render(client, single)[1]["Event"]
    assert node["eventStatus"] == SCHEMA + "EventCancelled"
    assert node["startDate"] == start.isoformat()

    moved_to = start + timedelta(days=1, hours=1)
    series = add_event(
        event_index,
        "Verschoben",
        start,
        start + timedelta(hours=1),
        rule="RRULE:FREQ=WEEKLY;COUNT=5",
        location_name="Rathaus",
        location_address="Marktplatz 1\n12345 Musterstadt",
        overrides=[{"original_start": start, "action": OverrideAction.MOVE, "new_start": moved_to}],
    )
    node = render(client, series)[1]["Event"]
    assert_google_event(node)
    assert node["eventStatus"] == SCHEMA + "EventRescheduled"
    assert node["startDate"] == moved_to.isoformat()
    assert node["previousStartDate"] == start.isoformat()
    assert node["eventSchedule"]["repeatCount"] == 5
    assert node["eventSchedule"]["repeatFrequency"] == "P1W"
    assert node["eventSchedule"]["exceptDate"] == [start.isoformat()]


def test_online_link_for_registered_people_never_appears(client, event_index):
    start = next_thursday()
    event = add_event(
        event_index,
        "Hybrid",
        start,
        start + timedelta(hours=1),
        location_name="Rathaus",
        location_address="Marktplatz 1\n12345 Musterstadt",
        online_url="https://meet.example/geheim",
        online_link_visibility=OnlineLinkVisibility.REGISTERED,
    )
    html, nodes, _meta = render(client, event)
    node = nodes["Event"]
    assert_google_event(node)
    assert "meet.example/geheim" not in html
    assert node["eventAttendanceMode"] == SCHEMA + "MixedEventAttendanceMode"
    place, virtual = node["location"]
    assert virtual == {"@type": "VirtualLocation", "url": canonical(html)}


def test_script_cannot_be_closed_by_a_title(client, event_index):
    start = next_thursday()
    title = "</script><script>alert(1)</script> & <b>"
    event = add_event(
        event_index, title, start, start + timedelta(hours=1), slug="xss", location_name="Ort"
    )
    html, nodes, meta = render(client, event)
    script = SCRIPT.search(html).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    assert "\\u003C/script\\u003E" in script
    assert nodes["Event"]["name"] == title  # the escapes are JSON: parsed back, nothing is lost
    assert meta["og:title"] == [
        "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;"
    ]


@override_settings(WAGTAIL_I18N_ENABLED=True)
def test_translation_canonical_and_og_locales_follow_hreflang(client, programme):
    english_locale = Locale.objects.create(language_code="en")
    programme.get_parent().copy_for_translation(english_locale).save_revision().publish()
    english = programme.copy_for_translation(english_locale)
    english.title = "The Co-creative Municipality"
    english.save_revision().publish()
    english.refresh_from_db()

    html, nodes, meta = render(client, english)
    hreflang = re.findall(r'<link rel="alternate" hreflang="([a-z-]+)"', html)
    assert set(hreflang) - {"x-default"} == {"de", "en"}
    assert canonical(html).endswith(english.url)
    assert nodes["WebPage"]["inLanguage"] == "en"
    assert meta["og:locale"] == ["en_US"]
    assert meta["og:locale:alternate"] == ["de_DE"]

    html, _nodes, meta = render(client, programme)
    assert canonical(html).endswith(programme.url) and not canonical(html).endswith(english.url)
    assert meta["og:locale"] == ["de_DE"] and meta["og:locale:alternate"] == ["en_US"]


def test_body_tag_writes_the_json_ld_only_without_the_head_tag(rf, programme):
    request = rf.get(programme.url)
    both = Template(
        "{% load kokreative_meta %}{% kokreative_meta %}{% block content %}"
        "{% kokreative_structured_data %}{% endblock %}"
    ).render(Context({"page": programme, "request": request}))
    assert len(SCRIPT.findall(both)) == 1

    body_only = Template("{% load kokreative_meta %}{% kokreative_structured_data %}").render(
        Context({"page": programme, "request": rf.get(programme.url)})
    )
    assert json.loads(SCRIPT.search(body_only).group(1))["@graph"][0]["@type"] == "WebPage"
    assert "canonical" not in body_only

    no_page = Template("{% load kokreative_meta %}{% kokreative_meta %}").render(
        Context({"request": rf.get("/")})
    )
    assert no_page == ""


def test_price_only_where_the_cost_text_states_one():
    assert price_from_text("kostenlos") == 0
    assert price_from_text("Kostenfrei.") == 0
    assert price_from_text("120 €") == 120
    assert str(price_from_text("€ 89,50")) == "89.50"
    assert price_from_text("auf Anfrage") is None
    assert price_from_text("ab 300 € pro Tag") is None
    assert price_from_text("") is None


@pytest.mark.parametrize(
    "base",
    ["base.html", "kokreative_wagtail/minimal_base.html", "tests/other_base.html"],
)
def test_one_json_ld_script_whatever_the_base_template(client, event_index, base, tmp_path):
    """The example site's base and our minimal one carry the head tag; a stranger's base
    without it still gets the JSON-LD once, inside the content (``base.html``'s fallback)."""
    start = next_thursday()
    page = add_event(event_index, "Infosalon", start, start + timedelta(hours=1))
    with override_settings(KOKREATIVE={"BASE_TEMPLATE": base}):
        html = client.get(page.url).content.decode()
    assert len(SCRIPT.findall(html)) == 1
    head = html.split("</head>")[0]
    assert ('rel="canonical"' in head) is (base != "tests/other_base.html")


def test_the_accessibility_pages_are_web_pages_in_german(client, programme):
    """The Leichte Sprache page and the accessibility statement: a ``WebPage`` each, German,
    with breadcrumbs (the statement names its subject)."""
    easy = create_easy_language_page(programme, title="Leichte Sprache", explains=programme)
    statement = create_statement(programme)
    for page in (easy, statement):
        html, nodes, meta = render(client, page)
        node = nodes["WebPage"]
        assert node["name"] == page.title and node["inLanguage"] == "de"
        assert node["url"] == canonical(html) == meta["og:url"][0]
        assert nodes["BreadcrumbList"]["itemListElement"][-1]["name"] == page.title
