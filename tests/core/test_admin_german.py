"""A German editor sees no English string of the libraries we bring, in any admin view of ours.

django-cookie-consent ships no German; our catalogue translates its msgids (Django merges all
apps' catalogues by msgid). The list of English strings is read from the libraries' sources at
test time, so a new string in a library update shows up here instead of in an editor's admin.
"""

from __future__ import annotations

import ast
import datetime
import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cookie_consent.models import Cookie, CookieGroup
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real
from wagtail.models import Page

from kokreative_wagtail.consent.models import ConsentRecord, CookieGroupText, CookieText
from kokreative_wagtail.events.models import EventIndexPage, EventPage, OccurrenceOverride
from kokreative_wagtail.models import ElementPage, KokreativeSettings, ProgrammePage
from kokreative_wagtail.offers.models import Audience, OfferIndexPage, OfferPage

from ..consultations.factories import create_consultation_page, notification_row
from ..events.factories import create_event, create_event_index
from ..offers.factories import create_offer, create_offer_index

pytestmark = pytest.mark.django_db

LIBRARIES = ("cookie_consent", "recurrence")
GETTEXT = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ugettext",
    "ugettext_lazy",
    "ngettext",
    "ngettext_lazy",
}
PGETTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
KEYWORDS = {"verbose_name", "verbose_name_plural", "help_text", "label", "description"}


# --- the libraries' English msgids ------------------------------------------------------------


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _strings_of(tree: ast.AST) -> set[tuple[str | None, str]]:
    """(context, msgid) of every literal given to gettext & co. or as a label-like keyword."""
    aliases = {name: name for name in GETTEXT | PGETTEXT}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                aliases[alias.asname or alias.name] = alias.name
    found: set[tuple[str | None, str]] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        original = aliases.get(name)
        if original in GETTEXT and node.args:
            found |= {(None, s) for s in map(_literal, node.args[:2]) if s}
        elif original in PGETTEXT and len(node.args) >= 2:
            context = _literal(node.args[0])
            found |= {(context, s) for s in map(_literal, node.args[1:3]) if s}
        for keyword in node.keywords:
            if keyword.arg in KEYWORDS and (text := _literal(keyword.value)):
                found.add((None, text))
    return found


def library_msgids() -> set[tuple[str | None, str]]:
    msgids: set[tuple[str | None, str]] = set()
    for library in LIBRARIES:
        root = Path(importlib.util.find_spec(library).origin).parent
        for source in root.rglob("*.py"):
            if "migrations" in source.parts or "tests" in source.parts:
                continue
            msgids |= _strings_of(ast.parse(source.read_text(encoding="utf-8")))
    return msgids


def english_patterns() -> dict[str, re.Pattern]:
    """The msgids a German page must not show, each as a pattern over one text.

    A msgid the German catalogues translate to itself ("Name", "Cookies", "August") is German
    too; any other, translated or not, is English where it appears. A one-word msgid counts only
    as a whole text: as part of one it is as likely a German compound ("Banner-Version").
    """
    catalogue = trans_real.translation("de")._catalog
    patterns = {}
    for context, msgid in library_msgids():
        if not re.search(r"[A-Za-z]{2}", msgid):
            continue
        key = f"{context}\x04{msgid}" if context else msgid
        german = catalogue.get(key, catalogue.get((key, 0)))
        if german == msgid:
            continue
        parts = re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", msgid)
        body = r"\S.*?".join(re.escape(part) for part in parts)
        start = r"(?<!\w)" if re.match(r"\w", msgid) else ""
        end = r"(?!\w)" if re.search(r"\w$", msgid) else ""
        if " " not in msgid.strip():  # one word: as a whole text (a label, a column, an option)
            start, end = r"^", r"$"
        patterns[msgid] = re.compile(start + body + end)
    return patterns


@pytest.fixture(scope="module")
def english() -> tuple[re.Pattern, dict[str, re.Pattern]]:
    """One pattern finding any of them (longest first), and each msgid's own for naming it."""
    patterns = english_patterns()
    ordered = sorted(patterns, key=len, reverse=True)
    return re.compile("|".join(f"(?:{patterns[m].pattern})" for m in ordered)), patterns


# --- what a page shows --------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """Text nodes and the attributes read out or shown (title, aria-label, placeholder, alt)."""

    SKIP = {"script", "style"}
    ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}

    def __init__(self) -> None:
        super().__init__()
        self.skipping = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        self.texts += [" ".join(v.split()) for k, v in attrs if k in self.ATTRIBUTES and v]

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and (text := " ".join(data.split())):
            self.texts.append(text)


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


