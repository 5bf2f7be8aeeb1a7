"""The offer-list block: offers picked by hand, or the latest N of a kind and/or element."""

from __future__ import annotations

from contextlib import nullcontext
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockAdapter
from wagtail.models import Site
from wagtail.snippets.blocks import SnippetChooserBlock

from ..api_utils import active_language_code
from ..blocks.stream import page_of_context
from ..localization import i18n_enabled
from ..queries import in_site_q
from .choices import OfferKind
from .queries import live_offers, with_teaser_data
from .serializers import list_translations, offer_representation

try:
    from wagtail.admin.telepath import register
except ImportError:  # pragma: no cover - older Wagtail releases
    from wagtail.telepath import register

#: The mode each mode-bound field belongs to; the others (heading, count) apply to both.
MODE_FIELDS = {"offers": "manual", "kind": "latest", "element": "latest"}

#: The editor script that shows only the chosen mode's fields.
EDITOR_JS = "kokreative_wagtail/offers/offer-list-block.js"


class OfferListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=255)
    mode = blocks.ChoiceBlock(
        label=_("Which offers"),
        choices=[("latest", _("The latest offers, filtered")), ("manual", _("Chosen by hand"))],
        default="latest",
    )
    offers = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="kokreative_offers.OfferPage"),
        label=_("Offers chosen by hand"),
        required=False,
        default=[],
        help_text=_("Only for “Chosen by hand”."),
    )
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=OfferKind.choices,
        required=False,
        help_text=_("Only for “The latest offers, filtered”."),
    )
    element = SnippetChooserBlock(
        "kokreative_wagtail.Element",
        label=_("Element"),
        required=False,
        help_text=_("Only for “The latest offers, filtered”."),
    )
    count = blocks.IntegerBlock(
        label=_("Number of offers"),
        default=3,
        min_value=1,
        max_value=24,
        help_text=_("In both modes: at most this many offers are shown."),
    )

    def clean(self, value):
        """Refuse values the chosen mode would silently ignore, naming each such field.

        A filter kept in "chosen by hand" mode (or offers kept in "latest" mode) would look
        as if it applied; the editor empties it or switches the mode, so what the editor
        shows is what the page shows.
        """
        value = super().clean(value)
        mode = value.get("mode")
        errors = {name: ValidationError(self.mode_note(name)) for name in self.unused_fields(value)}
        if mode == "manual" and not _has_offers(value):
            errors["offers"] = ValidationError(_("Choose at least one offer."))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value

    @staticmethod
    def unused_fields(value) -> list[str]:
        """The filled fields that the mode of ``value`` does not use."""
        mode = value.get("mode")
        filled = {
            "offers": _has_offers(value),
            "kind": bool(value.get("kind")),
            "element": value.get("element") is not None,
        }
        return [name for name, owner in MODE_FIELDS.items() if owner != mode and filled[name]]

    def mode_note(self, name: str) -> str:
        """Why field ``name`` is not used in the other mode, and what to do about it."""
        owner = MODE_FIELDS[name]
        modes = dict(self.child_blocks["mode"].field.choices)
        template = (
            _("Only used with “%(mode)s”: remove these offers or change “%(field)s”.")
            if name == "offers"
            else _("Only used with “%(mode)s”: empty this field or change “%(field)s”.")
        )
        return template % {"mode": modes[owner], "field": self.child_blocks["mode"].label}

    def get_offers(self, value, page=None, request=None) -> list:
        """The offers to show: live, public, of the page's (or request's) site and language.

        Offers chosen by hand show in the page's language where translated (the source
        otherwise); the latest offers are those of the page's language. Without a page, the
        active language (the request's) stands in. A fixed number of queries either way.
        """

        queryset = live_offers()
        count = value.get("count") or 3
        locale_id = _locale_id(page)
        if value.get("mode") == "manual":
            ids = [p.pk for p in value.get("offers") or [] if p is not None]
            return _chosen_offers(queryset, ids, locale_id if i18n_enabled() else None)[:count]
        if value.get("kind"):
            queryset = queryset.filter(kind=value["kind"])
        element = value.get("element")
        if element is not None:
            # any translation of the element: the offers' elements are in their own language
            queryset = queryset.filter(elements__translation_key=element.translation_key)
        if locale_id is not None:
            queryset = queryset.filter(locale_id=locale_id)
            site = page.get_site()
        else:
            queryset = queryset.filter(locale__language_code__iexact=_active_language())
            site = Site.find_for_request(request) if request is not None else None
        if site is not None:
            queryset = queryset.filter(in_site_q(site))
        newest = F("first_published_at").desc(nulls_last=True)
        return list(with_teaser_data(queryset).order_by(newest, "path")[:count])

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent = parent_context or {}
        # the request's site scopes the offers where the block is rendered without a page
        context["offers"] = self.get_offers(value, parent.get("page"), parent.get("request"))
        return context

    def get_api_representation(self, value, context=None):
        """The offers in the page's language, labels (kind, format) in it too."""

        request = (context or {}).get("request")
        page = page_of_context(context)
        with _page_language(page):
            offers = self.get_offers(value, page=page, request=request)
            translations = list_translations(offers)
            return {
                "heading": value.get("heading") or "",
                "offers": [offer_representation(o, request, translations) for o in offers],
            }

    class Meta:
        icon = "list-ul"
        label = _("Offer list")
        template = "kokreative_wagtail/offers/blocks/offer_list.html"


