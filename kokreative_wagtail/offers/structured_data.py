"""schema.org JSON-LD of offer pages, for the core's ``structured_data`` dispatcher
(``providers`` in ``apps.py``).

Trainings and workshops are a ``Course`` (Google's course rich results): the site's
organisation as ``provider``, and as ``hasCourseInstance`` the dates of the event series that
deliver it, which the events app gives by name (``offer_course_instances``) when it is
installed. In-house formats, keynotes and the community of practice are booked or joined on
request: a ``Service``. A price is written only where the cost text states one.
"""

from __future__ import annotations

from typing import Any

from ..capabilities import provider
from ..structured_data import PageData, PageInfo, plain_text, price_from_text
from .abstract import OfferIndexPageMixin, OfferPageMixin
from .choices import OfferFormat, OfferKind

#: The kinds described as a ``Course``; every other kind is a ``Service``.
COURSE_KINDS = frozenset({OfferKind.TRAINING})
#: The offer's format as Google's ``courseMode`` of a course without dates.
_COURSE_MODES = {OfferFormat.ON_SITE: "Onsite", OfferFormat.ONLINE: "Online"}


def structured_data(page, info: PageInfo) -> PageData | None:
    """An offer page: its ``Course`` or ``Service``; an offer index: a ``CollectionPage``."""
    if isinstance(page, OfferPageMixin):
        return PageData("WebPage", [offer_node(page, info)] if info.url else [])
    if isinstance(page, OfferIndexPageMixin):
        return PageData("CollectionPage")
    return None


def _price_offer(page, info: PageInfo) -> dict[str, Any] | None:
    price = price_from_text(page.cost)
    if price is None:
        return None
    return {
        "@type": "Offer",
        "category": "Free" if price == 0 else "Paid",
        "price": str(price),
        "priceCurrency": "EUR",
        "url": info.url,
    }


def offer_node(page, info: PageInfo) -> dict[str, Any]:
    is_course = page.kind in COURSE_KINDS
    type_name = "Course" if is_course else "Service"
    node: dict[str, Any] = {
        "@type": type_name,
        "@id": f"{info.url}#{type_name.lower()}",
        "name": page.title,
    }
    description = plain_text(page.teaser) or info.description
    if description:
        node["description"] = description
    node["url"] = info.url
    if info.organization:
        node["provider"] = info.organization
    if info.image_url:
        node["image"] = info.image_url
    audiences = [audience.name for audience in page.audiences.all()]
    if audiences:
        node["audience"] = [{"@type": "Audience", "audienceType": name} for name in audiences]
    elements = [element.name for element in page.elements.all()]
    if elements:
        node["about"] = [{"@type": "DefinedTerm", "name": name} for name in elements]
    offer = _price_offer(page, info)
    if offer:
        node["offers"] = offer
    if is_course:
        node["inLanguage"] = info.language
        instances = _course_instances(page, info)
        if instances:
            node["hasCourseInstance"] = instances
    else:
        node["serviceType"] = str(page.get_kind_display())
        node["availableLanguage"] = info.language
    return node


def _course_instances(page, info: PageInfo) -> list[dict[str, Any]]:
    """The dates of the series delivering the course, else its format alone."""
    instances_of = provider("offer_course_instances")
    instances = instances_of(page, info) if instances_of is not None else []
    if instances:
        return instances
    return [{"@type": "CourseInstance", "courseMode": _COURSE_MODES.get(page.format, "Blended")}]
