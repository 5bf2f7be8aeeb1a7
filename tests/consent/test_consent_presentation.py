"""Consent presentation: banner, settings dialog and page, template tags, the gated embed block."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from cookie_consent.models import CookieGroup
from django.apps import apps
from django.template import Context, RequestContext, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse
from wagtail.blocks import StreamBlock, StreamValue
from wagtail.blocks.struct_block import StructBlockValidationError

from kokreative_wagtail.blocks import KokreativeStreamBlock
from kokreative_wagtail.consent.blocks import (
    ConsentEmbedBlock,
    cookie_group_choices,
    detect_provider,
    openstreetmap_embed_url,
    with_frame_title,
)
from kokreative_wagtail.models import KokreativeSettings

from ..embed_finder import FINDERS_SETTING
from ..factories import add_page, create_element_page
from ..html_audit import audit_html

pytestmark = pytest.mark.django_db

DECIDE = reverse("kokreative_consent_decide")
SETTINGS = reverse("kokreative_consent_settings")
YOUTUBE = "https://www.youtube.com/watch?v=jNQXAC9IVRw"
OPTIONAL = ("statistics", "external_media")
#: Attributes a browser fetches on its own (or submits to): none may leave the site before consent.
FETCHING = {"src", "srcset", "data", "poster", "action", "formaction", "background"}


@pytest.fixture(autouse=True)
def embed_finder(settings):
    """oEmbed lookups answer from a fixed finder: the tests never need the internet."""
    settings.WAGTAILEMBEDS_FINDERS = FINDERS_SETTING


def soup(response_or_html) -> BeautifulSoup:
    html = getattr(response_or_html, "content", response_or_html)
    if isinstance(html, bytes):
        html = html.decode()
    return BeautifulSoup(html, "html.parser")


def embed_value(**overrides) -> dict:
    value = {
        "url": YOUTUBE,
        "title": "Video über Beteiligung",
        "provider_name": "",
        "privacy_url": "",
        "group": "external_media",
        "caption": "Ein Beispiel",
    }
    value.update(overrides)
    return value


@pytest.fixture
def embed_page(programme, elements):
    """An element page whose body holds one consent-gated YouTube video."""
    page = create_element_page(programme, elements[0])
    page.body = [("consent_embed", embed_value())]
    page.save_revision().publish()
    return page


def decide(client, action: str, **data):
    return client.post(DECIDE, {"action": action, "next": "/", **data})


def off_site_references(document: BeautifulSoup, site_host: str = "testserver") -> list[str]:
    """Every URL in a fetching attribute that points to another host."""
    found = []
    for tag in document.find_all(True):
        for attribute in FETCHING & set(tag.attrs):
            url = tag[attribute]
            host = urlsplit(url).hostname
            if host and host != site_host:
                found.append(f"<{tag.name} {attribute}={url}>")
        if tag.name == "link" and urlsplit(tag.get("href", "")).hostname not in (None, site_host):
            found.append(f"<link href={tag['href']}>")
    return found


# --- banner ------------------------------------------------------------------------------------


def test_banner_on_first_visit_offers_accept_and_reject_as_equal_buttons(client, programme):
    response = client.get(programme.url)
    document = soup(response)
    banner = document.find(id="kk-consent-banner")
    assert banner is not None and banner.name == "section"
    assert banner["role"] == "region"
    assert document.find(id=banner["aria-labelledby"]).name == "h2"

    form = banner.find("form")
    assert form["method"] == "post" and form["action"] == DECIDE
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    assert form.find("input", attrs={"name": "next"})["value"] == programme.url
    accept = form.find("button", attrs={"value": "accept_all"})
    reject = form.find("button", attrs={"value": "decline_all"})
    assert accept["type"] == reject["type"] == "submit"
    assert accept["name"] == reject["name"] == "action"
    assert accept["class"] == reject["class"]  # equally prominent: one style for both
    assert accept.get_text(strip=True) == "Alle akzeptieren"
    assert reject.get_text(strip=True) == "Alle ablehnen"

    # "Settings": a link to the settings page without JS, a dialog button with it.
    link = form.find("a", class_="kk-consent-nojs")
    assert urlsplit(link["href"]).path == SETTINGS
    assert parse_qs(urlsplit(link["href"]).query)["next"] == [programme.url]
    button = form.find("button", attrs={"data-kk-consent-open": True})
    assert button["type"] == "button" and button.has_attr("hidden")


def test_settings_dialog_is_rendered_closed_with_nothing_pre_ticked(client, programme):
    document = soup(client.get(programme.url))
    dialog = document.find("dialog", id="kk-consent-dialog")
    assert dialog is not None and not dialog.has_attr("open")
    assert (
        document.find(id=dialog["aria-labelledby"]).get_text(strip=True) == "Cookie-Einstellungen"
    )
    boxes = {box["value"]: box for box in dialog.find_all("input", attrs={"name": "groups"})}
    assert set(boxes) == {"necessary", *OPTIONAL}
    assert boxes["necessary"].has_attr("checked") and boxes["necessary"].has_attr("disabled")
    for varname in OPTIONAL:
        box = boxes[varname]
        assert not box.has_attr("checked"), varname
        assert not box.has_attr("disabled"), varname
        assert document.find("label", attrs={"for": box["id"]}).get_text(strip=True)
        description = document.find(id=box["aria-describedby"])
        assert description is not None and description.get_text(strip=True)
    actions = {b["value"] for b in dialog.find_all("button", attrs={"name": "action"})}
    assert actions == {"save", "accept_all", "decline_all"}
    # Closing is a plain button that submits nothing: closing is not consent.
    close = dialog.find("button", attrs={"data-kk-consent-close": True})
    assert close["type"] == "button" and not close.has_attr("name")


def test_banner_goes_after_rejecting_and_the_footer_link_stays(client, programme):
    assert decide(client, "decline_all").status_code == 303
    document = soup(client.get(programme.url))
    assert document.find(id="kk-consent-banner") is None
    assert document.find("dialog", id="kk-consent-dialog") is not None
    link = document.find("footer").find("a", class_="kk-consent-settings-link")
    assert link.get_text(strip=True) == "Cookie-Einstellungen"
    assert link.has_attr("data-kk-consent-open")
    assert parse_qs(urlsplit(link["href"]).query)["next"] == [programme.url]
    boxes = soup(client.get(programme.url)).select("dialog input[name=groups]:not([disabled])")
    assert boxes and not any(box.has_attr("checked") for box in boxes)


def test_dialog_ticks_what_the_visitor_accepted(client, programme):
    decide(client, "save", groups=["statistics"])
    document = soup(client.get(programme.url))
    assert document.find(id="kk-consent-banner") is None
    assert document.find(id="kk-consent-dialog-group-statistics").has_attr("checked")
    assert not document.find(id="kk-consent-dialog-group-external_media").has_attr("checked")


def test_a_new_group_asks_again(client, programme):
    decide(client, "accept_all")
    assert soup(client.get(programme.url)).find(id="kk-consent-banner") is None
    CookieGroup.objects.create(varname="marketing", name="Marketing", ordering=50)
    assert soup(client.get(programme.url)).find(id="kk-consent-banner") is not None


def test_banner_links_the_sites_privacy_page(client, programme, site_root):
    privacy = add_page(site_root, type(programme), title="Datenschutz", slug="datenschutz")
    settings = KokreativeSettings.for_site(site_root.get_site())
    settings.privacy_page = privacy
    settings.save()
    document = soup(client.get(programme.url))
    banner_links = [a["href"] for a in document.find(id="kk-consent-banner").find_all("a")]
    assert privacy.url in banner_links


def test_page_with_banner_passes_the_html_audit(client, programme):
    html = client.get(programme.url).content.decode()
    assert 'id="kk-consent-banner"' in html
    assert audit_html(html).problems() == []


def test_first_load_references_no_other_host(client, embed_page):
    document = soup(client.get(embed_page.url))
    assert document.find(id="kk-consent-banner") is not None
    assert off_site_references(document) == []
    assert "youtube.com/watch" not in str(document)


def test_editor_and_group_text_is_escaped(client, programme):
    CookieGroup.objects.filter(varname="statistics").update(
        name="<script>alert('name')</script>", description="<img src=x onerror=alert(1)>"
    )
    html = client.get(programme.url).content.decode()
    assert "<script>alert(" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html


# --- settings page -----------------------------------------------------------------------------


def test_settings_page_works_without_javascript(client):
    response = client.get(SETTINGS, {"next": "/seite/"})
    assert response.status_code == 200
    document = soup(response)
    assert document.find("h1").get_text(strip=True) == "Cookie-Einstellungen"
    # The page is the form: no banner and no second copy of the form in a dialog.
    assert document.find(id="kk-consent-banner") is None
    assert document.find("dialog") is None
    form = document.find("main").find("form", class_="kk-consent-form")
    assert form["action"] == DECIDE
    assert form.find("input", attrs={"name": "next"})["value"] == "/seite/"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    for box in form.find_all("input", attrs={"name": "groups"}):
        assert document.find("label", attrs={"for": box["id"]}) is not None
    assert audit_html(response.content.decode()).problems() == []

    # Saving through the plain form returns to ``next`` and records the choice.
    response = client.post(DECIDE, {"action": "save", "groups": ["statistics"], "next": "/seite/"})
    assert response.status_code == 303 and response["Location"] == "/seite/"
    document = soup(client.get(SETTINGS))
    assert document.find(id="kk-consent-page-group-statistics").has_attr("checked")


def test_settings_page_shows_errors(client):
    response = client.post(DECIDE, {"action": "save", "groups": ["nope"], "next": "/"})
    assert response.status_code == 400
    alert = soup(response).find(attrs={"role": "alert"})
    assert alert is not None and alert.find("li")


# --- template tags -----------------------------------------------------------------------------


def render(source: str, request, **context) -> str:
    return Template("{% load kokreative_consent %}" + source).render(
        RequestContext(request, context)
    )


def request_with_consent(client, action: str | None = None, **data):
    if action:
        decide(client, action, **data)
    request = RequestFactory().get("/seite/")
    request.COOKIES.update({k: v.value for k, v in client.cookies.items()})
    return request


IF_STATISTICS = '{% if_consent "statistics" %}<script src="/static/stats.js"></script>{% else %}no{% endif_consent %}'  # noqa: E501


def test_if_consent_renders_a_script_only_with_consent(client):
    assert render(IF_STATISTICS, request_with_consent(client)) == "no"
    assert render(IF_STATISTICS, request_with_consent(client, "decline_all")) == "no"
    accepted = request_with_consent(client, "save", groups=["statistics"])
    assert render(IF_STATISTICS, accepted) == '<script src="/static/stats.js"></script>'
    # The group can come from a variable; required groups always count, unknown ones never.
    assert render("{% if_consent g %}yes{% endif_consent %}", accepted, g="statistics") == "yes"
    assert render('{% if_consent "necessary" %}yes{% endif_consent %}', RequestFactory().get("/"))
    assert render('{% if_consent "nope" %}yes{% endif_consent %}', accepted) == ""
    assert render('{% if_consent "external_media" %}yes{% endif_consent %}', accepted) == ""


def test_if_consent_without_request_renders_the_else_part():
    template = Template(
        '{% load kokreative_consent %}{% if_consent "necessary" %}a{% else %}b{% endif_consent %}'
    )  # noqa: E501
    assert template.render(Context({})) == "b"


def test_if_consent_needs_one_argument():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load kokreative_consent %}{% if_consent %}x{% endif_consent %}")


def test_has_consent_filter(client):
    source = '{% if request|has_consent:"external_media" %}yes{% else %}no{% endif %}'
    assert render(source, request_with_consent(client)) == "no"
    assert render(source, request_with_consent(client, "accept_all")) == "yes"


def test_core_tags_render_nothing_without_the_consent_app(client, programme, monkeypatch):
    monkeypatch.delitem(apps.app_configs, "kokreative_consent")  # as if not installed
    assert not apps.is_installed("kokreative_wagtail.consent")
    request = RequestFactory().get("/")
    template = Template(
        "{% load kokreative_tags %}[{% kokreative_consent_banner %}]"
        "[{% kokreative_consent_settings_link %}]"
    )
    assert template.render(RequestContext(request)) == "[][]"


def test_core_tags_render_banner_and_link_with_the_consent_app():
    request = RequestFactory().get("/seite/")
    html = Template(
        "{% load kokreative_tags %}{% kokreative_consent_banner %}"
        "{% kokreative_consent_settings_link 'Datenschutz-Einstellungen' %}"
    ).render(RequestContext(request))
    document = soup(html)
    assert document.find(id="kk-consent-banner") is not None
    assert document.find("a", class_="kk-consent-settings-link").get_text() == (
        "Datenschutz-Einstellungen"
    )


# --- the embed block ---------------------------------------------------------------------------


def test_block_is_registered_for_every_kokreative_page():
    child = KokreativeStreamBlock().child_blocks.get("consent_embed")
    assert isinstance(child, ConsentEmbedBlock)


def test_placeholder_before_consent_names_provider_and_fetches_nothing(client, embed_page):
    response = client.get(embed_page.url)
    document = soup(response)
    figure = document.find("figure", class_="kk-consent-embed")
    placeholder = figure.find(class_="kk-consent-placeholder")
    assert "YouTube" in placeholder.get_text()
    assert "Video über Beteiligung" in placeholder.get_text()
    assert figure.find("figcaption").get_text(strip=True) == "Ein Beispiel"
    privacy = placeholder.find("a", href="https://policies.google.com/privacy")
    assert privacy is not None
    assert figure.find("iframe") is None and figure.find("script") is None
    assert off_site_references(document) == []
    assert YOUTUBE not in response.content.decode()

    form = placeholder.find("form")
    assert form["method"] == "post" and form["action"] == DECIDE
    fields = {i["name"]: i["value"] for i in form.find_all("input")}
    assert fields["action"] == "accept_group" and fields["group"] == "external_media"
    assert fields["next"] == f"{embed_page.url}#{figure['id']}"
    assert fields["csrfmiddlewaretoken"]
    button = form.find("button")
    assert button.get_text(strip=True) == "Inhalt laden"
    for described_by in button["aria-describedby"].split():
        assert document.find(id=described_by) is not None


def test_load_this_content_shows_the_embed_and_returns_to_it(client, embed_page):
    anchor = soup(client.get(embed_page.url)).find("figure", class_="kk-consent-embed")["id"]
    response = decide(
        client, "accept_group", group="external_media", next=f"{embed_page.url}#{anchor}"
    )
    assert response.status_code == 303 and response["Location"] == f"{embed_page.url}#{anchor}"

    document = soup(client.get(embed_page.url))
    figure = document.find("figure", id=anchor)
    iframe = figure.find("iframe")
    assert iframe["src"] == "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw"
    # The editor's title names the frame for screen readers, not the provider's.
    assert iframe["title"] == "Video über Beteiligung"
    assert figure.find(class_="kk-consent-placeholder") is None
    # Consent for one group does not open another.
    assert document.find(id="kk-consent-banner") is not None  # statistics still undecided


def test_rejecting_keeps_the_placeholder_and_withdrawal_restores_it(client, embed_page):
    decide(client, "decline_all")
    assert soup(client.get(embed_page.url)).find("iframe") is None
    decide(client, "accept_all")
    assert soup(client.get(embed_page.url)).find("iframe") is not None
    decide(client, "save", groups=["statistics"])  # withdraws external media
    document = soup(client.get(embed_page.url))
    assert document.find("iframe") is None
    assert document.find(class_="kk-consent-placeholder") is not None


def test_embed_of_another_group_waits_for_that_group(client, programme, elements):
    page = create_element_page(programme, elements[0])
    page.body = [("consent_embed", embed_value(group="statistics"))]
    page.save_revision().publish()
    decide(client, "save", groups=["external_media"])
    assert soup(client.get(page.url)).find("iframe") is None
    decide(client, "save", groups=["statistics"])
    assert soup(client.get(page.url)).find("iframe") is not None


def render_block(value: dict, client=None, action: str | None = None, **data) -> str:
    block = ConsentEmbedBlock()
    request = request_with_consent(client, action, **data) if client else RequestFactory().get("/")
    return block.render(block.to_python(value), context={"request": request})


def test_unavailable_embed_renders_a_link_not_an_error(client):
    html = render_block(
        embed_value(url="https://www.youtube.com/watch?v=missing"), client, "accept_all"
    )
    document = soup(html)
    assert document.find("iframe") is None
    link = document.find("a", href="https://www.youtube.com/watch?v=missing")
    assert "Video über Beteiligung" in link.get_text()


def test_unsupported_provider_renders_a_link(client):
    value = embed_value(
        url="https://media.example.org/clip/1",
        provider_name="Medienportal",
        privacy_url="https://media.example.org/datenschutz",
    )
    before = soup(render_block(value))
    assert "Medienportal" in before.get_text()
    assert before.find("a", href="https://media.example.org/datenschutz") is not None
    assert off_site_references(before) == []
    after = soup(render_block(value, client, "accept_all"))
    assert after.find("a", href="https://media.example.org/clip/1") is not None


def test_openstreetmap_needs_no_oembed(client):
    url = "https://www.openstreetmap.org/#map=16/52.51630/13.37770"
    before = soup(render_block(embed_value(url=url)))
    assert "OpenStreetMap" in before.get_text()
    assert before.find("a", href="https://osmfoundation.org/wiki/Privacy_Policy") is not None
    assert before.find("iframe") is None
    iframe = soup(render_block(embed_value(url=url), client, "accept_all")).find("iframe")
    src = urlsplit(iframe["src"])
    assert (src.hostname, src.path) == ("www.openstreetmap.org", "/export/embed.html")
    west, south, east, north = map(float, parse_qs(src.query)["bbox"][0].split(","))
    assert west < 13.3777 < east and south < 52.5163 < north
    assert parse_qs(src.query)["marker"] == ["52.5163,13.3777"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.openstreetmap.org/?mlat=52.5&mlon=13.4#map=12/52.5/13.4", "52.5,13.4"),
        ("https://www.openstreetmap.org/?mlat=52.5&mlon=13.4", "52.5,13.4"),
        ("https://www.openstreetmap.org/export/embed.html?bbox=1,2,3,4&layer=mapnik", None),
    ],
)
def test_openstreetmap_urls(url, expected):
    src = urlsplit(openstreetmap_embed_url(url))
    assert src.path == "/export/embed.html"
    assert parse_qs(src.query).get("marker", [None])[0] == expected


def test_openstreetmap_url_without_position_falls_back_to_a_link():
    assert openstreetmap_embed_url("https://www.openstreetmap.org/about") is None
    assert openstreetmap_embed_url("https://www.openstreetmap.org/#map=99/100/200") is None


@pytest.mark.parametrize(
    ("url", "provider"),
    [
        ("https://youtu.be/jNQXAC9IVRw", "YouTube"),
        ("https://m.youtube.com/watch?v=x", "YouTube"),
        ("https://vimeo.com/76979871", "Vimeo"),
        ("https://openstreetmap.org/#map=3/1/2", "OpenStreetMap"),
        ("https://notyoutube.com/watch?v=x", None),
        ("https://example.org/youtube.com", None),
    ],
)
def test_provider_detection(url, provider):
    found = detect_provider(url)
    assert (found.name if found else None) == provider


def test_placeholder_without_request_offers_no_form():
    block = ConsentEmbedBlock()
    document = soup(block.render(block.to_python(embed_value())))
    assert document.find(class_="kk-consent-placeholder") is not None
    assert document.find("form") is None and document.find("iframe") is None


def test_two_equal_embeds_get_distinct_anchors(client, programme, elements):
    page = create_element_page(programme, elements[0])
    page.body = [("consent_embed", embed_value()), ("consent_embed", embed_value())]
    page.save_revision().publish()
    document = soup(client.get(page.url))
    ids = [figure["id"] for figure in document.find_all("figure", class_="kk-consent-embed")]
    assert len(ids) == len(set(ids)) == 2
    assert audit_html(str(document)).problems() == []


def test_editor_text_in_the_block_is_escaped(client):
    value = embed_value(
        title='<script>alert("t")</script>',
        caption="<b>fett</b>",
        provider_name="<i>Anbieter</i>",
        url="https://media.example.org/x",
        privacy_url="https://media.example.org/p",
    )
    for html in (render_block(value), render_block(value, client, "accept_all")):
        assert "<script>alert" not in html and "<b>fett" not in html and "<i>Anbieter" not in html
        assert "&lt;b&gt;fett&lt;/b&gt;" in html


def test_frame_title_replaces_the_providers_and_is_escaped():
    html = with_frame_title(
        '<iframe src="https://x.test/e" title="Old"></iframe><iframe src="y">', 'A "quoted" <b>'
    )
    assert html.count('title="A &quot;quoted&quot; &lt;b&gt;"') == 2
    assert "Old" not in html


def test_privacy_policy_is_required_for_unknown_providers():
    block = ConsentEmbedBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python(embed_value(url="https://media.example.org/x")))
    assert "privacy_url" in error.value.block_errors
    cleaned = block.clean(block.to_python(embed_value()))  # YouTube: the default applies
    assert cleaned["url"] == YOUTUBE
    other = block.to_python(
        embed_value(url="https://media.example.org/x", privacy_url="https://media.example.org/p")
    )
    assert block.clean(other)["privacy_url"] == "https://media.example.org/p"


def test_group_choices_come_from_the_database_and_stay_out_of_migrations():
    CookieGroup.objects.create(varname="marketing", name="Marketing", ordering=50)
    from kokreative_wagtail.consent.state import clear_groups_cache

    clear_groups_cache()
    choices = dict(cookie_group_choices())
    assert {"necessary", *OPTIONAL, "marketing"} <= set(choices)
    group_block = ConsentEmbedBlock().child_blocks["group"]
    _path, _args, kwargs = group_block.deconstruct()
    assert kwargs["choices"] is cookie_group_choices  # a callable: migrations never change
    assert group_block.get_default() == "external_media"


def test_api_representation_never_contains_the_embed_html(client, embed_page):
    block = ConsentEmbedBlock()
    data = block.get_api_representation(block.to_python(embed_value()))
    assert data == {
        "url": YOUTUBE,
        "title": "Video über Beteiligung",
        "provider": "YouTube",
        "privacy_url": "https://policies.google.com/privacy",
        "group": "external_media",
        "caption": "Ein Beispiel",
    }
    decide(client, "accept_all")
    response = client.get(f"/api/v2/pages/{embed_page.pk}/")
    assert response.status_code == 200
    [item] = [b for b in response.json()["body"] if b["type"] == "consent_embed"]
    assert item["value"]["provider"] == "YouTube"
    assert "iframe" not in response.content.decode()


def test_block_inside_a_plain_stream_renders_too(client):
    stream_block = StreamBlock([("consent_embed", ConsentEmbedBlock())])
    value = StreamValue(stream_block, [("consent_embed", embed_value())])
    request = request_with_consent(client, "accept_all")
    html = Template("{% load wagtailcore_tags %}{% include_block value %}").render(
        RequestContext(request, {"value": value})
    )
    assert "youtube-nocookie.com/embed/jNQXAC9IVRw" in html


def test_demo_has_a_gated_video_that_validates(client):
    from io import StringIO

    from django.core.management import call_command

    from kokreative_wagtail.models import ElementPage

    call_command("load_demo", stdout=StringIO())
    page = ElementPage.objects.get(slug="raumstrukturen")
    [block] = list(page.body)
    assert block.block_type == "consent_embed"
    page.body.stream_block.clean(page.body)  # as when an editor saves the page
    document = soup(client.get(page.url))
    assert document.find(class_="kk-consent-placeholder") is not None
    assert off_site_references(document) == []


# --- focus and position of the banner (issue 19) ------------------------------------------------

CONSENT_STATIC = Path(__file__).resolve().parents[2] / "kokreative_wagtail" / "consent" / "static"


def css_rules(css: str) -> list[tuple[str, str]]:
    """``(selector, declarations)`` of every innermost rule; comments removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [(sel.strip(), body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)]


