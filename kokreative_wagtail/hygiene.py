"""Input hygiene for every endpoint and form: characters no text of ours may hold, bounded JSON.

Pure functions, no request. Why each rule:

- NUL (U+0000): PostgreSQL cannot store or compare text holding it (a 500, not a 400).
- Lone surrogates (U+D800–U+DFFF, category Cs): not encodable as UTF-8; PostgreSQL refuses them
  and SQLite stores them, after which the admin's submission list and exports break.
- Other control characters (category Cc): invisible, never typed by people, and they break
  e-mails, CSV exports and terminals. Tab, CR and LF are allowed in multi-line text only.
- JSON nesting: ``json.loads`` recurses once per level, so a 2 KB body of ``[[[[…`` ends in a
  ``RecursionError``. :func:`loads_bounded` counts the depth without recursion before parsing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

#: Deepest nesting of arrays and objects a JSON body may have (our bodies need 3).
MAX_JSON_DEPTH = 32

#: Line breaks and tab: the only control characters multi-line text may hold.
MULTILINE_WHITESPACE = frozenset("\t\n\r")

# Category Cc is exactly U+0000–U+001F and U+007F–U+009F; Cs is U+D800–U+DFFF.
_BAD_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

# A JSON string (to its closing quote, or to the end of an unterminated one) or a bracket.
# The unrolled loop never backtracks, so the scan is linear in the length of the text.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[{]|[\]}]', re.DOTALL)


def find_bad_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character ``text`` must not hold, or ``None``.

    Tab, CR and LF count as bad unless ``multiline``.
    """
    match = (_BAD_MULTILINE if multiline else _BAD_SINGLE_LINE).search(text)
    return match.group() if match else None


def character_problem(text: str, *, multiline: bool = False) -> str | None:
    """A message for the person who sent ``text`` if it holds a bad character, else ``None``."""
    char = find_bad_character(text, multiline=multiline)
    if char is None:
        return None
    if char == "\x00":
        return _("Must not contain NUL characters.")
    if "\ud800" <= char <= "\udfff":
        return _("Must not contain invalid characters (unpaired surrogates).")
    if char in MULTILINE_WHITESPACE:
        return _("Must be a single line without line breaks or tabs.")
    return _("Must not contain control characters.")


@deconstructible
class TextHygieneValidator:
    """Django validator for form fields: rejects what :func:`character_problem` finds."""

    code = "bad_character"

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if isinstance(value, str):
            message = character_problem(value, multiline=self.multiline)
            if message is not None:
                raise ValidationError(message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextHygieneValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((type(self), self.multiline))


def bad_strings(value: Any, *, multiline: bool = True) -> Iterator[tuple[tuple[str, ...], str]]:
    """``(path, message)`` for every string (value or key) in parsed JSON holding a bad character.

    ``path`` is the keys leading to it (list indexes left out, as in our error format). The walk
    recurses, so call it on data from :func:`loads_bounded` only.
    """
    yield from _walk(value, (), multiline)


def _walk(
    value: Any, path: tuple[str, ...], multiline: bool
) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, str):
        message = character_problem(value, multiline=multiline)
        if message is not None:
            yield path, message
    elif isinstance(value, dict):
        for key, item in value.items():
            message = character_problem(key, multiline=False)
            if message is not None:
                yield path, message
                continue
            yield from _walk(item, (*path, key), multiline)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, path, multiline)


class JSONTooDeepError(ValueError):
    """The JSON text nests arrays and objects deeper than allowed."""


def json_depth(text: str) -> int:
    """Deepest nesting of arrays and objects in ``text``, counted without recursion.

    Brackets inside strings do not count. For invalid JSON the result is an upper bound of the
    depth ``json.loads`` reaches before it fails, so checking it first is always safe.
    """
    depth = deepest = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth = max(depth - 1, 0)
    return deepest


def loads_bounded(data: str | bytes, *, max_depth: int = MAX_JSON_DEPTH, **kwargs: Any) -> Any:
    """``json.loads`` that refuses nesting deeper than ``max_depth`` before it parses.

    Raises :class:`JSONTooDeepError` (a ``ValueError``) for deep nesting, and what ``json.loads``
    raises (``ValueError``, ``UnicodeDecodeError``) for invalid JSON.
    """
    if isinstance(data, (bytes, bytearray)):
        # As json.loads decodes bytes (it also lets encoded surrogates through: bad_strings).
        data = data.decode(json.detect_encoding(data), "surrogatepass")
    if json_depth(data) > max_depth:
        raise JSONTooDeepError(
            _("The JSON is nested too deeply (at most %(max)d levels).") % {"max": max_depth}
        )
    return json.loads(data, **kwargs)
