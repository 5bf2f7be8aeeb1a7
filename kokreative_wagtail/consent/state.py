"""The visitor's consent, read from django-cookie-consent's cookie.

Everything that renders differently by consent reads it through :func:`get_consent_state`,
which marks the response as varying by the ``Cookie`` header, so a shared cache never serves
one visitor's state to another. It does so through Django's session middleware (which every
Wagtail site runs, and which sends ``Vary: Cookie`` for a request that touched the session),
so a site needs no middleware of ours; a system check reports a site without it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from cookie_consent.cache import CACHE_KEY as LIBRARY_KEY
from cookie_consent.cache import _get_cache, all_cookie_groups
from cookie_consent.conf import settings as consent_settings
from cookie_consent.models import Cookie, CookieGroup
from cookie_consent.util import get_cookie_dict_from_request
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import get_language
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant

from .models import CookieGroupText, CookieText
from .tokens import consent_token_allowed, token_from_request

#: The groups ``kokreative_setup_consent`` and our migration create.
NECESSARY = "necessary"
STATISTICS = "statistics"
EXTERNAL_MEDIA = "external_media"
DEFAULT_GROUPS = (NECESSARY, STATISTICS, EXTERNAL_MEDIA)

CACHE_KEY = "kokreative_consent_groups"
CACHE_TIMEOUT = 60 * 60
REQUEST_ATTRIBUTE = "_kokreative_consent_state"


@dataclass(frozen=True)
class CookieInfo:
    name: str
    description: str
    domain: str
    path: str


@dataclass(frozen=True)
class GroupState:
    varname: str
    name: str
    description: str
    is_required: bool
    accepted: bool | None  # None: not decided, or decided for an older version of the group
    version: str = ""
    cookies: tuple[CookieInfo, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class ConsentState:
    groups: list[GroupState]

    def accepted(self, varname: str) -> bool:
        """Required groups are always accepted; an unknown group never is."""
        for group in self.groups:
            if group.varname == varname:
                return group.is_required or group.accepted is True
        return False

    @property
    def optional_groups(self) -> list[GroupState]:
        return [group for group in self.groups if not group.is_required]

    @property
    def needs_decision(self) -> bool:
        """The banner shows while any optional group is undecided (new or changed groups too)."""
        return any(group.accepted is None for group in self.optional_groups)

    @property
    def version(self) -> str:
        return groups_version(self.groups)

    def as_dict(self) -> dict[str, bool | None]:
        return {
            group.varname: True if group.is_required else group.accepted for group in self.groups
        }


def groups_version(groups) -> str:
    """A short fingerprint of the groups and their versions: the banner version of a record."""
    text = "|".join(f"{g.varname}:{g.version}:{int(g.is_required)}" for g in groups)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _cache():

    return _get_cache()  # the cache django-cookie-consent uses (COOKIE_CONSENT_CACHE_BACKEND)


def texts_language(language: str | None = None) -> str:
    """The content language group texts are shown in: ``language``, else the active one."""

    try:
        return get_supported_content_language_variant(language or get_language())
    except LookupError:
        return next(iter(get_content_languages()))


def _cache_key(language: str) -> str:
    return f"{CACHE_KEY}:{language}"


def load_groups(language: str | None = None) -> list[GroupState]:
    """All cookie groups with their cookies, texts in ``language`` (default: the active one).

    From the shared cache, one entry per language. Our entries live next to
    django-cookie-consent's and are rebuilt whenever the library's has gone: the library drops
    its entry on queryset updates too, which send no signals.
    """

    language = texts_language(language)
    key = _cache_key(language)
    cache = _cache()
    cached = cache.get_many([key, LIBRARY_KEY])
    if key in cached and LIBRARY_KEY in cached:
        return cached[key]
    all_cookie_groups()  # refills the library's entry
    groups = _groups_from_db(language)
    cache.set(key, groups, CACHE_TIMEOUT)
    return groups


def clear_groups_cache() -> None:

    _cache().delete_many([CACHE_KEY, *(_cache_key(code) for code in get_content_languages())])


def _groups_from_db(language: str) -> list[GroupState]:
    """The groups, each text in ``language`` where one is written, else the group's own."""

    groups = []
    cookie_texts = CookieText.objects.filter(language_code=language)
    queryset = CookieGroup.objects.prefetch_related(
        Prefetch(
            "kokreative_texts",
            queryset=CookieGroupText.objects.filter(language_code=language),
            to_attr="texts_in_language",
        ),
        Prefetch(
            "cookie_set",
            queryset=Cookie.objects.prefetch_related(
                Prefetch("kokreative_texts", queryset=cookie_texts, to_attr="texts_in_language")
            ),
        ),
    ).order_by("-is_required", "ordering", "pk")
    for group in queryset:
        cookies = list(group.cookie_set.all())  # newest first: the library's version rule
        text = group.texts_in_language[0] if group.texts_in_language else group
        groups.append(
            GroupState(
                varname=group.varname,
                name=text.name or group.name or group.varname,
                description=text.description or group.description,
                is_required=group.is_required,
                accepted=None,
                version=cookies[0].get_version() if cookies else "",
                cookies=tuple(
                    CookieInfo(c.name, _cookie_description(c), c.domain, c.path or "/")
                    for c in sorted(cookies, key=lambda c: c.name)
                ),
            )
        )
    return groups


def _cookie_description(cookie) -> str:
    texts = cookie.texts_in_language
    return (texts[0].description if texts else "") or cookie.description


def decision_for(stored: str | None, group: GroupState) -> bool | None:
    """django-cookie-consent's rule: declined stays declined; an acceptance older than the
    group's newest cookie no longer counts, so a changed group asks again."""

    if stored is None:
        return None
    if stored == consent_settings.COOKIE_CONSENT_DECLINE:
        return False
    return True if stored >= group.version else None


def state_from_cookie_dict(stored: dict[str, str]) -> ConsentState:
    groups = [
        GroupState(
            varname=g.varname,
            name=g.name,
            description=g.description,
            is_required=g.is_required,
            accepted=True if g.is_required else decision_for(stored.get(g.varname), g),
            version=g.version,
            cookies=g.cookies,
        )
        for g in load_groups()
    ]
    return ConsentState(groups)


def get_consent_state(request: HttpRequest) -> ConsentState:
    """The visitor's consent; the response is then marked as varying by it.

    Without a consent cookie, a request of our consent API may carry the decision as a consent
    token (``X-Consent-Token``, see :mod:`.tokens`); an altered or expired one counts as none.
    """
    state = getattr(request, REQUEST_ATTRIBUTE, None)
    if state is None:
        stored = get_cookie_dict_from_request(request)
        if consent_settings.COOKIE_CONSENT_NAME not in request.COOKIES and (
            consent_token_allowed(request)
        ):
            token = token_from_request(request)
            if token is not None:
                stored = dict(token.decisions)
        state = state_from_cookie_dict(stored)
        setattr(request, REQUEST_ATTRIBUTE, state)
    mark_consent_dependent(request)
    return state


def mark_consent_dependent(request: HttpRequest) -> None:
    """Have ``SessionMiddleware`` add ``Vary: Cookie`` to this request's response.

    Marking the session as read creates no session and writes nothing.
    """
    session = getattr(request, "session", None)
    if session is not None:
        session.accessed = True
