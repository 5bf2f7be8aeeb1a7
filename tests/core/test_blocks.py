"""The shared blocks, the block registry and its hook, and migrations staying put."""

import io
import json

import pytest
from django.core.management import call_command
from wagtail import blocks, hooks
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from kokreative_wagtail.blocks import (
    CallToActionBlock,
    ImageBlock,
    KokreativeStreamBlock,
    block_registry,
)
from kokreative_wagtail.models import ElementPage, ProgrammePage

from ..factories import ImageFactory

pytestmark = pytest.mark.django_db

BASE_BLOCKS = {
    "rich_text",
    "heading",
    "quote",
    "image",
    "accordion",
    "call_to_action",
    "contact_person",
    "documents",
}


class MapBlock(blocks.StructBlock):
    """A site's own block, as a site developer would write it."""

    place = blocks.CharBlock()
    zoom = blocks.IntegerBlock(default=12)

    class Meta:
        template = "tests/map_block.html"


def register_map(registry):
    registry.register("map", MapBlock())


#: Blocks our own capability apps register through the hook (offer list, upcoming events,
#: consent-gated embed).
APP_BLOCKS = {"offer_list", "upcoming_events", "consent_embed", "sign_language_video"}
#: The example site's own block (example_site/home/wagtail_hooks.py): tests use its settings.
SITE_BLOCKS = {"notice"}


def test_stream_block_offers_the_shared_blocks():
    assert set(KokreativeStreamBlock.base_blocks) == BASE_BLOCKS
    assert set(KokreativeStreamBlock().child_blocks) == BASE_BLOCKS | APP_BLOCKS | SITE_BLOCKS
    field = ProgrammePage._meta.get_field("body")
    assert set(field.stream_block.child_blocks) == BASE_BLOCKS | APP_BLOCKS | SITE_BLOCKS


def test_registered_block_appears_in_the_page_streamfield_and_the_api(client, programme):
    with hooks.register_temporarily("register_kokreative_blocks", register_map):
        block_registry.reset()
        for model in (ProgrammePage, ElementPage):
            child_blocks = model._meta.get_field("body").stream_block.child_blocks
            assert "map" in child_blocks
            assert set(child_blocks) >= BASE_BLOCKS

        programme.body = [("map", {"place": "Rathaus Musterstadt", "zoom": 15})]
        programme.save_revision().publish()

        response = client.get(f"/api/v2/pages/{programme.pk}/")
        assert response.status_code == 200
        body = response.json()["body"]
        assert body[0]["type"] == "map"
        assert body[0]["value"] == {"place": "Rathaus Musterstadt", "zoom": 15}

        page = client.get(programme.url)
        assert page.status_code == 200
        assert "Rathaus Musterstadt" in page.content.decode()


def test_subclassing_adds_blocks():
    class SiteStreamBlock(KokreativeStreamBlock):
        map = MapBlock()

    assert set(SiteStreamBlock().child_blocks) == BASE_BLOCKS | APP_BLOCKS | SITE_BLOCKS | {"map"}


def test_registry_rejects_bad_registrations():
    with pytest.raises(ValueError):
        block_registry.register("not a name", MapBlock())
    with pytest.raises(TypeError):
        block_registry.register("map", MapBlock)
    block_registry.register("map", MapBlock())
    with pytest.raises(ValueError):
        block_registry.register("map", MapBlock())


def test_declared_block_wins_over_a_registered_one_of_the_same_name():
    block_registry.register("quote", MapBlock())
    assert isinstance(KokreativeStreamBlock().child_blocks["quote"], blocks.StructBlock)
    assert "place" not in KokreativeStreamBlock().child_blocks["quote"].child_blocks


def test_registering_a_block_leaves_migrations_unchanged():
    with hooks.register_temporarily("register_kokreative_blocks", register_map):
        block_registry.reset()
        assert "map" in ProgrammePage._meta.get_field("body").stream_block.child_blocks
        out = io.StringIO()
        # Raises SystemExit(1) when a migration would be written.
        call_command("makemigrations", "kokreative_wagtail", check=True, dry_run=True, stdout=out)
        assert "No changes detected" in out.getvalue()


