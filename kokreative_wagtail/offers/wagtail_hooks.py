from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .blocks import OfferListBlock
from .models import Audience


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = _("Audiences")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    ordering = ["sort_order", "name"]


register_snippet(AudienceViewSet)


@hooks.register("register_kokreative_blocks")
def register_offer_list_block(registry):
    """Every Kokreative page may list offers; registered here so the core stays optional-free."""
    registry.register("offer_list", OfferListBlock())


@hooks.register("kokreative_element_page_context")
def add_offer_teasers(page, request, context):
    """Element pages show teasers of the offers tagged with their element."""
    from .queries import offers_for_element

    context["element_offers"] = offers_for_element(page, request)
