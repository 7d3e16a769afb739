"""Settings modules: base (production-safe), dev, test, production."""

from urllib.parse import urlsplit

import django.conf.locale
from django.core.exceptions import ImproperlyConfigured


def register_extra_languages(extra: dict) -> None:
    """Add languages Django has no entry for (Filipino) to its LANG_INFO table."""
    django.conf.locale.LANG_INFO.update(extra)


def public_origin(value: str) -> str:
    """PUBLIC_ORIGIN as `https://plan.pref.mie.lg.jp`: scheme and host, optional port, nothing after."""
    origin = value.strip().rstrip("/")
    parts = urlsplit(origin)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path or parts.query:
        raise ImproperlyConfigured(f"PUBLIC_ORIGIN must look like https://plan.example.jp, not {value!r}")
    return origin
