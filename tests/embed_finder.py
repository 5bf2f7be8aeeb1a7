"""An oEmbed finder for tests: fixed HTML, no network.

``WAGTAILEMBEDS_FINDERS = [{"class": "tests.embed_finder"}]`` makes Wagtail's ``get_embed`` answer
YouTube and Vimeo URLs with an iframe to youtube-nocookie.com / player.vimeo.com; a URL with
"missing" in it is "not found", as a deleted video would be.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.base import EmbedFinder

FINDERS_SETTING = [{"class": "tests.embed_finder"}]


class FixedEmbedFinder(EmbedFinder):
    def accept(self, url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return host.endswith(("youtube.com", "youtu.be", "vimeo.com"))

    def find_embed(self, url: str, max_width=None, max_height=None) -> dict:
        if "missing" in url:
            raise EmbedNotFoundException
        parts = urlsplit(url)
        if parts.hostname.endswith("vimeo.com"):
            src = f"https://player.vimeo.com/video{parts.path}"
        else:
            video = parse_qs(parts.query).get("v", [parts.path.strip("/")])[0]
            src = f"https://www.youtube-nocookie.com/embed/{video}"
        return {
            "title": "Provider's own title",
            "author_name": "",
            "provider_name": "YouTube",
            "type": "video",
            "thumbnail_url": "",
            "width": 560,
            "height": 315,
            "html": (
                f'<iframe width="560" height="315" src="{src}" title="Provider\'s own title" '
                'frameborder="0" allowfullscreen></iframe>'
            ),
        }


embed_finder_class = FixedEmbedFinder
