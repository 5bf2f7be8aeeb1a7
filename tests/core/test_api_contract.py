"""One contract across our API and the page API (docs/api-contract.md): the same names and shapes
for occurrences, form fields, images and offers, one date-time form, paging with ``offset`` on
every list, and one error shape."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from kokreative_wagtail.api_utils import iso_datetime
from kokreative_wagtail.consultations.models import ConsultationFormField
from kokreative_wagtail.events.serializers import OCCURRENCE_KEYS

from ..consultations.factories import create_consultation_page, old_token
from ..events.factories import create_event, create_event_index
from ..factories import ImageFactory
from ..offers.factories import create_offer, create_offer_index, default_audiences

pytestmark = pytest.mark.django_db

API = "/api/kokreative/v1"
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
#: A text that starts like a date-time (an ISO date followed by ``T``).
LOOKS_LIKE_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT")
FORM_FIELD_KEYS = {
    "name",
    "type",
    "label",
    "help_text",
    "required",
    "choices",
    "default",
    "max_length",
}
IMAGE_KEYS = {"id", "url", "full_url", "width", "height", "alt", "srcset", "renditions"}
PAGE_REF_KEYS = {"id", "title", "url", "full_url"}
RULE = "RRULE:FREQ=WEEKLY;BYDAY=TH"


@pytest.fixture
def world(site_root, programme, elements):
    """An offer with an image, a weekly event delivering it, a programme page listing the next
    dates, and a form with choice fields."""
    audiences = default_audiences()
    image = ImageFactory(title="Gruppenbild")
    offer = create_offer(
        create_offer_index(site_root),
        title="Community of Practice",
        kind="community",
        format="hybrid",
        teaser_image=image,
        audiences=[audiences["verwaltung"]],
        elements=elements,
    )
    create_offer(offer.get_parent(), title="Workshop Beteiligung", kind="training")
    start = (timezone.now() + timedelta(days=2)).replace(microsecond=123456)
    event = create_event(
        create_event_index(site_root),
        start,
        rule=RULE,
        related_offer=offer,
        teaser_image=image,
        location_name="Rathaus",
    )
    event.elements = [elements[0]]
    event.save_revision().publish()
    programme.body = [("upcoming_events", {"heading": "Termine", "count": 3})]
    programme.save_revision().publish()
    form = create_consultation_page(
        site_root,
        fields=[
            ConsultationFormField(label="Name", field_type="singleline", required=True),
            ConsultationFormField(
                label="Thema", field_type="dropdown", choices="Beteiligung\r\nRaumplanung"
            ),
            ConsultationFormField(
                label="Format",
                field_type="checkboxes",
                choices="Vor Ort\r\nOnline",
                default_value="Online",
            ),
        ],
    )
    return {"offer": offer, "event": event, "programme": programme, "form": form, "image": image}


def get_json(client, url, params=None) -> dict:
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.content[:500])
    return response.json()


def date_times(data, path=""):
    """Every text in ``data`` that starts like a date-time, with its path (``meta`` of API v2
    included: our viewsets write ``first_published_at`` in the same form)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from date_times(value, f"{path}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from date_times(value, f"{path}[{index}]")
    elif isinstance(data, str) and LOOKS_LIKE_DATETIME.match(data):
        yield path, data


# --- date-times ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-05T16:30:00.123456+01:00", "2026-03-05T15:30:00Z"),
        ("2026-03-05T15:30:00Z", "2026-03-05T15:30:00Z"),
        ("2026-07-01T12:00:00", "2026-07-01T10:00:00Z"),  # naive: the site's zone (CEST)
        (None, None),
        ("", None),
    ],
)
def test_iso_datetime_writes_one_form(value, expected):
    assert iso_datetime(value) == expected


def test_iso_datetime_keeps_a_date_a_date():
    from datetime import date

    assert iso_datetime(date(2026, 3, 5)) == "2026-03-05"


def test_every_date_time_of_both_apis_is_utc_with_whole_seconds(client, world):
    ours = [
        f"{API}/offers",
        f"{API}/occurrences",
        f"{API}/forms/{world['form'].pk}",
    ]
    v2 = [
        f"/api/v2/pages/{world['offer'].pk}/",
        f"/api/v2/pages/{world['event'].pk}/",
        f"/api/v2/pages/{world['programme'].pk}/",
    ]
    found = []
    for url in ours:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "+00:00" not in body and "+01:00" not in body and "+02:00" not in body, url
        found += list(date_times(response.json(), url))
    for url in v2:
        found += list(date_times(get_json(client, url), url))
    paths = {path for path, _value in found}
    # the date-times the fixture makes sure of, in each API
    assert f"{API}/offers.items[0].last_published_at" in paths
    assert f"{API}/occurrences.items[0].original_start" in paths
    assert f"/api/v2/pages/{world['event'].pk}/.start" in paths
    assert f"/api/v2/pages/{world['event'].pk}/.upcoming_occurrences[0].end" in paths
    bad = [(path, value) for path, value in found if not DATETIME.match(value)]
    assert bad == []


