"""JSON output: Wagtail API v2 fields of our pages and our django-ninja API."""

import json
import os
from pathlib import Path

import pytest
from wagtail.models import Locale, PageViewRestriction

from ..factories import ElementFactory, ImageFactory, add_page

pytestmark = pytest.mark.django_db

API = "/api/kokreative/v1"
SNAPSHOT = Path(__file__).parents[1] / "snapshots" / "openapi.json"


def test_programme_page_in_api_v2(client, programme, element_page, elements):
    image = ImageFactory(title="Stadtwerkstatt")
    programme.teaser_image = image
    programme.audience_question = "Verwaltungsmitarbeitende oder Politiker:in?"
    programme.consultation_heading = "Beratung"
    programme.consultation_page = element_page
    programme.body = [
        ("heading", {"text": "Partizipation", "level": "h2"}),
        ("rich_text", f'<p>Siehe <a linktype="page" id="{element_page.pk}">hier</a></p>'),
        ("image", {"image": image, "alt_text": "Menschen im Gespräch", "caption": "Workshop"}),
    ]
    programme.save_revision().publish()

    response = client.get(f"/api/v2/pages/{programme.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["type"] == "kokreative_wagtail.ProgrammePage"
    assert data["audience_question"] == "Verwaltungsmitarbeitende oder Politiker:in?"
    assert data["intro"] == "<p>Kokreative Kommune bedeutet …</p>"
    assert data["teaser_image"]["url"].startswith("/")
    assert data["teaser_image"]["full_url"] == f"http://testserver{data['teaser_image']['url']}"
    assert data["teaser_image"]["alt"] == "Stadtwerkstatt"
    assert data["teaser_image"]["srcset"] == (
        f"{data['teaser_image']['full_url']} {data['teaser_image']['width']}w"
    )
    assert data["consultation_url"] == element_page.url

    heading, rich_text, image_block = data["body"]
    assert heading["type"] == "heading"
    assert heading["value"]["text"] == "Partizipation"
    # internal links are resolved to URLs, not Wagtail's storage format
    assert f'href="{element_page.url}"' in rich_text["value"]
    assert "linktype" not in rich_text["value"]
    # one image shape: the block's alternative text is the image's alt
    assert image_block["value"]["image"]["alt"] == "Menschen im Gespräch"
    assert image_block["value"]["image"]["url"].startswith("/")
    assert image_block["value"]["caption"] == "Workshop"

    [teaser] = data["element_pages"]
    assert teaser["title"] == element_page.title
    assert teaser["url"] == element_page.url
    assert teaser["full_url"] == f"http://testserver{element_page.url}"
    assert teaser["element"]["name"] == "Kultureller Wandel"
    assert teaser["element"]["slug"] == "kultureller-wandel"


def test_element_page_in_api_v2_has_the_element_as_object(client, element_page):
    element = element_page.element
    element.description = f'<p>Mehr <a linktype="page" id="{element_page.pk}">dazu</a></p>'
    element.save()
    data = client.get(f"/api/v2/pages/{element_page.pk}/").json()
    assert data["element"] == {
        "id": element_page.element.pk,
        "translation_key": str(element_page.element.translation_key),
        "locale": "de",
        "name": "Kultureller Wandel",
        "slug": "kultureller-wandel",
        "summary": "Eine kurze Zusammenfassung.",
        "colour": "#b5361c",
        "icon": "",
        "description": f'<p>Mehr <a href="{element_page.url}">dazu</a></p>',
    }
    assert data["offers"] == []
    assert data["sibling_elements"] == []


def test_deleted_element_gives_null_in_api_and_page_renders(client, element_page):
    element_page.element.delete()
    data = client.get(f"/api/v2/pages/{element_page.pk}/").json()
    assert data["element"] is None
    assert client.get(element_page.url).status_code == 200


def test_api_v2_hides_drafts_and_private_pages(client, programme):
    from kokreative_wagtail.models import ElementPage

    draft = ElementPage(title="Entwurf", slug="entwurf", live=False)
    programme.add_child(instance=draft)
    private = add_page(programme, ElementPage, title="Intern", slug="intern")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    listing = client.get("/api/v2/pages/?type=kokreative_wagtail.ElementPage").json()
    titles = [item["title"] for item in listing["items"]]
    assert "Entwurf" not in titles and "Intern" not in titles
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{private.pk}/").status_code == 404
    programme_data = client.get(f"/api/v2/pages/{programme.pk}/").json()
    assert programme_data["element_pages"] == []


def test_elements_endpoint_lists_the_taxonomy_of_a_locale(client, elements):
    english = Locale.objects.create(language_code="en")
    ElementFactory(name="Cultural change", locale=english)
    response = client.get(f"{API}/elements")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [item["name"] for item in data["items"]] == ["Kultureller Wandel", "Raumstrukturen"]
    assert data["items"][0]["locale"] == "de"
    assert data["items"][0]["colour"] == "#b5361c"

    data = client.get(f"{API}/elements", {"locale": "en"}).json()
    assert [item["name"] for item in data["items"]] == ["Cultural change"]


def test_elements_endpoint_paginates(client, elements):
    data = client.get(f"{API}/elements", {"limit": 1, "offset": 1}).json()
    assert data["count"] == 2
    assert [item["name"] for item in data["items"]] == ["Raumstrukturen"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"limit": "abc"}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": 100000}, "limit"),
        ({"offset": -1}, "offset"),
        ({"locale": "xx"}, "locale"),
    ],
)
def test_elements_endpoint_bad_input_is_a_400_naming_the_parameter(client, db, params, field):
    response = client.get(f"{API}/elements", params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"]
    assert field in body["errors"]
    assert all(isinstance(message, str) for message in body["errors"][field])


def test_unknown_api_path_is_a_json_404(client, db):
    for path in (f"{API}/nothing-here", f"{API}/nothing-here/", f"{API}/elements/x"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["detail"]


PHRASES_RENAMED_IN_PY313 = {
    "Request Entity Too Large": "Content Too Large",
    "Unprocessable Entity": "Unprocessable Content",
}


def test_openapi_schema_matches_the_snapshot(client, db):
    """The contract front ends code against; a change shows up as a diff in review.

    Regenerate with ``UPDATE_SNAPSHOTS=1 pytest tests/core/test_api.py``.
    """
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/kokreative/v1/elements" in schema["paths"]
    assert client.get(f"{API}/docs").status_code == 200
    rendered = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    # Python 3.13 renamed two status phrases that django-ninja uses as response descriptions.
    for old, new in PHRASES_RENAMED_IN_PY313.items():
        rendered = rendered.replace(f'"description": "{old}"', f'"description": "{new}"')
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(rendered, encoding="utf-8")
    assert SNAPSHOT.exists(), "run UPDATE_SNAPSHOTS=1 pytest tests/core/test_api.py once"
    assert json.loads(SNAPSHOT.read_text(encoding="utf-8")) == json.loads(rendered)


def test_api_v2_listing_with_all_fields(client, programme, element_page):
    response = client.get(
        "/api/v2/pages/", {"type": "kokreative_wagtail.ProgrammePage", "fields": "*"}
    )
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["element_pages"][0]["element"]["slug"] == "kultureller-wandel"
    response = client.get(
        "/api/v2/pages/", {"type": "kokreative_wagtail.ElementPage", "fields": "*"}
    )
    assert response.json()["items"][0]["element"]["name"] == "Kultureller Wandel"


def test_element_page_in_api_v2_is_complete_without_further_requests(
    client, site_root, programme, elements, element_page
):
    """Element, description, its offers and the sibling element pages in one answer, with a
    number of queries that does not grow with the offers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..factories import create_element_page
    from ..offers.factories import build_offers, create_offer_index, default_audiences

    sibling = create_element_page(programme, elements[1])
    index = create_offer_index(site_root)
    audiences = list(default_audiences().values())[:2]
    build_offers(index, 2, audiences=audiences, elements=[elements[0]])
    build_offers(index, 1, start=50, elements=[elements[1]])  # another element's offer
    url = f"/api/v2/pages/{element_page.pk}/"

    def measure() -> tuple[int, dict]:
        assert client.get(url).status_code == 200  # renditions created, caches filled
        with CaptureQueriesContext(connection) as captured:
            data = client.get(url).json()
        return len(captured), data

    few, data = measure()
    assert [offer["title"] for offer in data["offers"]] == ["Angebot 000", "Angebot 001"]
    offer = data["offers"][0]
    assert {"id", "url", "full_url", "kind", "audiences", "elements", "teaser_image"} <= set(offer)
    assert offer["elements"][0]["slug"] == "kultureller-wandel"
    assert offer["teaser_image"]["srcset"].endswith(f"{offer['teaser_image']['width']}w")
    assert data["sibling_elements"] == [
        {
            "id": sibling.pk,
            "title": "Raumstrukturen",
            "url": sibling.url,
            "full_url": f"http://testserver{sibling.url}",
            "element": data["sibling_elements"][0]["element"],
        }
    ]
    assert data["sibling_elements"][0]["element"]["slug"] == "raumstrukturen"
    sibling_data = client.get(f"/api/v2/pages/{sibling.pk}/").json()
    assert [item["id"] for item in sibling_data["sibling_elements"]] == [element_page.pk]
    assert [offer["title"] for offer in sibling_data["offers"]] == ["Angebot 050"]

    build_offers(index, 6, start=10, audiences=audiences, elements=[elements[0]])
    many, data = measure()
    assert len(data["offers"]) == 8
    assert many == few
