"""The consent-gated embed block (two-click solution).

Before the visitor consents to the block's cookie group it renders a placeholder that names the
provider, links its privacy policy and offers a "load this content" button; nothing in it makes
the browser contact the provider. Only after consent does it render the embed itself.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.middleware.csrf import get_token
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.embeds import get_embed
from wagtail.embeds.exceptions import EmbedException

from .state import EXTERNAL_MEDIA, get_consent_state, load_groups
from .templatetags.kokreative_consent import settings_href

#: Request attribute holding the anchors already used on the page, so two blocks differ.
ANCHORS_ATTRIBUTE = "_kokreative_consent_embed_anchors"


@dataclass(frozen=True)
class Provider:
    name: str
    privacy_url: str
    hosts: tuple[str, ...]


KNOWN_PROVIDERS = (
    Provider(
        "YouTube",
        "https://policies.google.com/privacy",
        ("youtube.com", "youtu.be", "youtube-nocookie.com"),
    ),
    Provider("Vimeo", "https://vimeo.com/privacy", ("vimeo.com",)),
    Provider(
        "OpenStreetMap",
        "https://osmfoundation.org/wiki/Privacy_Policy",
        ("openstreetmap.org",),
    ),
)


def url_host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def detect_provider(url: str) -> Provider | None:
    """The known provider serving ``url`` (by host name, subdomains included)."""
    host = url_host(url)
    for provider in KNOWN_PROVIDERS:
        if any(host == h or host.endswith(f".{h}") for h in provider.hosts):
            return provider
    return None


def openstreetmap_embed_url(url: str) -> str | None:
    """An ``export/embed.html`` URL for an openstreetmap.org link (it has no oEmbed).

    Understands ``#map=zoom/lat/lon`` (what the site's address bar shows), ``?mlat=&mlon=``
    markers and URLs that already point to ``export/embed.html``; ``None`` for anything else.
    """
    parts = urlsplit(url)
    if parts.path.rstrip("/").endswith("/export/embed.html"):
        return f"https://www.openstreetmap.org/export/embed.html?{parts.query}"
    query = parse_qs(parts.query)
    fragment = parse_qs(parts.fragment)
    try:
        zoom_text, lat_text, lon_text = fragment["map"][0].split("/")[:3]
        zoom, lat, lon = int(zoom_text), float(lat_text), float(lon_text)
    except (KeyError, ValueError):
        try:
            zoom, lat, lon = 15, float(query["mlat"][0]), float(query["mlon"][0])
        except (KeyError, ValueError):
            return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= zoom <= 20):
        return None
    half_lon = 360 / 2**zoom
    half_lat = half_lon * math.cos(math.radians(lat)) / 2
    bbox = ",".join(
        f"{value:.5f}" for value in (lon - half_lon, lat - half_lat, lon + half_lon, lat + half_lat)
    )
    params = {"bbox": bbox, "layer": "mapnik"}
    if "mlat" in query and "mlon" in query:
        params["marker"] = f"{query['mlat'][0]},{query['mlon'][0]}"
    else:
        params["marker"] = f"{lat},{lon}"
    return f"https://www.openstreetmap.org/export/embed.html?{urlencode(params)}"


_IFRAME_TAG = re.compile(r"<iframe\b([^>]*)>", re.IGNORECASE)
_TITLE_ATTRIBUTE = re.compile(r"""\stitle\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)


def with_frame_title(html: str, title: str) -> str:
    """``html`` with the editor's title on every iframe: the name screen readers announce.

    Providers set their own title (often the video's name in English, or none at all).
    """

    def retitle(match: re.Match) -> str:
        attributes = _TITLE_ATTRIBUTE.sub("", match.group(1))
        return format_html('<iframe title="{}"', title) + attributes + ">"

    return _IFRAME_TAG.sub(retitle, html)


def cookie_group_choices() -> list[tuple[str, str]]:
    """The cookie groups editors can gate an embed by, read when the form is built.

    A callable, so the block's deconstruction (and thus every migration) stays the same when
    editors add groups. Falls back to the default group while the table does not exist yet.
    """
    try:
        choices = [(group.varname, group.name) for group in load_groups()]
    except DatabaseError:  # no table yet (migrate, checks): offer the default only
        choices = []
    return choices or [(EXTERNAL_MEDIA, _("External media"))]


