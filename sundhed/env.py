"""Reading settings from the environment, failing loudly on values that make no sense.

A typo in production configuration ("DEBUG=ture", "PORT=80a") must stop the process at
start-up with a message naming the variable, not silently fall back to a default.
"""

import os
import re


class ImproperlyConfiguredEnv(RuntimeError):
    """Raised when an environment variable has a value we cannot interpret."""


_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nej", ""}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name}={raw!r} er ikke en gyldig sandhedsværdi (brug 1/0, true/false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r} er ikke et heltal.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, schemes: tuple[str, ...], default: str = "") -> str:
    """A URL whose scheme must be one of `schemes`; empty means "not configured"."""
    raw = os.environ.get(name, default).strip()
    if raw and raw.split("://", 1)[0] not in schemes:
        raise ImproperlyConfiguredEnv(f"{name} skal begynde med et af {', '.join(s + '://' for s in schemes)}.")
    return raw


def env_email(name: str, default: str = "") -> str:
    """An e-mail address (only its shape is checked); empty means "not configured"."""
    raw = os.environ.get(name, default).strip()
    if raw and not _EMAIL.fullmatch(raw):
        raise ImproperlyConfiguredEnv(f"{name}={raw!r} er ikke en e-mailadresse.")
    return raw