def english_in(html: str, english) -> list[str]:
    finder, patterns = english
    found = []
    for text in visible_texts(html):
        if text in ("True", "False"):
            found.append(f"{text} (a boolean as Python prints it)")
        for match in finder.finditer(text):
            msgid = next(m for m, p in patterns.items() if p.fullmatch(match.group()))
            found.append(f"{msgid!r} in {text[:80]!r}")
    return found


# --- the views ----------------------------------------------------------------------------------


def page_add(model, parent) -> str:
    meta = model._meta
    return reverse("wagtailadmin_pages:add", args=(meta.app_label, meta.model_name, parent.pk))


@pytest.fixture
def admin_views(site_root, programme, element_page) -> list[str]:
    """Every admin view of our apps, with one object of each kind to show."""
    group = CookieGroup.objects.get(varname="statistics")
    cookie = Cookie.objects.create(cookiegroup=group, name="_pk_id", domain="example.org")
    group_text = CookieGroupText.objects.get_or_create(
        group=group, language_code="en", defaults={"name": "Statistics"}
    )[0]
    cookie_text = CookieText.objects.create(cookie=cookie, language_code="en", description="Id")
    record = ConsentRecord.objects.create(
        action="save",
        accepted=["external_media", "statistics"],
        declined=["retired_group"],
        banner_version="1",
    )
    offers = create_offer_index(site_root)
    offer = create_offer(offers, title="Werkstatt", revisions=False)
    events = create_event_index(site_root)
    start = timezone.make_aware(datetime.datetime(2027, 1, 7, 16, 30))
    event = create_event(events, start, rule="RRULE:FREQ=WEEKLY")
    event.overrides.add(OccurrenceOverride(original_start=start + datetime.timedelta(weeks=1)))
    event.save_revision()
    form_page = create_consultation_page(site_root)
    notification = notification_row(form_page)
    audience = Audience.objects.first()
    element = element_page.element
    urls = []
    for name, obj in (
        ("kokreative_cookie_groups", group),
        ("kokreative_cookies", cookie),
        ("kokreative_cookie_group_texts", group_text),
        ("kokreative_cookie_texts", cookie_text),
    ):
        urls += [reverse(f"{name}:{view}") for view in ("index", "add")]
        urls += [reverse(f"{name}:{view}", args=[obj.pk]) for view in ("edit", "delete")]
    urls += [
        reverse("kokreative_consent_records:index"),
        reverse("kokreative_consent_records:inspect", args=[record.pk]),
        reverse("kokreative_consent_records:delete", args=[record.pk]),
        reverse("wagtailsnippets_kokreative_wagtail_element:list"),
        reverse("wagtailsnippets_kokreative_wagtail_element:add"),
        reverse("wagtailsnippets_kokreative_wagtail_element:edit", args=[element.pk]),
        reverse("wagtailsnippets_kokreative_offers_audience:list"),
        reverse("wagtailsnippets_kokreative_offers_audience:add"),
        reverse("wagtailsnippets_kokreative_offers_audience:edit", args=[audience.pk]),
        reverse(
            "wagtailsettings:edit",
            args=(*KokreativeSettings._meta.label_lower.split("."), site_root.get_site().pk),
        ),
        reverse("wagtailadmin_home"),  # the dashboard panels
        reverse("kokreative_notification:index"),
        reverse("kokreative_notification:inspect", args=[notification.pk]),
        reverse("wagtailforms:index"),
        reverse("wagtailforms:list_submissions", args=[form_page.pk]),
        page_add(ProgrammePage, site_root),
        page_add(ElementPage, programme),
        page_add(OfferIndexPage, site_root),
        page_add(OfferPage, offers),
        page_add(EventIndexPage, site_root),
        page_add(EventPage, events),
        page_add(type(form_page), site_root),
        *(
            reverse("wagtailadmin_pages:edit", args=[page.pk])
            for page in (programme, element_page, offers, offer, events, event, form_page)
        ),
    ]
    return urls


def test_every_admin_view_of_ours_is_german(admin_client, admin_views, english):
    found = {}
    for url in admin_views:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'lang="de"' in html[:500], url
        if english_strings := english_in(html, english):
            found[url] = sorted(set(english_strings))
    assert not found, "English in the German admin:\n" + "\n".join(
        f"{url}\n    " + "\n    ".join(strings) for url, strings in found.items()
    )


