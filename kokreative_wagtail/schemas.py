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


class ElementListSchema(Schema):
    count: int
    items: list[ElementSchema]
