"""Encryption at rest for the few fields that must be readable again (payout account numbers).

Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`. Keys come from FIELD_ENCRYPTION_KEYS
(comma-separated; the first encrypts, all decrypt, so a key can be rotated); production refuses
to start without one. Development and tests derive a key from SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = base64.urlsafe_b64encode(hashlib.sha256(f"reelvision-fields:{secret_key}".encode()).digest())
        keys = (derived.decode(),)
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:  # a key was lost or the data altered: never guess
        raise ValueError("The encrypted value cannot be read with the configured keys.") from error
