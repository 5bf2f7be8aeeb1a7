"""Spam guard of the consultation forms: honeypot and minimum fill time (pure logic).

Both cost an honest visitor nothing: the honeypot is a field people never see, and the minimum
fill time is shorter than anyone needs to type a name and an address. The fill time travels in a
signed token (``django.core.signing``) that the form carries, so no server process keeps state and
any app server of a site can check a token another one issued.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass

from django.core import signing

TOKEN_SALT = "kokreative_wagtail.consultations.form-token"

#: Name of the trap field in the HTML form. Bots fill every input; people never see this one.
HONEYPOT_FIELD = "kk_website"
#: Name of the hidden field carrying the signed form token.
TOKEN_FIELD = "kk_token"


class Verdict(enum.Enum):
    """Why a submission was rejected as automated; ``None`` from :func:`check` means accepted."""

    HONEYPOT = "honeypot"
    TOO_FAST = "too_fast"
    EXPIRED = "expired"
    INVALID_TOKEN = "invalid_token"


@dataclass(frozen=True)
class TokenData:
    page_id: int
    issued_at: float


def make_token(page_id: int, issued_at: float | None = None) -> str:
    """A signed token naming the form and the time it was handed out."""
    issued = time.time() if issued_at is None else issued_at
    return signing.dumps(
        {"p": int(page_id), "t": round(issued, 3)}, salt=TOKEN_SALT, compress=False
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
