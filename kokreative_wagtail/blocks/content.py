"""The shared content blocks every Kokreative page offers editors.

Their API representation is clean JSON for front ends: rich text with links resolved, images as
rendition URLs with alt text, documents with their download URL.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import expand_db_html

from ..conf import get_setting

# re-exported: the blocks package imports it from here
from ..images import image_representation as image_representation
from ..images import safe_rendition


def _request(context) -> Any:
    """The request of an API serializer's context, when there is one."""
    return context.get("request") if isinstance(context, dict) else None


class RichTextBlock(blocks.RichTextBlock):
    """Rich text whose API output is HTML with internal links resolved."""

    def get_api_representation(self, value, context=None):
        if value is None:
            return ""
        return expand_db_html(value.source)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "kokreative_wagtail/blocks/rich_text.html"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=255)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3")), ("h4", _("Heading 4"))],
        default="h2",
        help_text=_("Keep the order: a level 3 heading follows a level 2 heading."),
    )
    anchor = blocks.CharBlock(
        label=_("Anchor"),
        required=False,
        max_length=64,
        regex=r"^[a-z0-9][a-z0-9-]*$",
        error_messages={"invalid": _("Use lowercase letters, digits and hyphens only.")},
        help_text=_("Optional id for links to this heading, e.g. 'kontakt'."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "kokreative_wagtail/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"), max_length=2000)
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=255)
    source_url = blocks.URLBlock(label=_("Source URL"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "kokreative_wagtail/blocks/quote.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=255,
        help_text=_(
            "Describe what the image shows for people who cannot see it. "
            "Leave empty to use the image's default alternative text."
        ),
    )
    decorative = blocks.BooleanBlock(
        label=_("Decorative image"),
        required=False,
        help_text=_("Tick only if the image adds no information; screen readers then skip it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=500)

    def get_alt_text(self, value) -> str:
        if value.get("decorative"):
            return ""
        image = value.get("image")
        default = getattr(image, "default_alt_text", None) or getattr(image, "title", "")
        return value.get("alt_text") or default or ""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["alt_text"] = self.get_alt_text(value)
        # a missing source file renders no image rather than a 500
        context["rendition"] = safe_rendition(value.get("image"), get_setting("IMAGE_RENDITION"))
        return context

    def get_api_representation(self, value, context=None):
        # The image shape carries the alternative text: this block's, which may differ from
        # the image's default (or be empty for a decorative image).
        image = image_representation(value.get("image"), None, _request(context))
        if image is not None:
            image["alt"] = self.get_alt_text(value)
        return {
            "image": image,
            "decorative": bool(value.get("decorative")),
            "caption": value.get("caption") or "",
        }

    class Meta:
        icon = "image"
        label = _("Image")
        template = "kokreative_wagtail/blocks/image.html"


class AccordionItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Question or title"), max_length=255)
    content = RichTextBlock(label=_("Answer or content"))

    class Meta:
        icon = "list-ul"
        label = _("Item")


class AccordionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=255)
    items = blocks.ListBlock(AccordionItemBlock(), label=_("Items"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Accordion / FAQ")
        template = "kokreative_wagtail/blocks/accordion.html"


class LinkStructValue(blocks.StructValue):
    def url(self) -> str | None:
        page = self.get("link_page")
        if page is not None:
            return page.specific_deferred.url if page.live else None
        return self.get("link_url") or None


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=255)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=1000)
    link_page = blocks.PageChooserBlock(label=_("Link to a page"), required=False)
    link_url = blocks.URLBlock(label=_("or to a URL"), required=False)
    link_label = blocks.CharBlock(label=_("Button label"), max_length=100)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("link_page")) == bool(value.get("link_url")):
            message = _("Choose either a page or a URL.")
            raise blocks.StructBlockValidationError(
                block_errors={
                    "link_page": ValidationError(message),
                    "link_url": ValidationError(message),
                }
            )
        return value

    def get_api_representation(self, value, context=None):
        return {
            "heading": value.get("heading"),
            "text": value.get("text") or "",
            "url": value.url(),
            "page": value["link_page"].pk if value.get("link_page") else None,
            "link_label": value.get("link_label"),
        }

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "kokreative_wagtail/blocks/call_to_action.html"
        value_class = LinkStructValue


class ContactPersonBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=255)
    role = blocks.CharBlock(label=_("Role"), required=False, max_length=255)
    organisation = blocks.CharBlock(label=_("Organisation"), required=False, max_length=255)
    email = blocks.EmailBlock(label=_("E-mail"), required=False)
    phone = blocks.CharBlock(label=_("Phone"), required=False, max_length=50)
    image = ImageChooserBlock(label=_("Photo"), required=False)

    def get_api_representation(self, value, context=None):
        return {
            "name": value.get("name"),
            "role": value.get("role") or "",
            "organisation": value.get("organisation") or "",
            "email": value.get("email") or "",
            "phone": value.get("phone") or "",
            "image": image_representation(value.get("image"), "fill-240x240", _request(context)),
        }

    class Meta:
        icon = "user"
        label = _("Contact person")
        template = "kokreative_wagtail/blocks/contact_person.html"


class DocumentItemBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Title"),
        required=False,
        max_length=255,
        help_text=_("Leave empty to use the document's title."),
    )


class DocumentsListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=255)
    documents = blocks.ListBlock(DocumentItemBlock(), label=_("Documents"), min_num=1)

    def get_api_representation(self, value, context=None):
        documents = []
        for item in value.get("documents") or []:
            document = item.get("document")
            if document is None:  # deleted since it was chosen
                continue
            documents.append(
                {
                    "id": document.pk,
                    "title": item.get("title") or document.title,
                    "url": document.url,
                    "file_extension": document.file_extension,
                }
            )
        return {"heading": value.get("heading") or "", "documents": documents}

    class Meta:
        icon = "doc-full"
        label = _("Documents")
        template = "kokreative_wagtail/blocks/documents_list.html"
