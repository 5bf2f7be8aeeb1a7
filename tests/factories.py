"""Small factory-boy factories for our models (wagtail-factories lags behind Wagtail 8)."""

from __future__ import annotations

import factory
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Locale

from kokreative_wagtail.models import Element, ElementPage, ProgrammePage


def png_bytes(width: int = 64, height: int = 48, colour: str = "#1d5e8c") -> bytes:
    from io import BytesIO

    from PIL import Image as PILImage

    buffer = BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


class ElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Element

    name = factory.Sequence(lambda n: f"Element {n}")
    summary = "Eine kurze Zusammenfassung."
    colour = "#1d6f42"
    locale = factory.LazyFunction(Locale.get_default)


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Bild {n}")

    @factory.lazy_attribute
    def file(self):
        from io import BytesIO

        return ImageFile(BytesIO(png_bytes()), name="test.png")


def add_page(parent, model, **fields):
    """Create ``model(**fields)`` below ``parent`` and publish it."""
    page = model(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def create_programme(parent, **fields) -> ProgrammePage:
    fields.setdefault("title", "Die Kokreative Kommune")
    fields.setdefault("slug", "kokreative-kommune")
    return add_page(parent, ProgrammePage, **fields)


def create_element_page(programme, element=None, **fields) -> ElementPage:
    fields.setdefault("title", element.name if element else "Element")
    fields.setdefault("slug", element.slug if element else "element")
    return add_page(programme, ElementPage, element=element, **fields)
