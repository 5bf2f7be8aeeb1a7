"""One JSON shape for images everywhere (our API, API v2 fields, block representations).

``{"id", "url", "full_url", "width", "height", "alt", "srcset", "renditions": [...]}``: the main
rendition of a filter spec, plus narrower variants of the same spec for ``srcset`` (widths from
``KOKREATIVE["IMAGE_SRCSET_WIDTHS"]``), so a front end picks the size for its layout.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from django.http import HttpRequest
from wagtail.images.models import Filter

from .conf import get_setting
from .public_urls import absolute

_RESIZE = re.compile(r"^(fill|max)-(\d+)x(\d+)((?:-c\d+)?)$")
_WIDTH = re.compile(r"^width-(\d+)$")


def srcset_specs(filter_spec: str) -> list[str]:
    """The narrower variants of ``filter_spec`` for ``srcset``, narrowest first.

    ``width-N`` gives ``width-w``; ``fill-WxH`` and ``max-WxH`` keep their aspect ratio
    (``fill-w x round(w*H/W)``). Other and chained specs (``…|format-webp``) have no variants:
    their main rendition is the only one.
    """
    widths = sorted({int(w) for w in get_setting("IMAGE_SRCSET_WIDTHS") or () if int(w) > 0})
    match = _WIDTH.match(filter_spec)
    if match:
        nominal = int(match.group(1))
        return [f"width-{w}" for w in widths if w < nominal]
    match = _RESIZE.match(filter_spec)
    if match:
        operation, width, height, crop = match.groups()
        nominal, height = int(width), int(height)
        return [
            f"{operation}-{w}x{max(1, round(w * height / nominal))}{crop}"
            for w in widths
            if w < nominal
        ]
    return []


def rendition_specs(filter_spec: str | None = None) -> list[str]:
    """Every spec ``image_representation`` renders for ``filter_spec``: main one first.

    A listing prefetches these (``Prefetch("image__renditions",
    queryset=Rendition.objects.filter(filter_spec__in=rendition_specs(spec)))``) to serve every
    image of a page of results without a query each.
    """
    main = filter_spec or get_setting("IMAGE_RENDITION")
    return [main, *srcset_specs(main)]


def _renditions(image, specs: list[str]) -> dict[str, Any]:
    """Renditions of ``image`` by spec: prefetched ones first, then Wagtail's cache and database.

    Wagtail trusts a prefetch to be complete and would otherwise render again what a prefetch of
    the main spec only left out; the rest is looked up without the prefetch.
    """

    found: dict[str, Any] = {}
    prefetch_cache = getattr(image, "_prefetched_objects_cache", None) or {}
    prefetched = prefetch_cache.get("renditions")
    if prefetched is not None:
        for spec in specs:
            focal_point_key = Filter(spec=spec).get_cache_key(image)
            for rendition in prefetched:
                if rendition.filter_spec == spec and rendition.focal_point_key == focal_point_key:
                    found[spec] = rendition
                    break
    missing = [spec for spec in specs if spec not in found]
    if missing:
        target = image
        if prefetched is not None:
            target = copy.copy(image)
            target._prefetched_objects_cache = {
                key: value for key, value in prefetch_cache.items() if key != "renditions"
            }
        found.update(target.get_renditions(*missing))
    return found


def get_rendition(image, filter_spec: str):
    """``image.get_rendition``, but straight from renditions a listing prefetched.

    Wagtail's own lookup also writes each rendition to the cache on every call; for a page of
    teasers whose renditions were prefetched in one query that is pure overhead.
    """
    return _renditions(image, [filter_spec])[filter_spec]


def safe_renditions(image, specs: list[str]) -> dict[str, Any] | None:
    """``image``'s renditions by spec, or ``None`` when they cannot be made (the source file
    missing or broken): a page or a response then shows no image instead of failing."""
    try:
        return _renditions(image, specs)
    except Exception:
        # Not nameable: the storage backend is the site's choice (S3 and the like raise their
        # own errors, not OSError), and Pillow's and Willow's decoders raise whatever a broken
        # upload trips (OSError, SyntaxError, struct.error, zlib.error, DecompressionBombError...)
        return None


def safe_rendition(image, filter_spec: str):
    """The rendition of ``image`` for ``filter_spec`` (prefetched ones first), or ``None`` for
    no image or one that cannot be rendered (see ``safe_renditions``)."""
    found = None if image is None else safe_renditions(image, [filter_spec])
    return None if found is None else found.get(filter_spec)


def _full_url(rendition, request: HttpRequest | None) -> str:
    if request is None and not get_setting("PUBLIC_BASE_URL"):
        return rendition.full_url  # WAGTAILADMIN_BASE_URL, as Wagtail writes it
    return absolute(request, rendition.url)


def image_alt(image) -> str:
    """The image's default alternative text (Wagtail's ``default_alt_text``), else ``""``."""
    return str(getattr(image, "default_alt_text", "") or "")


def image_representation(
    image, filter_spec: str | None = None, request: HttpRequest | None = None
) -> dict[str, Any] | None:
    """JSON for ``image`` rendered with ``filter_spec`` (default ``IMAGE_RENDITION``).

    ``renditions`` are the main rendition and its ``srcset`` variants not wider than it, by
    width; a broken file gives ``url`` ``None`` and no renditions rather than a server error.
    ``None`` when there is no image.
    """
    if image is None:
        return None
    specs = rendition_specs(filter_spec)
    data: dict[str, Any] = {
        "id": image.pk,
        "url": None,
        "full_url": None,
        "width": None,
        "height": None,
        "alt": image_alt(image),
        "srcset": "",
        "renditions": [],
    }
    found = safe_renditions(image, specs) or {}
    main = found.get(specs[0])
    if main is None:  # missing source file, broken upload: never a 500
        return data
    by_width = {main.width: main}
    for spec in specs[1:]:
        rendition = found.get(spec)
        if rendition is not None and rendition.width < main.width:
            by_width.setdefault(rendition.width, rendition)
    renditions = [
        {
            "url": rendition.url,
            "full_url": _full_url(rendition, request),
            "width": rendition.width,
            "height": rendition.height,
        }
        for _width, rendition in sorted(by_width.items())
    ]
    data.update(
        url=main.url,
        full_url=_full_url(main, request),
        width=main.width,
        height=main.height,
        srcset=", ".join(f"{item['full_url']} {item['width']}w" for item in renditions),
        renditions=renditions,
    )
    return data
