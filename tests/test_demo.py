"""The demo loader of the example site (``load_demo``): seed content, idempotency, rendering."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from home.models import HomePage
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision, Site

from kokreative_wagtail.models import Element, ElementPage, ProgrammePage

pytestmark = pytest.mark.django_db

# Written out here (not imported from the loader) so the tests check the seed, not themselves.
SEED_ELEMENTS = [
    (
        "Kultureller Wandel",
        "kultureller-wandel",
        "Die Menschen und eine Kultur des Miteinanders stehen beim Gestalten eines "
        "zukunftsfähigen Gemeinwesens im Zentrum.",
        "Gemeinsam mit euch etablieren wir eine transparente, inklusive, produktive und kreative "
        "Kultur des Miteinanders.",
    ),
    (
        "Raumstrukturen",
        "raumstrukturen",
        "Räume und Orte prägen wie wir arbeiten, uns begegnen und miteinander umgehen. Daher "
        "brauche wir gute Räume.",
        "Wir trainieren Kompetenzen, in Hosting, Kokreation und Facilitation von Design-, "
        "Planungs- und Projektarbeit.",
    ),
    (
        "Prozessstrukturen",
        "prozessstrukturen",
        "Für das beste Ergebnis haben wir immer den bestmöglichen Prozess vor Augen. Verfahren, "
        "Formate, Methoden: Ein abgestimmter Prozess bestimmt unser Ergebnis.",
        "Wir entwickeln passgenaue Verfahren und Formate.",
    ),
    (
        "Governancestrukturen",
        "governancestrukturen",
        "Schlechte Governance kann vieles verhindern, gute dagegen ermöglichen. Regeln, "
        "Entscheidungswege und Schnittstellen entscheiden über das Gelingen von Ideen.",
        "Wir vermitteln Kompetenzen in OE, Abstimmungs- und Entscheidungsmodelle",
    ),
]
SEED_NAMES = [name for name, *_ in SEED_ELEMENTS]
INTRO_FIRST = "Kokreative Kommune bedeute für uns eine veränderte Zusammenarbeit aller Akteur:innen"
INTRO_SECOND = "Gemeinsam entwickeln wir eine neue Haltung."
PARTICIPATION = "Partizipation: Neue Kernkompetenz der Kommunen"
PARTICIPATION_TEXT = "Vor diesem Hintergrund setzen wir auf einen Befähigungsansatz"
CTA_HEADING = "Seht Ihr diesen Kompetenzbedarf auch in eurer Kommune?"
CTA_LABEL = "Vereinbart ein Beratungsgespräch!"


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_output(db) -> str:
    return load_demo()


@pytest.fixture
def programme(demo_output) -> ProgrammePage:
    return ProgrammePage.objects.get(slug="die-kokreative-kommune")


def snapshot() -> dict[str, object]:
    """Counts and identities a second run must leave exactly as they are."""
    return {
        "elements": list(Element.objects.order_by("pk").values_list("pk", "name", "summary")),
        "pages": list(Page.objects.order_by("path").values_list("pk", "path", "title", "live")),
        "latest_revisions": list(Page.objects.order_by("pk").values_list("latest_revision_id")),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "sites": list(Site.objects.values_list("pk", "hostname", "port", "root_page_id")),
        "users": get_user_model().objects.count(),
    }


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# Content


def test_four_elements_from_the_seed(demo_output):
    elements = list(Element.objects.order_by("sort_order"))
    assert [e.name for e in elements] == SEED_NAMES
    assert [e.sort_order for e in elements] == [1, 2, 3, 4]
    for element, (_name, slug, summary, paragraph) in zip(elements, SEED_ELEMENTS, strict=True):
        assert element.slug == slug
        assert element.summary == summary
        assert element.description.startswith("<p>")
        assert paragraph in element.description
        assert element.locale == Locale.get_default()
        element.full_clean()  # what an editor saving it in the admin would run
    colours = [e.colour for e in elements]
    assert len(set(colours)) == 4
    for colour in colours:
        assert re.fullmatch(r"#[0-9a-f]{6}", colour)
        # White text on the colour reaches WCAG AA (4.5:1).
        assert 1.05 / (relative_luminance(colour) + 0.05) >= 4.5


def test_home_page_replaces_wagtails_welcome_page(demo_output):
    site = Site.objects.get(is_default_site=True)
    assert Site.objects.count() == 1
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.title == "Startseite"
    assert home.live
    assert home.depth == 2
    assert site.site_name == "Kokreative Kommune – Beispielseite"
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()


def test_programme_page_from_the_seed(programme):
    site = Site.objects.get(is_default_site=True)
    assert programme.get_parent().pk == site.root_page_id
    assert programme.title == "Die Kokreative Kommune"
    assert programme.live and programme.show_in_menus
    assert programme.live_revision_id is not None
    assert programme.audience_question == "Verwaltungsmitarbeitende oder Politiker:in?"
    assert programme.intro.count("<p>") == 2
    assert INTRO_FIRST in programme.intro
    assert INTRO_SECOND in programme.intro
    assert programme.elements_heading == "Die Elemente der Kokreativen Kommune"
    assert programme.elements_intro.startswith("Die Kokreative Kommune begegnet den komplexen")

    blocks = list(programme.body)
    types = [block.block_type for block in blocks]
    assert types == ["image", "heading", "rich_text", "call_to_action", "accordion"]
    heading = blocks[types.index("heading")].value
    assert (heading["text"], heading["level"]) == (PARTICIPATION, "h2")
    text = blocks[types.index("rich_text")].value.source
    assert text.count("<p>") == 3
    assert PARTICIPATION_TEXT in text
    cta = blocks[types.index("call_to_action")]
    assert cta.value["heading"] == CTA_HEADING
    assert cta.value["link_label"] == CTA_LABEL
    assert cta.value.url()
    # The body validates as it would when an editor saves the page.
    programme.body.stream_block.clean(programme.body)

    image_block = blocks[types.index("image")].value
    image = image_block["image"]
    assert image.title == "Schaubild: Die vier Elemente der Kokreativen Kommune"
    assert (image.width, image.height) == (1200, 600)
    assert image.file_hash
    assert image_block["alt_text"].startswith("Vier farbige Felder")
    assert image.default_alt_text == image_block["alt_text"]
    assert image_block["decorative"] is False


def test_four_live_element_pages_tagged_with_their_element(programme):
    pages = list(ElementPage.objects.child_of(programme).order_by("path"))
    assert [p.title for p in pages] == SEED_NAMES
    for page, (name, slug, _summary, paragraph) in zip(pages, SEED_ELEMENTS, strict=True):
        assert page.live and page.live_revision_id is not None
        assert page.slug == slug
        assert page.element.name == name
        assert page.element.slug == slug
        assert paragraph in page.intro
    assert list(programme.get_element_pages()) == pages


def test_admin_login_and_urls_are_printed(demo_output):
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert user.check_password("admin")
    assert "http://127.0.0.1:8000/" in demo_output
    assert "http://127.0.0.1:8000/admin/" in demo_output
    assert "admin / admin" in demo_output


def test_existing_admin_keeps_its_password(db):
    get_user_model().objects.create_superuser("admin", "admin@example.org", "geheim")
    output = load_demo()
    assert get_user_model().objects.get(username="admin").check_password("geheim")
    assert "admin / admin" not in output


# Idempotency


def test_running_twice_changes_nothing(demo_output):
    before = snapshot()
    output = load_demo()
    assert snapshot() == before
    assert "angelegt" not in output
    assert Element.objects.count() == 4
    assert ElementPage.objects.count() == 4
    assert ProgrammePage.objects.count() == 1
    assert HomePage.objects.count() == 1


def test_reset_without_changes_writes_nothing(demo_output):
    before = snapshot()
    output = load_demo("--reset")
    assert snapshot() == before
    assert "aktualisiert" not in output


def test_edits_are_kept_unless_reset(programme):
    element = Element.objects.get(slug="raumstrukturen")
    element.summary = "Von einer Redakteurin geändert."
    element.save()
    programme.title = "Unser Programm"
    programme.save_revision().publish()

    load_demo()
    element.refresh_from_db()
    programme.refresh_from_db()
    assert element.summary == "Von einer Redakteurin geändert."
    assert programme.title == "Unser Programm"

    revisions = Revision.objects.count()
    load_demo("--reset")
    element.refresh_from_db()
    programme.refresh_from_db()
    assert element.summary == SEED_ELEMENTS[1][2]
    assert programme.title == "Die Kokreative Kommune"
    assert Revision.objects.count() == revisions + 1  # only the programme page changed
    assert Element.objects.count() == 4


def test_lost_image_file_is_drawn_again(programme):
    image = get_image_model().objects.get()
    image.file.storage.delete(image.file.name)
    load_demo()
    image.refresh_from_db()
    assert get_image_model().objects.count() == 1
    assert image.file.storage.exists(image.file.name)
    assert (image.width, image.height) == (1200, 600)


def test_welcome_page_with_content_is_kept(db):
    welcome = Page.objects.get(title="Welcome to your new Wagtail site!")
    welcome.add_child(instance=Page(title="Impressum", slug="impressum"))
    load_demo()
    assert Page.objects.filter(pk=welcome.pk).exists()
    assert isinstance(Site.objects.get(is_default_site=True).root_page.specific, HomePage)


# Rendering and API


def test_pages_render_with_the_german_texts(client, programme):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Startseite" in html
    assert programme.url in html

    response = client.get(programme.url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Verwaltungsmitarbeitende oder Politiker:in?",
        INTRO_FIRST,
        INTRO_SECOND,
        "Die Elemente der Kokreativen Kommune",
        PARTICIPATION,
        PARTICIPATION_TEXT,
        CTA_HEADING,
        CTA_LABEL,
        *SEED_NAMES,
    ]:
        assert text in html
    assert 'alt="Vier farbige Felder mit den Namen der Elemente' in html

    for page, (name, _slug, summary, paragraph) in zip(
        programme.get_element_pages(), SEED_ELEMENTS, strict=True
    ):
        response = client.get(page.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert f"<h1>{name}</h1>" in html
        assert summary in html
        assert paragraph in html


def test_api_v2_detail_of_the_programme_returns_the_body(client, programme):
    response = client.get(f"/api/v2/pages/{programme.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["type"] == "kokreative_wagtail.ProgrammePage"
    assert INTRO_FIRST in data["intro"]
    body = {block["type"]: block["value"] for block in data["body"]}
    assert list(body) == ["image", "heading", "rich_text", "call_to_action", "accordion"]
    assert body["heading"]["text"] == PARTICIPATION
    assert PARTICIPATION_TEXT in body["rich_text"]
    assert body["call_to_action"]["link_label"] == CTA_LABEL
    assert body["call_to_action"]["url"]
    assert body["image"]["alt"].startswith("Vier farbige Felder")
    assert body["image"]["image"]["url"]
    assert [item["title"] for item in body["accordion"]["items"]] == [
        "Trainings und Workshops",
        "Inhouse und Keynotes",
        "Community of Practice",
    ]
    assert [teaser["element"]["name"] for teaser in data["element_pages"]] == SEED_NAMES
