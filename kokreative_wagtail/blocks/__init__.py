"""Shared StreamField blocks and the registry sites extend."""

from .content import (
    AccordionBlock,
    AccordionItemBlock,
    CallToActionBlock,
    ContactPersonBlock,
    DocumentsListBlock,
    HeadingBlock,
    ImageBlock,
    QuoteBlock,
    RichTextBlock,
    image_representation,
)
from .registry import HOOK_NAME, BlockRegistry, block_registry
from .stream import KokreativeStreamBlock

__all__ = [
    "AccordionBlock",
    "AccordionItemBlock",
    "BlockRegistry",
    "CallToActionBlock",
    "ContactPersonBlock",
    "DocumentsListBlock",
    "HOOK_NAME",
    "HeadingBlock",
    "ImageBlock",
    "KokreativeStreamBlock",
    "QuoteBlock",
    "RichTextBlock",
    "block_registry",
    "image_representation",
]