def test_openapi_documents_the_date_time_form(client, db):
    schema = get_json(client, f"{API}/openapi.json")["components"]["schemas"]
    for name, field in [
        ("OccurrenceSchema", "start"),
        ("OfferSchema", "last_published_at"),
        ("DateSchema", "start"),  # a date of a registration
    ]:
        prop = schema[name]["properties"][field]
        options = prop.get("anyOf", [prop])
        assert any(o.get("format") == "date-time" for o in options), (name, field)
        assert "YYYY-MM-DDTHH:MM:SSZ" in json.dumps(prop), (name, field)


# --- one occurrence shape -----------------------------------------------------------------------


def test_one_occurrence_shape_in_both_apis_and_the_block(client, world):
    event = world["event"]
    listed = get_json(client, f"{API}/occurrences")["items"]
    page = get_json(client, f"/api/v2/pages/{event.pk}/")["upcoming_occurrences"]
    [block] = get_json(client, f"/api/v2/pages/{world['programme'].pk}/")["body"]
    block_items = block["value"]["occurrences"]

    for items in (listed, page, block_items):
        assert items and all(list(item) == list(OCCURRENCE_KEYS) for item in items)
        assert set(items[0]["event"]) == PAGE_REF_KEYS
    # the same occurrence says the same everywhere
    assert listed[0] == page[0] == block_items[0]
    first = listed[0]
    assert first["event"]["id"] == event.pk
    assert first["event"]["full_url"] == "http://testserver" + event.url
    assert first["offer_id"] == world["offer"].pk
    assert (first["cancelled"], first["moved"]) == (False, False)
    assert first["start"] == first["original_start"]
    assert [e["slug"] for e in first["elements"]] == ["kultureller-wandel"]


# --- the same names for the same thing ----------------------------------------------------------


def test_offer_in_both_apis_has_the_same_names_and_shapes(client, world):
    items = get_json(client, f"{API}/offers")["items"]
    [item] = [item for item in items if item["id"] == world["offer"].pk]
    page = get_json(client, f"/api/v2/pages/{world['offer'].pk}/")
    for name in ("kind", "kind_label", "format", "format_label", "audiences", "elements"):
        assert page[name] == item[name], name
    assert item["kind_label"] and item["format_label"]
    assert set(item["teaser_image"]) == set(page["teaser_image"]) == IMAGE_KEYS
    assert page["teaser_image"] == item["teaser_image"]
    assert item["teaser_image"]["full_url"].startswith("http://testserver/")
    assert item["teaser_image"]["srcset"].startswith(
        item["teaser_image"]["renditions"][0]["full_url"]
    )


def test_event_page_names_its_offer_offer_id(client, world):
    page = get_json(client, f"/api/v2/pages/{world['event'].pk}/")
    assert page["offer_id"] == world["offer"].pk
    assert "related_offer_id" not in page
    assert set(page["teaser_image"]) == IMAGE_KEYS
    assert page["start"] == iso_datetime(world["event"].start)


# --- one form-field shape -----------------------------------------------------------------------


def test_form_fields_have_one_shape_in_both_apis(client, world):
    form = world["form"]
    ours = get_json(client, f"{API}/forms/{form.pk}")["fields"]
    v2 = get_json(client, f"/api/v2/pages/{form.pk}/")["form_fields"]
    assert ours == v2
    assert all(set(field) == FORM_FIELD_KEYS for field in ours)
    name, topic, formats = ours
    assert name["choices"] == [] and name["type"] == "singleline"
    assert topic["choices"] == [
        {"value": "Beteiligung", "label": "Beteiligung"},
        {"value": "Raumplanung", "label": "Raumplanung"},
    ]
    assert formats["default"] == ["Online"]  # a choice field's default is given as values


def test_consent_and_send_button_are_the_same_in_both_apis(client, world):
    form = world["form"]
    ours = get_json(client, f"{API}/forms/{form.pk}")
    v2 = get_json(client, f"/api/v2/pages/{form.pk}/")
    assert v2["consent"] == ours["consent"]
    assert ours["consent"]["name"] == "privacy_consent" and ours["consent"]["text"]
    assert v2["submit_label"] == ours["submit_label"] == "Senden"  # the default, in German


def submit(client, form, fields, **extra):
    data = {"fields": fields, "token": old_token(form), "honeypot": ""}
    extra.setdefault("content_type", "application/json")
    return client.post(f"{API}/forms/{form.pk}/submissions", json.dumps(data), **extra)


