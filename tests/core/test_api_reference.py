"""docs/api-reference.md is generated from the OpenAPI contract and kept in step with it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def load_generator():
    spec = importlib.util.spec_from_file_location(
        "api_reference", REPO / "tools" / "api_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_api_reference_is_generated_from_the_current_schema():
    """The page is what tools/api_reference.py writes from the snapshot test_api holds live."""
    generator = load_generator()
    document = json.loads((REPO / "tests" / "snapshots" / "openapi.json").read_text("utf-8"))
    expected = generator.render(document)
    assert (REPO / "docs" / "api-reference.md").read_text("utf-8") == expected, (
        "docs/api-reference.md is out of date: run .venv/bin/python tools/api_reference.py"
    )
    for path, operations in document["paths"].items():
        for method in operations:
            assert f"### `{method.upper()} {path}`" in expected
    for name in document["components"]["schemas"]:
        assert f"### {name}\n" in expected


def test_types_are_readable():
    generator = load_generator()
    assert generator.type_of({"anyOf": [{"type": "integer", "minimum": 1}, {"type": "null"}]}) == (
        "integer (≥ 1) or null"
    )
    assert generator.type_of({"type": "array", "items": {"$ref": "#/components/schemas/X"}}) == (
        "list of [X](#x)"
    )
    assert generator.type_of({"enum": ["a", ""]}) == 'one of `"a"`, `""`'
    assert generator.type_of({"type": "string", "format": "date-time"}) == "string (date-time)"
