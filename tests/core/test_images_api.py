"""One image shape everywhere: main rendition, alt, srcset and renditions, absolute URLs."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection
from django.db.models import Prefetch
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model

from kokreative_wagtail.blocks.content import ContactPersonBlock, ImageBlock
from kokreative_wagtail.images import image_representation, rendition_specs, srcset_specs
from kokreative_wagtail.serializers import ImageField

from ..factories import ImageFactory, png_bytes

pytestmark = pytest.mark.django_db

SHAPE = {"id", "url", "full_url", "width", "height", "alt", "srcset", "renditions"}


def big_image(width: int = 2000, height: int = 1000, **fields):
    return ImageFactory(
        file=ImageFile(BytesIO(png_bytes(width, height)), name="gross.png"), **fields
    )


@pytest.mark.parametrize(
    ("spec", "variants"),
    [
        ("width-1200", ["width-480", "width-960"]),
        ("width-960", ["width-480"]),
        ("fill-1200x630", ["fill-480x252", "fill-960x504"]),
        ("fill-200x200-c100", []),
        ("fill-1000x1000-c50", ["fill-480x480-c50", "fill-960x960-c50"]),
        ("max-1600x900", ["max-480x270", "max-960x540", "max-1440x810"]),
        ("original", []),
        ("height-400", []),
        ("width-1200|format-webp", []),
    ],
)
def test_srcset_variants_follow_the_spec(spec, variants):
    assert srcset_specs(spec) == variants
    assert rendition_specs(spec) == [spec, *variants]


@override_settings(KOKREATIVE={"IMAGE_SRCSET_WIDTHS": [1000, 300, 300]})
def test_srcset_widths_are_a_setting():
    assert srcset_specs("width-1200") == ["width-300", "width-1000"]
    assert rendition_specs() == ["width-1200", "width-300", "width-1000"]  # IMAGE_RENDITION


def test_the_shape_with_renditions_and_srcset(rf):
    image = big_image(title="Werkstatt")
    request = rf.get("/", HTTP_HOST="testserver")
    data = image_representation(image, "width-1200", request)
    assert set(data) == SHAPE
    assert (data["id"], data["width"], data["height"]) == (image.pk, 1200, 600)
    assert data["url"].startswith("/") and data["url"].endswith(".png")
    assert data["full_url"] == f"http://testserver{data['url']}"
    assert data["alt"] == "Werkstatt"
    assert [(r["width"], r["height"]) for r in data["renditions"]] == [
        (480, 240),
        (960, 480),
        (1200, 600),
    ]
    assert data["renditions"][-1]["url"] == data["url"]
    assert data["srcset"] == ", ".join(f"{r['full_url']} {r['width']}w" for r in data["renditions"])
    assert all(r["full_url"].startswith("http://testserver/") for r in data["renditions"])

    fill = image_representation(image, "fill-1200x630", request)
    assert [(r["width"], r["height"]) for r in fill["renditions"]] == [
        (480, 252),
        (960, 504),
        (1200, 630),
    ]


def test_renditions_are_never_wider_than_the_main_one():
    small = big_image(700, 350)
    data = image_representation(small, "width-1200")
    assert data["width"] == 700  # Wagtail does not upscale
    assert [r["width"] for r in data["renditions"]] == [480, 700]
    tiny = ImageFactory()  # 64 x 48
    data = image_representation(tiny, "width-1200")
    assert [r["width"] for r in data["renditions"]] == [64]
    assert data["srcset"].endswith(" 64w")


def test_urls_without_a_request_and_with_a_public_base(settings):
    image = big_image()
    data = image_representation(image, "width-960")
    assert data["full_url"] == f"{settings.WAGTAILADMIN_BASE_URL}{data['url']}"
    settings.KOKREATIVE = {"PUBLIC_BASE_URL": "https://bilder.kommune.example"}
    data = image_representation(image, "width-960")
    assert data["full_url"] == f"https://bilder.kommune.example{data['url']}"
    assert data["srcset"].startswith("https://bilder.kommune.example/")


def test_alt_is_the_images_default_alternative_text():
    image = big_image(title="Dateiname", description="Menschen an einem Tisch")
    assert image_representation(image)["alt"] == "Menschen an einem Tisch"
    assert image_representation(None) is None


def test_a_broken_file_gives_an_empty_shape_not_an_error(client, programme):
    image = ImageFactory()
    image.file.storage.delete(image.file.name)
    data = image_representation(image, "width-1200")
    assert data == {
        "id": image.pk,
        "url": None,
        "full_url": None,
        "width": None,
        "height": None,
        "alt": image.title,
        "srcset": "",
        "renditions": [],
    }
    programme.teaser_image = image
    programme.save_revision().publish()
    response = client.get(f"/api/v2/pages/{programme.pk}/")
    assert response.status_code == 200
    assert response.json()["teaser_image"]["url"] is None


def test_a_listing_prefetch_serves_every_rendition_without_a_query():
    Image = get_image_model()
    Rendition = Image.get_rendition_model()
    images = [big_image() for _ in range(3)]
    for image in images:
        image_representation(image, "fill-1200x630")  # creates the renditions
    specs = rendition_specs("fill-1200x630")
    prefetched = list(
        Image.objects.filter(pk__in=[i.pk for i in images]).prefetch_related(
            Prefetch("renditions", queryset=Rendition.objects.filter(filter_spec__in=specs))
        )
    )
    with CaptureQueriesContext(connection) as captured:
        shapes = [image_representation(image, "fill-1200x630") for image in prefetched]
    assert len(captured) == 0
    assert all(len(shape["renditions"]) == 3 for shape in shapes)

    # a prefetch of the main spec only: the variants come from Wagtail's rendition cache
    main_only = list(
        Image.objects.filter(pk__in=[i.pk for i in images]).prefetch_related(
            Prefetch("renditions", queryset=Rendition.objects.filter(filter_spec=specs[0]))
        )
    )
    with CaptureQueriesContext(connection) as captured:
        shapes = [image_representation(image, "fill-1200x630") for image in main_only]
    assert len(captured) == 0
    assert all(len(shape["renditions"]) == 3 for shape in shapes)


def test_image_field_reads_a_setting_or_a_spec(settings):
    image = big_image()
    assert ImageField("fill-480x480").to_representation(image)["width"] == 480
    settings.KOKREATIVE = {"TEASER_RENDITION": "width-960"}
    assert ImageField("TEASER_RENDITION").to_representation(image)["width"] == 960


def test_blocks_use_the_image_shape():
    image = big_image(title="Werkstatt")
    block = ImageBlock()
    value = block.to_python({"image": image.pk, "alt_text": "Menschen am Tisch", "caption": "C"})
    api = block.get_api_representation(value)
    assert set(api["image"]) == SHAPE
    assert api["image"]["alt"] == "Menschen am Tisch"
    assert api["caption"] == "C" and api["decorative"] is False
    decorative = block.to_python({"image": image.pk, "alt_text": "x", "decorative": True})
    assert block.get_api_representation(decorative)["image"]["alt"] == ""
    default = block.to_python({"image": image.pk, "alt_text": ""})
    assert block.get_api_representation(default)["image"]["alt"] == "Werkstatt"

    contact = ContactPersonBlock()
    value = contact.to_python({"name": "Kim", "image": image.pk})
    photo = contact.get_api_representation(value)["image"]
    assert set(photo) == SHAPE
    assert (photo["width"], photo["height"]) == (240, 240)
    assert contact.get_api_representation(contact.to_python({"name": "Kim"}))["image"] is None


def test_images_and_documents_endpoints_use_the_host_that_answered(client, settings):
    from wagtail.documents import get_document_model

    settings.ALLOWED_HOSTS = ["kommune.example"]
    image = big_image()
    data = client.get(f"/api/v2/images/{image.pk}/", HTTP_HOST="kommune.example").json()
    assert data["meta"]["detail_url"] == f"http://kommune.example/api/v2/images/{image.pk}/"
    assert image.file.url.startswith("/")
    assert data["meta"]["download_url"] == f"http://kommune.example{image.file.url}"
    listing = client.get("/api/v2/images/", {"fields": "download_url"}, HTTP_HOST="kommune.example")
    assert listing.json()["items"][0]["meta"]["download_url"] == data["meta"]["download_url"]
    document = get_document_model().objects.create(
        title="Satzung", file=ContentFile(b"%PDF-1.4", name="satzung.pdf")
    )
    data = client.get(f"/api/v2/documents/{document.pk}/", HTTP_HOST="kommune.example").json()
    assert data["meta"]["download_url"] == f"http://kommune.example{document.url}"
    assert data["meta"]["detail_url"] == f"http://kommune.example/api/v2/documents/{document.pk}/"
