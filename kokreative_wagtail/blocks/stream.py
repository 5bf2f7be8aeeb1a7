"""``KokreativeStreamBlock``: the shared blocks plus whatever sites register."""

from __future__ import annotations

from wagtail import blocks

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
