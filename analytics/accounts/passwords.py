"""Passwords: argon2id hashes (argon2-cffi), the rule a new password must meet, generated passwords."""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from analytics import settings
from analytics.text.zh import t

# argon2id with OWASP's smallest recommended cost (19 MiB, 2 passes): a guess costs the
# attacker the same memory, and a login stays well under a second on a small office server.
_HASHER = PasswordHasher(
    time_cost=settings.PASSWORD_HASH_TIME_COST,
    memory_cost=settings.PASSWORD_HASH_MEMORY_KIB,
    parallelism=1,
)
_CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits)


def hash_password(password: str) -> str:
    """The argon2id hash of a password, salt included."""
    return _HASHER.hash(password)


def verify(password_hash: str, password: str) -> bool:
    """Whether the password matches the stored hash."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _classes(password: str) -> int:
    found = sum(any(ch in chars for ch in password) for chars in _CLASSES)
    return found + any(not any(ch in chars for chars in _CLASSES) for ch in password)


def problem(password: str, name: str | None = None) -> str | None:
    """Why a new password is refused (Chinese), or None when it meets the rule.

    At least `PASSWORD_MIN_LENGTH` characters, `PASSWORD_MIN_CLASSES` of the four kinds
    (lower case, upper case, digits, other characters), and not the account name.
    """
    if len(password) < settings.PASSWORD_MIN_LENGTH:
        return t("accounts.password_short", length=settings.PASSWORD_MIN_LENGTH)
    if _classes(password) < settings.PASSWORD_MIN_CLASSES:
        return t("accounts.password_classes", classes=settings.PASSWORD_MIN_CLASSES)
    if name and name.lower() in password.lower():
        return t("accounts.password_has_name")
    return None


def generate() -> str:
    """A random password that meets the rule (16 characters, all four kinds)."""
    alphabet = string.ascii_letters + string.digits + "-_.!"
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(16))
        if _classes(password) == 4:
            return password
