"""The ids and paths in the documentation's examples resolve on a fresh demo (``make demo``).

A front-end developer copies ``GET /api/v2/pages/5/`` or ``forms/17`` from the docs into a
browser against ``make demo``: it must be the object the example shows. The demo is loaded into
a fresh test database (ids as on a new ``make demo``); every JSON example object with an id, and
every id in an API path or query, is checked against it: it exists, and where the example names
a page type, a title, a slug or a name, they match.

The main suite has German content only; examples of English objects (``"locale": "en"``, a URL
below ``/en/``) are checked when the suite runs with ``tests.settings_localize`` (which has the
English demo, as ``make demo`` does).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from wagtail.images import get_image_model
from wagtail.models import Page

from ..embed_finder import FINDERS_SETTING

DOCS = Path(__file__).resolve().parents[2] / "docs"

FENCED = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
PAGE_PATH = re.compile(r"/api/v2/pages/(\d+)/")
IMAGE_PATH = re.compile(r"/api/v2/images/(\d+)/")
FORM_PATH = re.compile(r"\bforms/(\d+)\b")
INDEX_QUERY = re.compile(r"(offers|occurrences)\?[^\s`\"']*?\bindex=(\d+)")
OFFER_QUERY = re.compile(r"occurrences\?[^\s`\"']*?\boffer=(\d+)")
FRONTEND_ROUTE = re.compile(r"#/(de|en)/page/(\d+)")
HTML_PATH = re.compile(r"pages/find/\?html_path=([^\s`\"'&)]+)")
OFFER_ID = re.compile(r'"(?:offer_id|related_offer_id)":\s*(\d+)')
CTA_PAGE = re.compile(r'"page":\s*(\d+)')
OBJECT_ID = re.compile(r'"id":\s*(\d+)')
KEY_BEFORE = re.compile(r'"(\w+)":\s*\[?\s*$')
SCALAR = re.compile(r'"(\w+)":\s*("(?:[^"\\]|\\.)*"|-?\d+|true|false|null)')
META_TYPE = re.compile(r'^\{\s*"id":\s*\d+,\s*"meta":\s*\{\s*"type":\s*"([\w.]+)"')
#: An absolute URL on another host than the demo's: the example illustrates a shape on some site.
FOREIGN_HOST = re.compile(r"https?://(?!(?:127\.0\.0\.1|localhost)(?::8000)?/)")
META_LOCALE = re.compile(r'"locale":\s*"(\w+)"')


@dataclass
class Reference:
    """One id an example uses, and what the example says it is."""

    doc: str
    line: int
    kind: str  # page, image, element, audience, form, offer_index_or_event_index, offer, path
    value: int | str
    expect: dict[str, str] = field(default_factory=dict)
    english: bool = False

    def where(self) -> str:
        return f"docs/{self.doc}:{self.line}"


def line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def object_bounds(text: str, position: int) -> tuple[int, int] | None:
    """Start and end (inclusive) of the JSON object around ``position``."""
    depth = 0
    start = position
    while start >= 0:
        char = text[start]
        if char == "}":
            depth += 1
        elif char == "{":
            if depth == 0:
                break
            depth -= 1
        start -= 1
    if start < 0:
        return None
    depth = 0
    for end in range(start, len(text)):
        if text[end] == "{":
            depth += 1
        elif text[end] == "}":
            depth -= 1
            if depth == 0:
                return start, end
    return None


def top_level_scalars(obj: str) -> dict[str, str]:
    """The object's own scalar values (nested objects and lists left out), strings unquoted."""
    inner = obj[1:-1]
    while True:
        flat = re.sub(r"\{[^{}]*\}", "{}", inner)
        flat = re.sub(r"\[[^\[\]]*\]", "[]", flat)
        if flat == inner:
            break
        inner = flat
    values = {}
    for key, raw in SCALAR.findall(inner):
        values[key] = raw[1:-1] if raw.startswith('"') else raw
    return values


def is_english(obj: str, values: dict[str, str]) -> bool:
    locale = values.get("locale") or (
        META_LOCALE.search(obj).group(1) if META_LOCALE.search(obj) else ""
    )
    urls = " ".join(values.get(key, "") for key in ("url", "full_url", "html_url"))
    return locale == "en" or "/en/" in urls


