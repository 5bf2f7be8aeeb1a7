"""A small structural audit of rendered HTML: the WCAG points a unit test can check.

The full axe-core audit runs in the browser tests; this one runs everywhere, in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Audit:
    lang: str | None = None
    headings: list[tuple[int, str]] = field(default_factory=list)
    landmarks: list[str] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    links_without_text: int = 0

    def problems(self) -> list[str]:
        found = []
        if not self.lang:
            found.append("<html> has no lang attribute")
        levels = [level for level, _ in self.headings]
        if levels.count(1) != 1:
            found.append(f"expected one h1, found {levels.count(1)}")
        if levels and levels[0] != 1:
            found.append(f"first heading is h{levels[0]}, not h1")
        for previous, current in zip(levels, levels[1:], strict=False):
            if current > previous + 1:
                found.append(f"heading level skips from h{previous} to h{current}")
        if self.landmarks.count("main") != 1:
            found.append(f"expected one <main>, found {self.landmarks.count('main')}")
        if self.images_without_alt:
            found.append(f"images without alt: {self.images_without_alt}")
        duplicates = {i for i in self.ids if self.ids.count(i) > 1}
        if duplicates:
            found.append(f"duplicate ids: {sorted(duplicates)}")
        if self.links_without_text:
            found.append(f"{self.links_without_text} links without text")
        return found


class _Parser(HTMLParser):
    LANDMARKS = {"main", "nav", "header", "footer", "aside"}

    def __init__(self) -> None:
        super().__init__()
        self.audit = Audit()
        self._heading: tuple[int, list[str]] | None = None
        self._link: list[str] | None = None
        self._link_label = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.audit.ids.append(attributes["id"])
        if tag == "html":
            self.audit.lang = attributes.get("lang")
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self._heading = (int(tag[1]), [])
        elif tag in self.LANDMARKS:
            self.audit.landmarks.append(tag)
        elif tag == "img":
            if "alt" not in attributes:
                self.audit.images_without_alt.append(attributes.get("src", "?"))
            if self._link is not None and attributes.get("alt"):
                self._link.append(attributes["alt"])
        elif tag == "a" and "href" in attributes:
            self._link = []
            self._link_label = bool(attributes.get("aria-label"))

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading[0]}":
            self.audit.headings.append((self._heading[0], "".join(self._heading[1]).strip()))
            self._heading = None
        elif tag == "a" and self._link is not None:
            if not "".join(self._link).strip() and not self._link_label:
                self.audit.links_without_text += 1
            self._link = None

    def handle_data(self, data):
        if self._heading:
            self._heading[1].append(data)
        if self._link is not None:
            self._link.append(data)


def audit_html(html: str) -> Audit:
    parser = _Parser()
    parser.feed(html)
    return parser.audit
