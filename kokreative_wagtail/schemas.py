"""django-ninja schemas of the core API."""

from __future__ import annotations

from ninja import Schema


class ElementSchema(Schema):
    id: int
    translation_key: str
    locale: str
    name: str
    slug: str
    summary: str
    description: str
    colour: str
    icon: str
    sort_order: int


# An element as offers and occurrences show it (one schema for both lists; a docstring would
# become part of the OpenAPI contract).
class ElementRefSchema(Schema):
    id: int
    translation_key: str
    locale: str | None
    name: str
    slug: str
    summary: str
    colour: str
    icon: str


class ElementListSchema(Schema):
    count: int
    items: list[ElementSchema]
