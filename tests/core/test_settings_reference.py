"""docs/settings.md documents every key of ``settings.KOKREATIVE`` with its real default."""

from __future__ import annotations

import re
from pathlib import Path

from kokreative_wagtail.conf import DEFAULTS, TYPES

SETTINGS_DOC = Path(__file__).resolve().parents[2] / "docs" / "settings.md"
ROW = re.compile(r"^\| `([A-Z_]+)` \| `([^`]*)` \| (.+) \|$", re.M)


def python_literal(value) -> str:
    return repr(value).replace("'", '"')


def test_every_key_has_a_row_with_its_default():
    rows = {
        key: (default, meaning) for key, default, meaning in ROW.findall(SETTINGS_DOC.read_text())
    }
    assert set(rows) == set(DEFAULTS), (
        "docs/settings.md and kokreative_wagtail.conf.DEFAULTS differ"
    )
    for key, value in DEFAULTS.items():
        default, meaning = rows[key]
        assert default == python_literal(value), key
        assert len(meaning) > 20, key
    assert set(TYPES) == set(DEFAULTS)
