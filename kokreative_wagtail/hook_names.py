"""The names of our Wagtail hooks, in one place: ``hooks.register(hook_names.X)`` and
``hooks.get_hooks(hook_names.X)`` then cannot drift apart. Sites may use the constants or the
strings; the strings are part of the public interface (docs/upgrading.md)."""

#: ``fn(registry)``: add StreamField blocks to every Kokreative page (``blocks.registry``).
REGISTER_BLOCKS = "register_kokreative_blocks"
#: ``fn(page, request, context)``: more context for an element page (``ElementPageMixin``).
ELEMENT_PAGE_CONTEXT = "kokreative_element_page_context"
#: ``fn(page, request, context)``: more context for an offer page (``OfferPageMixin``).
OFFER_PAGE_CONTEXT = "kokreative_offer_page_context"