def test_deconstruct_names_only_the_base_blocks():
    block_registry.register("map", MapBlock())
    field = ProgrammePage._meta.get_field("body")
    _name, path, args, _kwargs = field.deconstruct()
    assert path == "wagtail.fields.StreamField"
    assert {name for name, _ in args[0]} == BASE_BLOCKS


def test_call_to_action_needs_exactly_one_target(programme):
    block = CallToActionBlock()
    base = {"heading": "Beratung", "text": "", "link_label": "Los"}
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(block.to_python({**base, "link_page": None, "link_url": ""}))
    assert set(excinfo.value.block_errors) == {"link_page", "link_url"}
    with pytest.raises(StructBlockValidationError):
        block.clean(
            block.to_python({**base, "link_page": programme.pk, "link_url": "https://example.org"})
        )
    value = block.clean(block.to_python({**base, "link_page": programme.pk, "link_url": ""}))
    assert value.url() == programme.url


def test_call_to_action_rejects_javascript_urls():
    block = CallToActionBlock()
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(
            block.to_python({"heading": "X", "link_label": "Y", "link_url": "javascript:alert(1)"})
        )
    assert "link_url" in excinfo.value.block_errors


def test_image_block_alt_text_and_api_rendition():
    image = ImageFactory(title="Stadtwerkstatt", description="")
    block = ImageBlock()
    value = block.to_python({"image": image.pk, "alt_text": "", "caption": "Foto"})
    api = block.get_api_representation(value)
    assert api["image"]["alt"] == "Stadtwerkstatt"
    assert api["caption"] == "Foto"
    assert api["image"]["id"] == image.pk
    assert api["image"]["url"].startswith("/")
    assert api["image"]["width"] and api["image"]["height"]

    value = block.to_python({"image": image.pk, "alt_text": "Menschen am Tisch"})
    assert block.get_api_representation(value)["image"]["alt"] == "Menschen am Tisch"
    html = block.render(value)
    assert 'alt="Menschen am Tisch"' in html

    decorative = block.to_python({"image": image.pk, "alt_text": "x", "decorative": True})
    assert block.get_api_representation(decorative)["image"]["alt"] == ""
    assert 'alt=""' in block.render(decorative)


def test_stream_rejects_an_empty_required_heading():
    stream = KokreativeStreamBlock()
    value = stream.to_python([{"type": "heading", "value": {"text": "", "level": "h2"}}])
    with pytest.raises(StreamBlockValidationError):
        stream.clean(value)


def test_unknown_block_type_in_stored_json_renders(client, programme):
    raw = [
        {"type": "rich_text", "value": "<p>Bekannt</p>", "id": "a"},
        {"type": "vanished_block", "value": {"x": 1}, "id": "b"},
    ]
    ProgrammePage.objects.filter(pk=programme.pk).update(body=json.dumps(raw))
    # The published revision is what the site serves; make it carry the same JSON.
    page = ProgrammePage.objects.get(pk=programme.pk)
    page.save_revision().publish()
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Bekannt" in response.content.decode()
    api = client.get(f"/api/v2/pages/{page.pk}/")
    assert api.status_code == 200
    assert [b["type"] for b in api.json()["body"]] == ["rich_text"]


def test_page_with_a_deleted_image_renders(client, programme):
    image = ImageFactory(title="Weg")
    programme.teaser_image = image
    programme.body = [
        ("image", {"image": image, "alt_text": "Weg", "caption": "Bald gelöscht"}),
        ("contact_person", {"name": "Kim Muster", "image": image}),
    ]
    programme.save_revision().publish()
    image.delete()
    response = client.get(programme.url)
    assert response.status_code == 200
    assert "Kim Muster" in response.content.decode()
    api = client.get(f"/api/v2/pages/{programme.pk}/")
    assert api.status_code == 200
    data = api.json()
    assert data["teaser_image"] is None
    assert data["body"][0]["value"]["image"] is None
    assert data["body"][1]["value"]["image"] is None