def test_a_submission_takes_the_choice_values(client, world):
    from wagtail.contrib.forms.models import FormSubmission

    form = world["form"]
    names = {f["label"]: f["name"] for f in get_json(client, f"{API}/forms/{form.pk}")["fields"]}
    fields = {
        names["Name"]: "Kim",
        names["Thema"]: "Raumplanung",
        names["Format"]: ["Vor Ort"],
        "privacy_consent": True,
    }
    assert submit(client, form, fields).status_code == 201
    stored = FormSubmission.objects.get().get_data()
    assert (stored[names["Thema"]], stored[names["Format"]]) == ("Raumplanung", ["Vor Ort"])

    fields[names["Thema"]] = "Gibt es nicht"
    response = submit(client, form, fields)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [names["Thema"]]


# --- paging on every list -----------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["elements", "offers", "occurrences"])
def test_every_list_pages_with_limit_and_offset(client, world, endpoint):
    url = f"{API}/{endpoint}"
    everything = get_json(client, url)
    assert everything["count"] >= 2, endpoint
    second = get_json(client, url, {"limit": 1, "offset": 1})
    assert second["count"] == everything["count"]
    assert second["items"] == everything["items"][1:2]
    beyond = get_json(client, url, {"offset": everything["count"]})
    assert (beyond["count"], beyond["items"]) == (everything["count"], [])
    for bad in (-1, 2**31, "abc"):
        response = client.get(url, {"offset": bad})
        assert response.status_code == 400, (endpoint, bad)
        assert "offset" in response.json()["errors"], (endpoint, bad)


@pytest.mark.parametrize("endpoint", ["offers", "occurrences"])
def test_an_unknown_query_parameter_is_named_not_ignored(client, world, endpoint):
    response = client.get(f"{API}/{endpoint}", {"ofset": 1, "page": 2})
    assert response.status_code == 400
    data = response.json()
    assert set(data["errors"]) == {"ofset", "page"}
    assert "offset" in data["errors"]["ofset"][0]
    # jQuery's cache buster is let through, as API v2 does
    assert client.get(f"{API}/{endpoint}", {"_": "1733390000"}).status_code == 200


def test_the_form_endpoint_names_unknown_parameters_too(client, world):
    url = f"{API}/forms/{world['form'].pk}"
    response = client.get(url, {"offset": 1})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["offset"]
    assert client.get(url, {"locale": "de", "_": "1"}).status_code == 200


# --- one error shape ----------------------------------------------------------------------------


def assert_error_shape(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) >= {"detail", "errors"}, data
    assert isinstance(data["detail"], str) and data["detail"]
    assert isinstance(data["errors"], dict)
    assert all(
        isinstance(messages, list) and all(isinstance(m, str) for m in messages)
        for messages in data["errors"].values()
    )
    return data


def test_every_error_of_our_endpoints_has_one_shape(client, world):
    form = world["form"]
    assert_error_shape(client.get(f"{API}/occurrences", {"from": "garbage"}), 400)
    assert_error_shape(client.get(f"{API}/offers", {"kind": "nope"}), 400)
    assert_error_shape(client.get(f"{API}/forms/99999"), 404)
    assert_error_shape(client.get(f"{API}/forms/0"), 400)
    assert_error_shape(client.get(f"{API}/no-such-endpoint"), 404)
    url = f"{API}/forms/{form.pk}/submissions"
    assert_error_shape(client.post(url, "a=b", content_type="text/plain"), 415)
    assert_error_shape(client.post(url, "{", content_type="application/json"), 400)
    assert_error_shape(submit(client, form, {"nope": "x"}), 400)
    with override_settings(KOKREATIVE={"FORM_MAX_BODY_BYTES": 100}):
        assert_error_shape(submit(client, form, {"x": "y" * 200}), 413)
    # registrations: the same shape (a 409 adds its ``code``)
    assert_error_shape(client.get(f"{API}/events/99999/registration"), 404)
    assert_error_shape(client.get(f"{API}/events/{form.pk}/registration"), 404)
    cancel = f"{API}/registrations/cancel"
    assert_error_shape(client.post(cancel, "token=x", content_type="text/plain"), 415)
    assert_error_shape(client.post(cancel, "{", content_type="application/json"), 400)
    assert_error_shape(client.post(cancel, '{"token": "x"}', content_type="application/json"), 404)


def test_csrf_and_rate_limit_errors_have_the_shape_too(world, django_user_model):
    form = world["form"]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(django_user_model.objects.create_user("besuch", "b@example.org", "pw"))
    data = assert_error_shape(submit(browser, form, {}), 403)
    assert "CSRF" in data["detail"]

    with override_settings(KOKREATIVE={"FORM_RATE_LIMIT": 1}):
        client = Client()
        assert submit(client, form, {}).status_code == 400  # counted, rejected
        response = submit(client, form, {})
        assert_error_shape(response, 429)
        assert int(response["Retry-After"]) > 0