def object_references(doc: str, text: str, offset: int, block: str) -> list[Reference]:
    references = []
    for match in OBJECT_ID.finditer(block):
        bounds = object_bounds(block, match.start())
        if bounds is None:
            continue
        start, end = bounds
        obj = block[start : end + 1]
        if not re.match(r'\{\s*"id"', obj):
            continue  # the id of a nested object: checked on its own
        values = top_level_scalars(obj)
        number = int(match.group(1))
        parent = KEY_BEFORE.search(block[max(0, start - 60) : start])
        parent_key = parent.group(1) if parent else ""
        line = line_of(text, offset + match.start())
        english = is_english(obj, values)
        meta_type = META_TYPE.match(obj)
        if number == 0:
            continue  # a page that does not exist yet (previews)
        if meta_type:
            references.append(
                Reference(
                    doc,
                    line,
                    "typed",
                    number,
                    {"type": meta_type.group(1), **pick(values, "title")},
                    english,
                )
            )
        elif parent_key in {"image", "teaser_image"} or (
            "width" in values and "title" not in values
        ):
            references.append(Reference(doc, line, "image", number, {}, english))
        elif "name" in values and (
            "translation_key" in values or parent_key in {"element", "elements"}
        ):
            references.append(
                Reference(doc, line, "element", number, pick(values, "name", "slug"), english)
            )
        elif "title" in values:
            references.append(
                Reference(doc, line, "page", number, pick(values, "title", "slug"), english)
            )
        elif "slug" in values and "name" in values:
            references.append(
                Reference(doc, line, "audience", number, pick(values, "name", "slug"), english)
            )
    return references


def pick(values: dict[str, str], *keys: str) -> dict[str, str]:
    return {key: values[key] for key in keys if key in values and "…" not in values[key]}


def collect_references(docs: Path = DOCS) -> list[Reference]:
    references: list[Reference] = []
    for path in sorted(docs.glob("*.md")):
        if path.name == "api-reference.md":
            continue  # generated from the OpenAPI document: schemas, no demo ids
        text = path.read_text(encoding="utf-8")
        doc = path.name
        for pattern, kind in (
            (PAGE_PATH, "page"),
            (IMAGE_PATH, "image"),
            (FORM_PATH, "form"),
            (OFFER_QUERY, "offer"),
        ):
            for match in pattern.finditer(text):
                english = "/en/" in text[max(0, match.start() - 200) : match.end() + 200]
                references.append(
                    Reference(
                        doc, line_of(text, match.start()), kind, int(match.group(1)), {}, english
                    )
                )
        for match in INDEX_QUERY.finditer(text):
            kind = "offer_index" if match.group(1) == "offers" else "event_index"
            references.append(
                Reference(doc, line_of(text, match.start()), kind, int(match.group(2)))
            )
        for match in FRONTEND_ROUTE.finditer(text):  # the reference front end's addresses
            references.append(
                Reference(
                    doc,
                    line_of(text, match.start()),
                    "page",
                    int(match.group(2)),
                    {},
                    match.group(1) == "en",
                )
            )
        for match in HTML_PATH.finditer(text):
            value = match.group(1)
            if "…" in value:
                continue
            references.append(
                Reference(
                    doc, line_of(text, match.start()), "path", value, {}, value.startswith("/en/")
                )
            )
        for block in FENCED.finditer(text):
            code = block.group(2)
            if block.group(1) not in {"json", ""} or FOREIGN_HOST.search(code):
                continue  # not JSON, or an illustration on another site than the demo
            for pattern, kind in ((OFFER_ID, "offer"), (CTA_PAGE, "page")):
                for match in pattern.finditer(code):
                    position = block.start(2) + match.start()
                    references.append(
                        Reference(doc, line_of(text, position), kind, int(match.group(1)))
                    )
            references.extend(object_references(doc, text, block.start(2), code))
    return references


def english_content() -> bool:
    from django.conf import settings

    return apps.is_installed("wagtail_localize") and getattr(
        settings, "WAGTAIL_I18N_ENABLED", False
    )


