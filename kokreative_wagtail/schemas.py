"""django-ninja schemas shared by the routers of our API (docs/api-contract.md)."""

from __future__ import annotations

from ninja import Field, Schema


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


# A page as other objects link to it (the event of an occurrence).
class PageRefSchema(Schema):
    id: int
    title: str
    url: str | None = Field(..., description="Relative on the requesting site, else absolute.")
    full_url: str | None = Field(..., description="Absolute URL.")


class RenditionSchema(Schema):
    url: str | None
    full_url: str | None
    width: int | None
    height: int | None


# An image in every response of ours (kokreative_wagtail.images.image_representation).
class ImageSchema(Schema):
    id: int
    url: str | None
    full_url: str | None
    width: int | None
    height: int | None
    alt: str
    srcset: str = Field(..., description="`full_url Ww` entries of the renditions, for `srcset`.")
    renditions: list[RenditionSchema] = Field(..., description="Sizes by width, main one included.")
