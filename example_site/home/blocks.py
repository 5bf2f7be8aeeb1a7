"""The example site's own block, registered for every Kokreative page in wagtail_hooks.py."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class NoticeBlock(blocks.StructBlock):
    """A short notice that stands out from the text: a deadline, a changed place, a closure."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=100)
    text = blocks.TextBlock(label=_("Text"), max_length=500)

    class Meta:
        icon = "warning"
        label = _("Notice")
        template = "home/blocks/notice.html"