def check(reference: Reference, client) -> str | None:
    """None when the reference resolves to what the example says, else what is wrong."""
    from kokreative_wagtail.consultations.abstract import ConsultationFormPageMixin
    from kokreative_wagtail.events.models import EventIndexPage
    from kokreative_wagtail.models import Element
    from kokreative_wagtail.offers.models import Audience, OfferIndexPage, OfferPage

    kind, value, expect = reference.kind, reference.value, reference.expect
    if kind == "path":
        response = client.get("/api/v2/pages/find/", {"html_path": value})
        if response.status_code != 302:
            return f"html_path={value} answers {response.status_code}"
        return None
    if kind == "image":
        return None if get_image_model().objects.filter(pk=value).exists() else f"no image {value}"
    if kind == "element":
        element = Element.objects.filter(pk=value).first()
        if element is None:
            return f"no element {value}"
        return mismatch(f"element {value}", {"name": element.name, "slug": element.slug}, expect)
    if kind == "audience":
        audience = Audience.objects.filter(pk=value).first()
        if audience is None:
            return f"no audience {value}"
        return mismatch(f"audience {value}", {"name": audience.name, "slug": audience.slug}, expect)

    if kind == "typed":
        model = apps.get_model(expect["type"])
        if not issubclass(model, Page):
            found = model.objects.filter(pk=value).exists()
            return None if found else f"no {expect['type']} {value}"
    page = Page.objects.filter(pk=value).first()
    if page is None:
        return f"no page {value}"
    page = page.specific
    label = f"page {value} ({type(page)._meta.label} {page.title!r})"
    wanted = {
        "form": ConsultationFormPageMixin,
        "offer": OfferPage,
        "offer_index": OfferIndexPage,
        "event_index": EventIndexPage,
    }.get(kind)
    if wanted is not None and not isinstance(page, wanted):
        return f"{label} is no {wanted.__name__}"
    if kind == "typed" and type(page)._meta.label != expect["type"]:
        return f"{label} is no {expect['type']}"
    return mismatch(label, {"title": page.title, "slug": page.slug}, expect)


def mismatch(label: str, actual: dict[str, str], expect: dict[str, str]) -> str | None:
    wrong = {k: v for k, v in expect.items() if k in actual and actual[k] != v}
    if not wrong:
        return None
    return f"{label}: the example says {wrong}, the demo has " + str({k: actual[k] for k in wrong})


@pytest.fixture
def fresh_demo(db, settings):
    """The demo on a database as fresh as a new ``make demo`` (sequences after the migrated
    rows, as after ``migrate``; SQLite needs nothing, its counters roll back with the test)."""
    settings.WAGTAILEMBEDS_FINDERS = FINDERS_SETTING
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_the_docs_have_examples_with_ids():
    """The extraction finds the examples (an empty list would pass the check below vacuously)."""
    references = collect_references()
    kinds = {reference.kind for reference in references}
    assert {"page", "element"} <= kinds, kinds
    assert {"api.md", "events.md", "offers.md"} <= {r.doc for r in references}
    assert len(references) >= 20


def test_extraction_reads_what_an_example_says(tmp_path):
    (tmp_path / "example.md").write_text(
        "`GET /api/v2/pages/5/`, `GET /api/kokreative/v1/forms/17` and "
        "`offers?kind=training&index=10`:\n\n```json\n"
        '{"id": 5, "meta": {"type": "kokreative_wagtail.ProgrammePage", "parent": {"id": 3, '
        '"meta": {"type": "home.HomePage"}, "title": "Startseite"}}, "title": "Die Kokreative '
        'Kommune", "element_pages": [{"id": 6, "title": "Kultureller Wandel", "url": "/x/", '
        '"element": {"id": 1, "translation_key": "…", "locale": "de", "name": "Kultureller '
        'Wandel", "slug": "kultureller-wandel"}}], "image": {"id": 1, "url": "/media/a.png", '
        '"width": 10}, "offer_id": 13, "locale": "de"}\n```\n',
        encoding="utf-8",
    )
    found = {
        (r.kind, r.value, tuple(sorted(r.expect.items()))) for r in collect_references(tmp_path)
    }
    assert found == {
        ("page", 5, ()),
        ("form", 17, ()),
        ("offer_index", 10, ()),
        ("offer", 13, ()),
        (
            "typed",
            5,
            (("title", "Die Kokreative Kommune"), ("type", "kokreative_wagtail.ProgrammePage")),
        ),
        ("typed", 3, (("title", "Startseite"), ("type", "home.HomePage"))),
        ("page", 6, (("title", "Kultureller Wandel"),)),
        ("element", 1, (("name", "Kultureller Wandel"), ("slug", "kultureller-wandel"))),
        ("image", 1, ()),
    }


def test_ids_in_the_docs_resolve_on_a_fresh_demo(fresh_demo, client):
    with_english = english_content()
    problems = []
    for reference in collect_references():
        if reference.english and not with_english:
            continue  # checked under tests.settings_localize
        problem = check(reference, client)
        if problem:
            problems.append(f"{reference.where()}: {problem}")
    assert problems == [], "\n".join(
        ["ids in the docs that a fresh demo does not have:", *problems]
    )
