"""Settings modules: base (production-safe), dev, test, production."""

import django.conf.locale


def register_extra_languages(extra: dict) -> None:
    """Add languages Django has no entry for (Filipino) to its LANG_INFO table."""
    django.conf.locale.LANG_INFO.update(extra)