class ConsentEmbedBlock(blocks.StructBlock):
    """Third-party content (YouTube, Vimeo, OpenStreetMap, any oEmbed provider) behind consent."""

    url = blocks.URLBlock(label=_("URL"), help_text=_("Address of the video, map or post."))
    title = blocks.CharBlock(
        label=_("Title"),
        max_length=255,
        help_text=_("Describes the content; screen readers announce it as the frame's title."),
    )
    provider_name = blocks.CharBlock(
        label=_("Provider"),
        required=False,
        max_length=100,
        help_text=_("Detected for YouTube, Vimeo and OpenStreetMap."),
    )
    privacy_url = blocks.URLBlock(
        label=_("Privacy policy of the provider"),
        required=False,
        help_text=_("Known for YouTube, Vimeo and OpenStreetMap; required for other providers."),
    )
    group = blocks.ChoiceBlock(
        label=_("Cookie group"),
        choices=cookie_group_choices,
        default=EXTERNAL_MEDIA,
        help_text=_("The content loads once the visitor consents to this group."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)

    class Meta:
        icon = "media"
        label = _("Embed (with consent)")
        template = "kokreative_wagtail/consent/embed.html"

    # Values

    def provider(self, value) -> str:
        url = value.get("url") or ""
        known = detect_provider(url)
        return value.get("provider_name") or (known.name if known else url_host(url))

    def privacy_url_for(self, value) -> str:
        known = detect_provider(value.get("url") or "")
        return value.get("privacy_url") or (known.privacy_url if known else "")

    def clean(self, value):
        value = super().clean(value)
        if not self.privacy_url_for(value):
            raise StructBlockValidationError(
                block_errors={
                    "privacy_url": ValidationError(
                        _("Link the provider's privacy policy: visitors read it before consenting.")
                    )
                }
            )
        return value

    # Rendering

    def embed_html(self, url: str, title: str) -> str | None:
        """The provider's embed HTML; ``None`` when it cannot be had (render a link instead)."""

        known = detect_provider(url)
        if known is not None and known.name == "OpenStreetMap":
            src = openstreetmap_embed_url(url)
            if src is None:
                return None
            return format_html(
                '<iframe title="{}" src="{}" width="640" height="400" loading="lazy"></iframe>',
                title,
                src,
            )
        try:
            html = get_embed(url).html
        except EmbedException:
            return None
        return with_frame_title(html, title) if html else None

    def anchor(self, value, request) -> str:
        """A stable fragment id for the block, unique on the page (the button returns to it)."""
        digest = hashlib.sha256(f"{value.get('url')}\n{value.get('title')}".encode()).hexdigest()
        anchor = base = f"kk-embed-{digest[:10]}"
        if request is not None:
            used = getattr(request, ANCHORS_ATTRIBUTE, set())
            counter = 2
            while anchor in used:
                anchor = f"{base}-{counter}"
                counter += 1
            used.add(anchor)
            setattr(request, ANCHORS_ATTRIBUTE, used)
        return anchor

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        group = value.get("group") or EXTERNAL_MEDIA
        consented = request is not None and get_consent_state(request).accepted(group)
        anchor = self.anchor(value, request)
        context.update(
            {
                "anchor": anchor,
                "provider": self.provider(value),
                "privacy_url": self.privacy_url_for(value),
                "consented": consented,
                "group": group,
                "group_name": self.group_name(request, group),
            }
        )
        if consented:
            context["embed_html"] = self.embed_html(value["url"], value["title"])
        elif request is not None:
            context["csrf_token"] = get_token(request)
            context["next_url"] = f"{request.get_full_path()}#{anchor}"
            try:
                context["decide_url"] = reverse("kokreative_consent_decide")
                context["settings_href"] = settings_href(context["next_url"])
            except NoReverseMatch:  # the site did not include kokreative_wagtail.urls
                pass
        return context

    def group_name(self, request, varname: str) -> str:
        if request is None:
            return varname
        for group in get_consent_state(request).groups:
            if group.varname == varname:
                return group.name
        return varname

    def get_api_representation(self, value, context=None) -> dict[str, Any]:
        """What a front end needs to gate the content itself; never the provider's HTML."""
        return {
            "url": value.get("url") or "",
            "title": value.get("title") or "",
            "provider": self.provider(value),
            "privacy_url": self.privacy_url_for(value),
            "group": value.get("group") or EXTERNAL_MEDIA,
            "caption": value.get("caption") or "",
        }
