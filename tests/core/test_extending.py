"""The example site uses every extension point once, as a site of its own would (docs/extending.md).

A registered block (``home.blocks.NoticeBlock``), a page type subclassed with a field and its
migration (``home.models.ProgressElementPage``), a template overridden through the site's
template folder (``kokreative_wagtail/element_page.html``) and element-page context added with
the hook (``home.wagtail_hooks.add_element_events``). The test settings are the example site's,
so all four are active here as they are on the site.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django.utils import timezone
from home.blocks import NoticeBlock
from home.models import ProgressElementPage
from home.wagtail_hooks import add_element_events
from wagtail import hooks
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kokreative_wagtail.models import ElementPage, ProgrammePage

from ..events.factories import create_event, create_event_index
from ..factories import create_element_page
from ..html_audit import audit_html

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
EXTENDING = ROOT / "docs" / "extending.md"
SITE_TEMPLATES = ROOT / "example_site" / "kokreative_example" / "templates"
NOTICE = {
    "heading": "Anmeldung bis 30. Juni",
    "text": "Die Plätze sind begrenzt.\nMeldet euch bald.",
}


def add_url(model, parent) -> str:
    meta = model._meta
    return reverse("wagtailadmin_pages:add", args=(meta.app_label, meta.model_name, parent.pk))


# --- a registered block --------------------------------------------------------------------


def test_the_notice_block_is_in_every_kokreative_body_renders_and_is_in_the_api(client, programme):
    for model in (ProgrammePage, ElementPage, ProgressElementPage):
        block = model._meta.get_field("body").stream_block.child_blocks.get("notice")
        assert isinstance(block, NoticeBlock), model

    programme.body = [("notice", NOTICE)]
    programme.save_revision().publish()

    html = client.get(programme.url).content.decode()
    assert '<div class="site-notice" role="note">' in html
    assert "<strong>Anmeldung bis 30. Juni</strong>" in html
    assert "Die Plätze sind begrenzt.<br>Meldet euch bald." in html

    [block] = client.get(f"/api/v2/pages/{programme.pk}/").json()["body"]
    assert block["type"] == "notice"
    assert block["value"] == NOTICE


def test_editors_find_the_notice_block_in_the_page_editor(admin_client, programme):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(programme.pk,)))
    content = response.content.decode()
    # the block's name and German label in the stream block's definition (telepath JSON)
    assert "&quot;notice&quot;" in content
    assert "&quot;label&quot;: &quot;Hinweis&quot;" in content


# --- a page type subclassed with a field and its migration -----------------------------------


def test_editors_create_a_progress_element_page_below_a_programme_page(
    admin_client, site_root, programme, elements, element_page
):
    assert ProgressElementPage.can_create_at(programme)
    assert not ProgressElementPage.can_create_at(site_root)
    choose = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=(programme.pk,)))
    assert "progresselementpage" in choose.content.decode()
    form = admin_client.get(add_url(ProgressElementPage, programme)).content.decode()
    assert 'name="progress"' in form
    assert "Umsetzungsstand" in form

    response = admin_client.post(
        add_url(ProgressElementPage, programme),
        nested_form_data(
            {
                "title": "Raumstrukturen in Musterstadt",
                "slug": "raumstrukturen-musterstadt",
                "element": elements[1].pk,
                "intro": rich_text("Unsere Räume für Beteiligung."),
                "progress": "under_way",
                "body": streamfield([("notice", NOTICE)]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ProgressElementPage.objects.get(slug="raumstrukturen-musterstadt")
    assert page.live and page.get_parent().pk == programme.pk
    assert page.progress == "under_way"
    refused = admin_client.get(add_url(ProgressElementPage, site_root))
    assert refused.status_code != 200

    client = admin_client
    client.logout()  # a visitor's view, without the admin's user bar
    response = client.get(page.url)
    names = [template.name for template in response.templates]
    assert names[0] == "home/progress_element_page.html"
    html = response.content.decode()
    assert '<p class="site-progress">So weit sind wir: <strong>in Umsetzung</strong></p>' in html
    assert '<div class="site-notice" role="note">' in html
    assert audit_html(html).problems() == []

    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["meta"]["type"] == "home.ProgressElementPage"
    assert data["progress"] == "under_way"
    assert data["element"]["slug"] == elements[1].slug

    # a concrete ElementPage underneath: listed with the package's element pages
    assert page.pk in [p.pk for p in programme.get_element_pages()]
    assert page.pk in [p.pk for p in element_page.get_sibling_element_pages()]
    assert element_page.pk in [p.pk for p in page.get_sibling_element_pages()]
    assert f'href="{element_page.url}"' in html  # its "More elements" navigation
    assert f'href="{page.url}"' in client.get(programme.url).content.decode()


def test_the_site_migration_is_applied_and_matches_the_models():
    applied = MigrationRecorder(connection).applied_migrations()
    assert ("home", "0003_progresselementpage") in applied
    out = io.StringIO()
    # exits with status 1 when the models need a migration the site does not have
    call_command("makemigrations", "home", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()


# --- a template overridden through the site's templates ----------------------------------------


def test_element_pages_render_through_the_site_override_and_the_package_template(
    client, element_page
):
    response = client.get(element_page.url)
    origins = [
        Path(template.origin.name)
        for template in response.templates
        if template.name == "kokreative_wagtail/element_page.html"
    ]
    assert len(origins) == 2, origins
    site_override, package = origins
    assert site_override == SITE_TEMPLATES / "kokreative_wagtail" / "element_page.html"
    assert package.is_relative_to(ROOT / "kokreative_wagtail")
    html = response.content.decode()
    assert element_page.title in html  # the package's page, through {{ block.super }}
    assert "site-element-events" not in html  # no dates: the override adds nothing


# --- element-page context through the hook -----------------------------------------------------


def test_the_hook_puts_the_elements_next_dates_into_the_override(
    client, site_root, programme, elements, element_page
):
    assert add_element_events in hooks.get_hooks("kokreative_element_page_context")
    index = create_event_index(site_root)
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    ours = create_event(
        index, start, title="Werkstatt Kultur", slug="werkstatt", elements=[elements[0]]
    )
    create_event(index, start, title="Rundgang Räume", slug="rundgang", elements=[elements[1]])

    response = client.get(element_page.url)
    assert [o.event.pk for o in response.context["element_events"]] == [ours.pk]
    html = response.content.decode()
    section = re.search(r'<section class="[^"]*site-element-events.*?</section>', html, re.S)
    assert section, html
    assert '<h2 id="site-element-events-heading">Kommende Veranstaltungen</h2>' in section[0]
    assert f'href="{ours.url}"' in section[0]
    assert "Rundgang Räume" not in html
    assert audit_html(html).problems() == []

    other = create_element_page(programme, elements[1], title="Raum", slug="raum")
    assert "Werkstatt Kultur" not in client.get(other.url).content.decode()


# --- docs/extending.md shows the code as it is --------------------------------------------------

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
#: The first line of a code block naming its file: "# path" or "{# path #}".
FILE_LINE = re.compile(r"^(?:#|\{#) (example_site/\S+)(?: #\})?\n")


def code_excerpts(text: str) -> list[tuple[str, str]]:
    """(file, code) of each code block in ``text`` whose first line names a file."""
    found = []
    for match in FENCE.finditer(text):
        named = FILE_LINE.match(match.group(2))
        if named:
            found.append((named.group(1), match.group(2)[named.end() :]))
    return found


def test_the_code_in_docs_extending_md_is_the_example_sites_code():
    excerpts = code_excerpts(EXTENDING.read_text(encoding="utf-8"))
    shown = {path for path, _ in excerpts}
    assert shown >= {
        "example_site/home/blocks.py",
        "example_site/home/wagtail_hooks.py",
        "example_site/home/templates/home/blocks/notice.html",
        "example_site/home/models.py",
        "example_site/home/migrations/0003_progresselementpage.py",
        "example_site/home/templates/home/progress_element_page.html",
        "example_site/kokreative_example/templates/kokreative_wagtail/element_page.html",
    }, shown
    drifted = [
        path for path, code in excerpts if code not in (ROOT / path).read_text(encoding="utf-8")
    ]
    assert not drifted, f"code in docs/extending.md differs from these files: {drifted}"


def test_code_excerpts_reads_the_file_line():
    text = (
        "```python\n# example_site/a.py\nx = 1\n```\n\n"
        "```django\n{# example_site/b.html #}\n<p>\n```\n"
        "```sh\nmake\n```\n"
    )
    assert code_excerpts(text) == [
        ("example_site/a.py", "x = 1\n"),
        ("example_site/b.html", "<p>\n"),
    ]
