"""The example site's extensions: a block for every Kokreative page, dates on element pages."""

from wagtail import hooks

from kokreative_wagtail.events.blocks import UpcomingEventsBlock

from .blocks import NoticeBlock


@hooks.register("register_kokreative_blocks")
def register_notice_block(registry):
    registry.register("notice", NoticeBlock())


upcoming_events = UpcomingEventsBlock()


@hooks.register("kokreative_element_page_context")
def add_element_events(page, request, context):
    """The next three dates of events about the page's element, of its site and language."""
    if page.element is not None:
        value = {"element": page.element, "count": 3}
        context["element_events"] = upcoming_events.get_occurrences(value, page, request)