def test_the_finder_finds_the_libraries_english(english):
    """The check itself: it knows the strings the editors saw, and passes German ones."""
    html = (
        "<h1>Cookie Groups</h1><a title='Cookie Group hinzufügen'>+</a>"
        "<td>True</td><label>Is deletable?</label><p>Cookie-Gruppen</p><p>Name</p>"
    )
    with translation.override("de"):
        found = english_in(html, english)
    assert len(found) == 4, found
    german = "<p>Cookie-Gruppe: Ja</p><p>Banner-Version</p><p>Montag, 5. Dezember</p>"
    assert english_in(german, english) == []


# --- consent records in words; the library's labels from our catalogue -------------------------


@pytest.fixture
def record(db) -> ConsentRecord:
    record = ConsentRecord.objects.create(
        action="save",
        accepted=["external_media", "statistics"],
        declined=["retired_group"],  # a group deleted since: shown as stored
        banner_version="1",
        source="form",
    )
    created = timezone.make_aware(datetime.datetime(2026, 12, 5, 14, 3))  # Europe/Berlin
    ConsentRecord.objects.filter(pk=record.pk).update(created=created)
    return record


def test_consent_records_read_in_the_editors_words(admin_client, record):
    index = admin_client.get(reverse("kokreative_consent_records:index")).content.decode()
    inspect_url = reverse("kokreative_consent_records:inspect", args=[record.pk])
    inspect = admin_client.get(inspect_url).content.decode()
    for html in (index, inspect):
        texts = visible_texts(html)
        assert "Externe Medien, Statistik" in texts
        assert "retired_group" in texts
        assert "Auswahl gespeichert" in texts
        assert "Banner oder Einstellungsseite" in texts
        assert "5. Dezember 2026, 14:03" in texts
        assert [t for t in texts if "['" in t or "external_media" in t] == []
        assert "form" not in texts
    # an English editor reads the groups' English texts and an English time
    from wagtail.users.models import UserProfile

    user = admin_client.get(inspect_url).wsgi_request.user
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
    texts = visible_texts(admin_client.get(inspect_url).content.decode())
    assert "External media, Statistics" in texts
    assert "saved a selection" in texts
    assert "Dec. 5, 2026, 2:03 p.m." in texts


def test_the_export_keeps_the_stored_values(admin_client, record):
    """For machines and proof: varnames and keys, not the exporting editor's words."""
    url = reverse("kokreative_consent_records:index")
    response = admin_client.get(url, {"export": "csv"})
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert rows[0].startswith("Einwilligungs-ID,Zeitpunkt,Aktion,Akzeptierte Gruppen")
    assert ',save,"external_media, statistics",retired_group,1,form' in rows[1]


def test_our_catalogue_translates_the_librarys_strings():
    """Every msgid listed is the library's, and German from our catalogue whatever else is
    installed (Django merges catalogues by msgid; an app listed earlier wins)."""
    import polib

    from kokreative_wagtail.consent.library_strings import STRINGS

    ours = {
        entry.msgid: entry.msgstr
        for entry in polib.pofile(
            str(Path(__file__).parents[2] / "kokreative_wagtail/locale/de/LC_MESSAGES/django.po")
        )
    }
    assert set(STRINGS) <= {msgid for _context, msgid in library_msgids()}
    with translation.override("de"):
        assert {m: translation.gettext(m) for m in STRINGS} == {m: ours[m] for m in STRINGS}
        assert str(CookieGroup._meta.verbose_name_plural) == "Cookie-Gruppen"
        assert str(CookieGroup._meta.get_field("is_deletable").verbose_name) == "Löschbar?"


def test_a_notification_not_sent_yet_shows_a_dash_not_none(admin_client, site_root):
    form_page = create_consultation_page(site_root)
    notification = notification_row(form_page)
    assert notification.sent_at is None
    html = admin_client.get(reverse("kokreative_notification:inspect", args=[notification.pk]))
    texts = visible_texts(html.content.decode())
    sent = texts.index("Gesendet")
    assert texts[sent + 1] == "-"
    assert "None" not in texts


def test_the_example_sites_home_page_type_is_german(admin_client):
    """Editors choose page types by name: the example's own home page was "Home page"."""
    from home.models import HomePage

    with translation.override("de"):
        assert HomePage.get_verbose_name() == "Startseite"
        assert str(HomePage._meta.get_field("intro").verbose_name) == "Einleitung"
    root = Page.get_first_root_node()
    html = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=(root.pk,))).content
    assert "Startseite" in html.decode() and "Home page" not in html.decode()
