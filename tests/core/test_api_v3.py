"""Wagtail 8's own API v3 with our page types: schema discovery, reads, listing, privacy.

The example site mounts Wagtail's v3 API at ``/api/v3/`` where Wagtail has it (8.0 and later).
Every page type of the package must appear in ``/schema/``, have a read schema with its API
fields, and every demo page must be served by ``/pages/{id}/`` in a form that validates against
that schema and says the same as API v2.
"""

from __future__ import annotations

import re
from datetime import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.api.conf import APIField
from wagtail.models import Page, get_page_models

pytest.importorskip("wagtail.api.v3.api", reason="Wagtail's API v3 exists from Wagtail 8 on")
jsonschema_rs = pytest.importorskip("jsonschema_rs")

from wagtail.models import APIToken  # noqa: E402  (Wagtail 8 only)

pytestmark = pytest.mark.django_db

OUR_PAGE_MODELS = [
    model for model in get_page_models() if model.__module__.startswith("kokreative_wagtail.")
]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def token_headers(db) -> dict[str, str]:
    """An API token of an editor: the schema endpoints need one."""
    user = get_user_model().objects.create_user("api-reader", password="x", is_superuser=True)
    _, plaintext = APIToken.create_token(user=user, name="front end")
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def api_field_names(model) -> list[str]:
    return [field.name for field in APIField.get_fields_for_model(model)]


def normalized(value):
    """The same value with ISO date-times as instants at millisecond precision, and absolute
    URLs without their scheme and host.

    API v2 writes date-times in the site's zone with microseconds, v3 in UTC with milliseconds:
    the same instants, spelt differently. Wagtail's v3 hands our fields no request, so their
    absolute URLs name the Site record's host (or ``PUBLIC_BASE_URL``), v2's the host that
    answered: the same paths on another host.
    """
    if isinstance(value, dict):
        return {key: normalized(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalized(item) for item in value]
    if isinstance(value, str) and "://" in value:
        return re.sub(r"https?://[^/\s\"']+", "", value)
    if isinstance(value, str) and len(value) >= 20 and value[4:5] == "-" and "T" in value:
        try:
            instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        if instant.tzinfo is not None:
            return instant.replace(microsecond=instant.microsecond // 1000 * 1000)
    return value


def test_every_page_type_of_the_package_is_discoverable(client, token_headers):
    assert len(OUR_PAGE_MODELS) == 9, [model.__name__ for model in OUR_PAGE_MODELS]

    assert client.get("/api/v3/schema/").status_code == 401  # the schemas need a token

    response = client.get("/api/v3/schema/", **token_headers)
    assert response.status_code == 200
    listed = {entry["name"]: entry["label"] for entry in response.json()["types"]}
    for model in OUR_PAGE_MODELS:
        assert listed[model._meta.label] == str(model._meta.verbose_name)

    for model in OUR_PAGE_MODELS:
        response = client.get(f"/api/v3/schema/{model._meta.label}/", **token_headers)
        assert response.status_code == 200, model
        read = response.json()["read"]
        assert set(api_field_names(model)) <= set(read["properties"]), model
        # the schema is a valid JSON Schema document
        jsonschema_rs.validator_for(read)

    response = client.get("/api/v3/schema/kokreative_offers.NoSuchPage/", **token_headers)
    assert response.status_code == 404


def test_every_demo_page_reads_as_its_schema_says_and_as_api_v2(client, demo, token_headers):
    schemas = {
        model: client.get(f"/api/v3/schema/{model._meta.label}/", **token_headers).json()["read"]
        for model in OUR_PAGE_MODELS
    }
    seen = set()
    for page in Page.objects.live().public().specific():
        model = type(page)
        if model not in schemas:
            continue
        seen.add(model)
        response = client.get(f"/api/v3/pages/{page.pk}/")  # anonymous: public pages are public
        assert response.status_code == 200, (page, response.content[:500])
        v3 = response.json()
        jsonschema_rs.validate(schemas[model], v3)
        assert v3["meta"]["type"] == model._meta.label

        v2 = client.get(f"/api/v2/pages/{page.pk}/").json()
        for name in api_field_names(model):
            assert normalized(v3[name]) == normalized(v2[name]), (page, name)
    assert seen == set(OUR_PAGE_MODELS), "the demo has a page of every type"


def test_listing_by_our_types_matches_api_v2(client, demo):
    for model in OUR_PAGE_MODELS:
        label = model._meta.label
        v3 = client.get("/api/v3/pages/", {"type": label, "limit": 20})
        assert v3.status_code == 200, v3.content[:500]
        v2 = client.get("/api/v2/pages/", {"type": label, "limit": 20}).json()
        assert [item["id"] for item in v3.json()["items"]] == [item["id"] for item in v2["items"]]
        assert v3.json()["items"], label
        assert {item["meta"]["type"] for item in v3.json()["items"]} == {label}

    response = client.get("/api/v3/pages/", {"type": "kokreative_offers.NoSuchPage"})
    assert response.status_code == 422  # a clear error (problem+json), not a 500


def test_an_online_link_for_registered_participants_stays_out_of_api_v3(client, demo):
    from kokreative_wagtail.events.choices import OnlineLinkVisibility
    from kokreative_wagtail.events.models import EventPage

    event = EventPage.objects.live().first()
    secret = "https://meet.example.org/geheimer-raum-4711"
    event.online_url = secret
    event.online_link_visibility = OnlineLinkVisibility.REGISTERED
    event.save_revision().publish()

    response = client.get(f"/api/v3/pages/{event.pk}/")
    assert response.status_code == 200
    assert response.json()["public_online_url"] is None
    assert secret not in response.content.decode()

    event.online_link_visibility = OnlineLinkVisibility.ALWAYS
    event.save_revision().publish()
    assert client.get(f"/api/v3/pages/{event.pk}/").json()["public_online_url"] == secret
