"""Production: everything secret or site-specific comes from the environment."""

import os

import dj_database_url

from .base import *  # noqa: F403

SECRET_KEY = os.environ["SECRET_KEY"]
DATABASES = {"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}
if not DATABASES["default"]:
    raise RuntimeError("DATABASE_URL must be set in production")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true") == "true"
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Only `make serve` on plain-HTTP loopback turns these off.
SESSION_COOKIE_SECURE = os.environ.get("SECURE_COOKIES", "true") == "true"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Mail: EMAIL_URL-style, e.g. smtp+tls://user:password@smtp.example.jp:587
_email_url = os.environ.get("EMAIL_URL", "")
if _email_url:
    from urllib.parse import unquote, urlparse

    _mail = urlparse(_email_url)
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme.endswith("+tls")
    EMAIL_USE_SSL = _mail.scheme.endswith("+ssl")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Large deployments: OpenSearch with Japanese analysis (kuromoji) instead of the database backend.
# Needs `pip install opensearch-py` and the analysis-kuromoji plugin; then `manage.py update_index`.
OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL", "")
if OPENSEARCH_URL:
    SEARCH_JA_TOKENISE = False  # kuromoji segments the text itself
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.opensearch2",
            "URLS": [OPENSEARCH_URL],
            "INDEX": os.environ.get("OPENSEARCH_INDEX", "mieplan"),
            "TIMEOUT": 5,
            "INDEX_SETTINGS": {
                "settings": {
                    "index": {
                        "analysis": {
                            "analyzer": {
                                "default": {
                                    "type": "custom",
                                    "tokenizer": "kuromoji_tokenizer",
                                    "char_filter": ["icu_normalizer"],
                                    "filter": [
                                        "kuromoji_baseform",
                                        "kuromoji_part_of_speech",
                                        "cjk_width",
                                        "ja_stop",
                                        "kuromoji_stemmer",
                                        "lowercase",
                                    ],
                                },
                                "reading": {
                                    "type": "custom",
                                    "tokenizer": "kuromoji_tokenizer",
                                    "filter": ["kuromoji_readingform", "cjk_width", "lowercase"],
                                },
                            }
                        }
                    }
                }
            },
        }
    }
