from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from ..hook_names import ELEMENT_PAGE_CONTEXT, REGISTER_BLOCKS
from .blocks import OfferListBlock
from .models import Audience
from .queries import offers_for_element


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = _("Audiences")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    ordering = ["sort_order", "name"]


register_snippet(AudienceViewSet)


@hooks.register(REGISTER_BLOCKS)
def register_offer_list_block(registry):
    """Every Kokreative page may list offers; registered here so the core stays optional-free."""
    registry.register("offer_list", OfferListBlock())


@hooks.register(ELEMENT_PAGE_CONTEXT)
def add_offer_teasers(page, request, context):
    """Element pages show teasers of the offers tagged with their element."""

    context["element_offers"] = offers_for_element(page, request)
