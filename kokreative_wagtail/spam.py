"""Spam guard of the visitors' forms (consultations, registrations): honeypot, minimum fill
time, one submission per token.

All cost an honest visitor nothing: the honeypot is a field people never see, and the minimum
fill time is shorter than anyone needs to type a name and an address. The fill time travels in a
signed token (``django.core.signing``) that the form carries, so no server process keeps state and
any app server of a site can check a token another one issued. The one piece of state, that a
token was used, lives in Django's shared cache (:func:`consume_token`), so a script cannot replay
one token for many submissions.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import caches

TOKEN_SALT = "kokreative_wagtail.form-token"

#: Name of the trap field in the HTML form. Bots fill every input; people never see this one.
HONEYPOT_FIELD = "kk_website"
#: Name of the hidden field carrying the signed form token.
TOKEN_FIELD = "kk_token"
#: Prefix of the cache keys marking used tokens.
USED_KEY_PREFIX = "kokreative:used-form-token"


class Verdict(enum.Enum):
    """Why a submission was rejected as automated; ``None`` from :func:`check` means accepted."""

    HONEYPOT = "honeypot"
    TOO_FAST = "too_fast"
    EXPIRED = "expired"
    INVALID_TOKEN = "invalid_token"
    USED = "used"


@dataclass(frozen=True)
class TokenData:
    page_id: int
    issued_at: float


def make_token(page_id: int, issued_at: float | None = None) -> str:
    """A signed token naming the form and the time it was handed out.

    The random ``n`` makes every token unique: two visitors given the form in the same
    millisecond must not share a token, which only one of them could use.
    """
    issued = time.time() if issued_at is None else issued_at
    return signing.dumps(
        {"p": int(page_id), "t": round(issued, 3), "n": secrets.token_urlsafe(6)},
        salt=TOKEN_SALT,
        compress=False,
    )


def read_token(token: str) -> TokenData | None:
    """The data of a token with a valid signature, else ``None`` (:func:`check` checks its age)."""
    if not isinstance(token, str) or not token or len(token) > 500:
        return None
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    page_id, issued_at = data.get("p"), data.get("t")
    if not isinstance(page_id, int) or not isinstance(issued_at, (int, float)):
        return None
    return TokenData(page_id=page_id, issued_at=float(issued_at))


def check(
    *,
    page_id: int,
    token: str | None,
    honeypot: str | None,
    min_seconds: float,
    max_age: float,
    now: float | None = None,
) -> Verdict | None:
    """Decide whether a submission looks automated; ``None`` when it passes.

    A filled honeypot wins over everything; a token for another form counts as invalid; a token
    older than ``max_age`` seconds is expired (the visitor only has to send the form again).
    """
    if honeypot:
        return Verdict.HONEYPOT
    data = read_token(token or "")
    if data is None or data.page_id != page_id:
        return Verdict.INVALID_TOKEN
    now = time.time() if now is None else now
    age = now - data.issued_at
    if age < min_seconds:
        return Verdict.TOO_FAST
    if age > max_age:
        return Verdict.EXPIRED
    return None


def used_token_key(token: str) -> str:
    """The cache key of a used token: a hash, so that no token is stored."""
    return f"{USED_KEY_PREFIX}:{hashlib.sha256(token.encode()).hexdigest()}"


def consume_token(token: str, *, max_age: float, cache_alias: str = "default") -> bool:
    """Mark ``token`` as used; ``False`` when it already was (a replay).

    ``cache.add`` is atomic (on Redis, Memcached, the database cache and, within one process,
    the local-memory cache): of two requests with one token exactly one gets ``True``. The mark
    lives ``max_age`` seconds, as long as the token could still be accepted.
    """
    return caches[cache_alias].add(used_token_key(token), 1, timeout=int(max_age) + 1)


def release_token(token: str, *, cache_alias: str = "default") -> None:
    """Undo :func:`consume_token` when the submission could not be stored after all."""
    caches[cache_alias].delete(used_token_key(token))