class OfferListBlockAdapter(StructBlockAdapter):
    """Wagtail's struct block form, plus a script that shows only the chosen mode's fields.

    The other mode's fields stay in the form (hidden while empty), so switching the mode loses
    nothing; a filled one stays visible with the note the validation would give.
    """

    js_constructor = "kokreative_wagtail.offers.OfferListBlock"

    def js_args(self, block):
        name, children, meta = super().js_args(block)
        meta = {
            **meta,
            "modeFields": MODE_FIELDS,
            "modeNotes": {field: block.mode_note(field) for field in MODE_FIELDS},
        }
        return [name, children, meta]

    @cached_property
    def media(self) -> forms.Media:
        return super().media + forms.Media(js=[static(EDITOR_JS)])


register(OfferListBlockAdapter(), OfferListBlock)


def _has_offers(value) -> bool:
    return any(p is not None for p in value.get("offers") or [])


def _locale_id(page) -> int | None:
    return getattr(page, "locale_id", None) if page is not None else None


def _active_language() -> str:

    return active_language_code()


def _page_language(page):
    """Activate the language of ``page`` (a no-op without a page, or with i18n off)."""

    if page is None or not i18n_enabled() or getattr(page, "locale_id", None) is None:
        return nullcontext()
    return translation.override(page.locale.language_code)


def _chosen_offers(queryset, ids: list[int], locale_id: int | None) -> list:
    """The offers ``ids`` in their order, each as its translation in ``locale_id`` if live.

    One query (plus the teaser prefetches): the translations come in through a subquery on the
    chosen offers' translation keys.
    """

    if not ids:
        return []
    wanted = Q(pk__in=ids)
    if locale_id is not None:
        keys = queryset.model.objects.filter(pk__in=ids).values("translation_key")
        wanted |= Q(translation_key__in=keys, locale_id=locale_id)
    found = list(with_teaser_data(queryset.filter(wanted)))
    by_pk = {o.pk: o for o in found}
    translated = {o.translation_key: o for o in found if o.locale_id == locale_id}
    result: dict[int, object] = {}
    for pk in ids:
        offer = by_pk.get(pk)
        if offer is None:
            continue  # not live or not public: skipped
        offer = translated.get(offer.translation_key, offer)
        result.setdefault(offer.pk, offer)
    return list(result.values())
