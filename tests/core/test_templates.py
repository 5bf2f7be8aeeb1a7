"""Default templates: accessible structure, the site's base template, robustness."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loaders import app_directories
from django.test import override_settings
from home.models import ProgressElementPage

from kokreative_wagtail.templating import FALLBACK_BASE_TEMPLATE, get_base_template_name

from ..factories import ImageFactory, add_page, create_element_page
from ..html_audit import audit_html

pytestmark = pytest.mark.django_db


def rich_body(image, page):
    return [
        ("heading", {"text": "Partizipation: Neue Kernkompetenz der Kommunen", "level": "h2"}),
        ("rich_text", "<p>Die Durchführung von inklusiven Partizipationsprozessen …</p>"),
        ("heading", {"text": "Befähigung", "level": "h3", "anchor": "befaehigung"}),
        ("quote", {"quote": "Partizipation soll Kernkompetenz werden.", "attribution": "IPG"}),
        ("image", {"image": image, "alt_text": "Menschen an einem Tisch", "caption": "Workshop"}),
        (
            "accordion",
            {
                "heading": "Häufige Fragen",
                "items": [{"title": "Für wen?", "content": "<p>Für alle Akteur:innen.</p>"}],
            },
        ),
        (
            "call_to_action",
            {
                "heading": "Beratung",
                "text": "Seht Ihr diesen Bedarf?",
                "link_page": page,
                "link_url": "",
                "link_label": "Vereinbart ein Beratungsgespräch!",
            },
        ),
        (
            "contact_person",
            {"name": "Kim Muster", "role": "Beratung", "email": "kim@example.org", "image": image},
        ),
    ]


def test_programme_page_is_accessible(client, programme, element_page):
    image = ImageFactory(title="Werkstatt")
    programme.body = rich_body(image, element_page)
    programme.audience_question = "Verwaltungsmitarbeitende oder Politiker:in?"
    programme.consultation_heading = "Vereinbart ein Beratungsgespräch!"
    programme.consultation_page = element_page
    programme.save_revision().publish()

    response = client.get(programme.url)
    assert response.status_code == 200
    html = response.content.decode()
    audit = audit_html(html)
    assert audit.problems() == []
    assert audit.lang == "de"
    assert {"main", "nav", "header", "footer"} <= set(audit.landmarks)
    assert audit.headings[0] == (1, programme.title)
    assert (3, element_page.title) in audit.headings
    assert 'alt="Menschen an einem Tisch"' in html
    assert 'href="#main-content"' in html  # skip link
    assert "kokreative_wagtail/css/kokreative.css" in html
    assert "Vereinbart ein Beratungsgespräch!" in html


def test_element_page_is_accessible(client, programme, elements, element_page):
    create_element_page(programme, elements[1])
    response = client.get(element_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    audit = audit_html(html)
    assert audit.problems() == []
    assert audit.headings[0] == (1, "Kultureller Wandel")
    assert "Raumstrukturen" in html  # the sibling navigation
    assert 'aria-current="page"' in html  # breadcrumb


def test_focus_is_visible_in_our_stylesheet():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("kokreative_wagtail/css/kokreative.css")).read_text(encoding="utf-8")
    assert ":focus-visible" in css
    assert "outline: 3px solid" in css


def test_pages_extend_the_sites_base_template(client, programme):
    html = client.get(programme.url).content.decode()
    assert 'class="site-header"' in html  # from the example site's base.html


@override_settings(KOKREATIVE={"BASE_TEMPLATE": "no/such/base.html"})
def test_missing_base_template_falls_back_to_ours(client, programme):
    assert get_base_template_name() == FALLBACK_BASE_TEMPLATE
    response = client.get(programme.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' not in html
    assert 'class="kk-site-header"' in html
    assert audit_html(html).problems() == []


@override_settings(KOKREATIVE={"BASE_TEMPLATE": "tests/other_base.html"})
def test_base_template_name_is_configurable(client, programme):
    html = client.get(programme.url).content.decode()
    assert "other-base-marker" in html


def test_element_deleted_while_tagged_renders(client, programme, element_page):
    element_page.element.delete()
    assert client.get(element_page.url).status_code == 200
    response = client.get(programme.url)
    assert response.status_code == 200
    assert element_page.title in response.content.decode()


def test_rich_text_and_texts_are_escaped(client, programme):
    programme.audience_question = '<script>alert("x")</script>'
    programme.body = [("quote", {"quote": "<img src=x onerror=alert(1)>", "attribution": ""})]
    programme.save_revision().publish()
    html = client.get(programme.url).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "<img src=x onerror" not in html


class WithoutSiteAppTemplates(app_directories.Loader):
    """The apps' template folders without the example site's own ``home`` app: as if a site's
    page subclass came without a template of its own."""

    def get_dirs(self):
        return [folder for folder in super().get_dirs() if Path(folder).parent.name != "home"]


def test_a_site_subclass_without_its_own_template_renders_with_ours(rf, programme, elements):
    """Wagtail names a subclass's template after its app (``home/progress_element_page.html``,
    the example site's real subclass); without that file the page renders with ours."""
    page = add_page(
        programme,
        ProgressElementPage,
        title="Raumstrukturen",
        element=elements[1],
        progress="planned",
    )
    request = rf.get(page.url)
    request.user = AnonymousUser()
    assert page.get_template(request) == [
        "home/progress_element_page.html",
        "kokreative_wagtail/element_page.html",
    ]
    with_own = page.serve(request).render().content.decode()
    assert 'class="site-progress"' in with_own  # the site's template, extending ours
    engine = settings.TEMPLATES[0]
    loaders = [
        "django.template.loaders.filesystem.Loader",
        f"{__name__}.WithoutSiteAppTemplates",
    ]
    without = {**engine, "APP_DIRS": False, "OPTIONS": {**engine["OPTIONS"], "loaders": loaders}}
    with override_settings(TEMPLATES=[without]):
        html = page.serve(request).render().content.decode()
    assert "<h1>Raumstrukturen</h1>" in html
    assert 'class="site-progress"' not in html  # ours, the subclass's own file being absent


def test_one_language_site_shows_no_language_switcher(client, programme):
    html = client.get(programme.url).content.decode()
    assert "kk-language-switcher" not in html
    assert 'rel="alternate"' not in html


@override_settings(WAGTAIL_I18N_ENABLED=True)
def test_language_switcher_with_wagtails_i18n_and_no_wagtail_localize(client, programme):
    """Wagtail's own translations (no wagtail_localize installed) get the switcher too."""
    from django.apps import apps
    from wagtail.models import Locale

    assert not apps.is_installed("wagtail_localize")
    english_locale = Locale.objects.create(language_code="en")
    home = programme.get_parent()
    home.copy_for_translation(english_locale).save_revision().publish()
    english = programme.copy_for_translation(english_locale)
    english.title = "The Co-creative Municipality"
    english.save_revision().publish()
    english.refresh_from_db()
    assert english.url.startswith("/en/")

    html = client.get(english.url).content.decode()
    assert 'lang="en"' in html
    assert f'<link rel="alternate" hreflang="de" href="{programme.full_url}">' in html
    assert f'<link rel="alternate" hreflang="en" href="{english.full_url}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{programme.full_url}">' in html
    assert (
        f'<a href="{english.url}" lang="en" hreflang="en" aria-current="true">English</a>' in html
    )
    assert f'<a href="{programme.url}" lang="de" hreflang="de">Deutsch</a>' in html
    audit = audit_html(html)
    assert audit.problems() == []
