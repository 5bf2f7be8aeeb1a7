"""The links of a registration's e-mails: one to confirm the address, one to cancel.

A token is the registration's random ``public_id`` and an HMAC of it under the site's secret,
salted with the token's purpose: unguessable, good for one purpose only (a confirmation link
cannot cancel), and made again for every later e-mail without storing it. It stops working
when the registration is deleted (the retention purge) or the secret changes.
"""

from __future__ import annotations

import uuid
from enum import Enum

from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "kokreative_wagtail.registrations"
#: Longest token read: 32 hex digits, a dot, 64 hex digits.
MAX_LENGTH = 97


class Purpose(str, Enum):
    CONFIRM = "confirm"
    CANCEL = "cancel"


def _mac(public_id: uuid.UUID, purpose: Purpose) -> str:
    return salted_hmac(f"{SALT}.{purpose.value}", public_id.hex, algorithm="sha256").hexdigest()


def make_token(registration, purpose: Purpose) -> str:
    public_id = registration.public_id
    return f"{public_id.hex}.{_mac(public_id, purpose)}"


def read_token(token: object, purpose: Purpose) -> uuid.UUID | None:
    """The ``public_id`` a valid token for ``purpose`` names, else ``None``."""
    if not isinstance(token, str) or len(token) > MAX_LENGTH or token.count(".") != 1:
        return None
    id_part, mac = token.split(".")
    try:
        public_id = uuid.UUID(hex=id_part)
    except ValueError:
        return None
    if len(id_part) != 32 or not constant_time_compare(mac, _mac(public_id, purpose)):
        return None
    return public_id