def consent_css() -> str:
    return (CONSENT_STATIC / "kokreative_wagtail" / "consent" / "consent.css").read_text()


def test_consent_colours_are_defined_on_the_root_for_every_rule():
    """The footer link is outside banner and dialog: a variable defined only there is undefined."""
    rules = css_rules(consent_css())
    root = [body for sel, body in rules if sel in (":root", ":where(:root)")]
    assert root, "no :root rule"
    defined = set(re.findall(r"(--kk-consent-[\w-]+)\s*:", "".join(root)))
    used = set(re.findall(r"var\(\s*(--kk-consent-[\w-]+)", consent_css()))
    assert used and used <= defined
    for sel, body in rules:
        if sel not in (":root", ":where(:root)"):
            assert not re.search(r"--kk-consent-[\w-]+\s*:", body), f"{sel} redefines a colour"


def test_focus_outline_has_a_fallback_and_is_never_removed():
    for sel, body in css_rules(consent_css()):
        declarations = {
            name.strip(): value.strip()
            for name, _, value in (d.partition(":") for d in body.split(";") if ":" in d)
        }
        outline = declarations.get("outline", "")
        assert outline not in ("none", "0"), f"{sel} removes the outline"
        if "focus" in sel:
            assert re.search(r"var\(--kk-consent-focus,\s*#[0-9a-f]{6}\)", outline), sel
    focus_selectors = [sel for sel, body in css_rules(consent_css()) if "outline:" in body]
    assert any(".kk-consent-settings-link:focus-visible" in sel for sel in focus_selectors)


def test_banner_is_in_the_page_flow_not_laid_over_it():
    """A sticky or fixed banner hides the focused element (WCAG 2.2 SC 2.4.11)."""
    for sel, body in css_rules(consent_css()):
        if "kk-consent-banner" in sel:
            position = re.search(r"position:\s*([\w-]+)", body)
            assert position is None or position.group(1) in ("static", "relative"), sel


def test_script_that_moves_the_banner_first_runs_before_the_page_is_shown(client, programme):
    document = soup(client.get(programme.url))
    banner = document.find(id="kk-consent-banner")
    [script] = [s for s in document.find_all("script") if "consent.js" in s.get("src", "")]
    assert not script.has_attr("defer") and not script.has_attr("async")
    # The script comes after the banner in the markup, so the banner exists when it runs.
    assert banner in script.find_all_previous("section")
    js = (CONSENT_STATIC / "kokreative_wagtail" / "consent" / "consent.js").read_text()
    assert "insertBefore(banner, body.firstChild)" in js
