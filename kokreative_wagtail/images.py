"""One JSON shape for images everywhere (our API, API v2 fields, block representations).

``{"id", "url", "full_url", "width", "height", "alt", "srcset", "renditions": [...]}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def image_representation(
    image, filter_spec: str | None = None, request: HttpRequest | None = None
) -> dict[str, Any] | None:
    """JSON for ``image`` rendered with ``filter_spec`` (default ``IMAGE_RENDITION``)."""
    from .blocks.content import image_representation as old

    data = old(image, filter_spec)
    if data is not None:
        data.update(
            alt=getattr(image, "default_alt_text", "") or image.title, srcset="", renditions=[]
        )
    return data
