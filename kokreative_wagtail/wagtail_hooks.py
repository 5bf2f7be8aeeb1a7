from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Element


class ElementViewSet(SnippetViewSet):
    model = Element
    icon = "tag"
    menu_label = _("Elements")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "summary"]
    ordering = ["sort_order", "name"]


register_snippet(ElementViewSet)
