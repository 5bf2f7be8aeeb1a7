"""``KokreativeStreamBlock``: the shared blocks plus whatever sites register."""

from __future__ import annotations

from typing import Any

from wagtail import blocks
from wagtail.models import Page

from ..serializers import ReadOnlyField
from .content import (
    AccordionBlock,
    CallToActionBlock,
    ContactPersonBlock,
    DocumentsListBlock,
    HeadingBlock,
    ImageBlock,
    QuoteBlock,
    RichTextBlock,
)
from .registry import block_registry


class KokreativeStreamBlock(blocks.StreamBlock):
    """The body of every Kokreative page.

    Subclass it to add blocks in code; register blocks for every Kokreative page with the
    ``register_kokreative_blocks`` hook. Declared blocks win over registered ones of the same name.
    """

    rich_text = RichTextBlock()
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    accordion = AccordionBlock()
    call_to_action = CallToActionBlock()
    contact_person = ContactPersonBlock()
    documents = DocumentsListBlock()

    def __init__(self, local_blocks=None, search_index=True, **kwargs):
        registered = [
            (name, block)
            for name, block in block_registry.get_blocks()
            if name not in self.base_blocks
        ]
        super().__init__(registered + list(local_blocks or []), search_index=search_index, **kwargs)

    class Meta:
        label = "Kokreative"


#: A view attribute holding the page found for the blocks of one API v2 response.
_VIEW_PAGE = "_kokreative_blocks_page"


def page_of_context(context: dict | None):
    """The page whose body a block's API representation is built for, or None.

    Blocks that list pages (offers, events) show them in that page's language and site. Wagtail
    passes the serializer context only (request, view), so the page comes from, in turn:
    ``context["page"]`` (set by :class:`PageStreamFieldSerializer`), the snapshot a preview view
    serializes, or the page of an API v2 detail view (one query per response, kept on the view).
    None elsewhere (a listing of many pages with ``fields=body``): callers then use the request's
    language and site.
    """
    context = context or {}
    page = context.get("page")
    if page is not None:
        return page
    view = context.get("view")
    if view is None:
        return None
    page = getattr(view, "_preview_page", None)
    if page is not None:
        return page
    if hasattr(view, _VIEW_PAGE):
        return getattr(view, _VIEW_PAGE)
    page = None
    pk = getattr(view, "kwargs", {}).get("pk")
    if getattr(view, "action", None) == "detail_view" and pk is not None:
        model = getattr(view, "model", None)
        if isinstance(model, type) and issubclass(model, Page):
            page = Page.objects.select_related("locale").filter(pk=pk).first()
    setattr(view, _VIEW_PAGE, page)
    return page


class PageStreamFieldSerializer(ReadOnlyField):
    """API v2 serializer of a page's stream field that tells its blocks which page they are on.

    Use it as ``APIField("body", serializer=PageStreamFieldSerializer())``: blocks that list
    pages then follow the page's language and site in listings (``fields=body``) too.
    """

    def get_attribute(self, instance):
        return instance, super().get_attribute(instance)

    def to_representation(self, value) -> Any:
        page, stream = value
        if stream is None:
            return None
        return stream.stream_block.get_api_representation(stream, {**self.context, "page": page})
