"""The blocks of Leichte Sprache pages and the sign-language (DGS) video block.

Leichte Sprache wants a simple structure: short sentences, one per line, headings, pictures
beside the text. Its stream offers only that, so an editor cannot build what the look cannot
carry. The DGS video is the consent app's gated embed (nothing is fetched from the video host
before consent) with a required link to the text of the video; the block is also offered on
every other Kokreative page (``wagtail_hooks``), since the BITV asks for DGS explanations too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from ..blocks.content import image_representation
from ..conf import get_setting
from ..consent.blocks import ConsentEmbedBlock
from ..images import safe_rendition

_SENTENCES_HELP = _("One short sentence per line. An empty line starts a new paragraph.")


def sentence_lines(text: str) -> list[list[str]]:
    """``text`` as paragraphs (split at empty lines) of sentences (one per line)."""
    paragraphs: list[list[str]] = [[]]
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


class SentencesBlock(blocks.TextBlock):
    """Plain text, one sentence per line; rendered line by line, never as justified prose."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["paragraphs"] = sentence_lines(value)
        return context

    def get_api_representation(self, value, context=None) -> list[list[str]]:
        return sentence_lines(value)

    class Meta:
        icon = "pilcrow"
        label = _("Text (one sentence per line)")
        help_text = _SENTENCES_HELP
        template = "kokreative_wagtail/accessibility/blocks/sentences.html"
        form_classname = "kk-easy-language-text"


class EasyHeadingBlock(blocks.CharBlock):
    """A second-level heading: Leichte Sprache pages keep one level below the title."""

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "kokreative_wagtail/accessibility/blocks/heading.html"


class PictureTextBlock(blocks.StructBlock):
    """A picture beside its text: the picture helps to understand the sentences next to it."""

    image = ImageChooserBlock(label=_("Picture"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=255,
        help_text=_("Say in one simple sentence what the picture shows."),
    )
    text = SentencesBlock(label=_("Text beside the picture"), help_text=_SENTENCES_HELP)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # a missing source file renders no picture rather than a 500
        context["rendition"] = safe_rendition(value.get("image"), get_setting("TEASER_RENDITION"))
        context["paragraphs"] = sentence_lines(value.get("text") or "")
        return context

    def get_api_representation(self, value, context=None) -> dict[str, Any]:
        request = context.get("request") if isinstance(context, dict) else None
        image = image_representation(value.get("image"), None, request)
        if image is not None:
            image["alt"] = value.get("alt_text") or ""
        return {"image": image, "text": sentence_lines(value.get("text") or "")}

    class Meta:
        icon = "image"
        label = _("Picture with text")
        template = "kokreative_wagtail/accessibility/blocks/picture_text.html"


class SignLanguageVideoBlock(ConsentEmbedBlock):
    """A video in German Sign Language (DGS), gated by consent like every embed.

    People who cannot hear it, and people who cannot load it before consenting, need its
    content as text: a link to the transcript (a page of the site or an address) is required.
    """

    transcript_page = blocks.PageChooserBlock(
        label=_("Text of the video: page"),
        required=False,
        help_text=_("A page with the content of the video as text."),
    )
    transcript_url = blocks.URLBlock(
        label=_("or address"),
        required=False,
        help_text=_("Or the address of the text (for example a PDF file)."),
    )

    class Meta:
        icon = "media"
        label = _("Video in German Sign Language (DGS)")
        template = "kokreative_wagtail/accessibility/blocks/sign_language_video.html"

    def transcript_href(self, value) -> str:
        page = value.get("transcript_page")
        if page is not None and page.live:
            return page.url or ""
        return value.get("transcript_url") or ""

    def clean(self, value):
        value = super().clean(value)
        if not (value.get("transcript_page") or value.get("transcript_url")):
            raise StructBlockValidationError(
                block_errors={
                    "transcript_url": ValidationError(
                        _("Link the text of the video: a page or an address.")
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["transcript_href"] = self.transcript_href(value)
        return context

    def get_api_representation(self, value, context=None) -> dict[str, Any]:
        page = value.get("transcript_page")
        return {
            **super().get_api_representation(value, context),
            "sign_language": "DGS",
            "transcript_url": self.transcript_href(value),
            "transcript_page_id": page.pk if page is not None else None,
        }


class EasyLanguageStreamBlock(blocks.StreamBlock):
    """The few blocks of a Leichte Sprache page (a fixed list: sites do not extend it)."""

    text = SentencesBlock()
    heading = EasyHeadingBlock()
    picture_text = PictureTextBlock()
    sign_language_video = SignLanguageVideoBlock()
