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


class ChoiceSchema(Schema):
    """A choice of a form field (consultation forms, registration forms)."""

    value: str = Field(
        ...,
        description="Send this in a submission or registration; the same in every language of "
        "the form.",
    )
    label: str = Field(..., description="Text to show, in the language of the form's page.")


class FormFieldSchema(Schema):
    """One field of a visitor's form: the same shape for consultation and registration forms."""

    name: str = Field(
        ..., description="Key of the value in `fields` of a submission or registration."
    )
    type: str = Field(
        ...,
        description="Wagtail form field type: singleline, multiline, email, number, url, "
        "checkbox, checkboxes, dropdown, multiselect, radio, date, datetime, hidden.",
    )
    label: str
    help_text: str
    required: bool
    choices: list[ChoiceSchema] = Field(
        ..., description="Allowed values with their labels (choice types only, else empty)."
    )
    default: str | bool | list[str] | None = Field(
        ..., description="Initial value; for choice fields the choice value(s)."
    )
    max_length: int | None


class ConsentSchema(Schema):
    """The required privacy consent checkbox of a visitor's form."""

    name: str = Field(..., description="Send `true` under this key in `fields`.")
    text: str
    privacy_url: str | None = Field(..., description="The site's privacy policy page.")
    required: bool
