"""Production: everything secret or site-specific comes from the environment."""

import os
from urllib.parse import unquote, urlparse

import dj_database_url

from .base import *  # noqa: F403

SECRET_KEY = os.environ["SECRET_KEY"]
DATABASES = {"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}
if not DATABASES["default"]:
    raise RuntimeError("DATABASE_URL must be set in production")

# A local-memory page cache is one per process: a purge would reach only the process that published.
if not REDIS_URL:  # noqa: F405
    PAGE_CACHE_SECONDS = 0

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true") == "true"
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Only `make serve` on plain-HTTP loopback turns these off.
SESSION_COOKIE_SECURE = os.environ.get("SECURE_COOKIES", "true") == "true"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Two-factor sign-in for staff (docs/SECURITY.md).
STAFF_TWO_FACTOR = os.environ.get("STAFF_TWO_FACTOR", "optional")
if STAFF_TWO_FACTOR not in {"off", "optional", "required"}:
    raise RuntimeError("STAFF_TWO_FACTOR must be off, optional or required")

# Mail: EMAIL_URL-style, e.g. smtp+tls://user:password@smtp.example.jp:587
_email_url = os.environ.get("EMAIL_URL", "")
if _email_url:
    _mail = urlparse(_email_url)
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme.endswith("+tls")
    EMAIL_USE_SSL = _mail.scheme.endswith("+ssl")
else:
    EMAIL_BACKEND = "home.mail.SubjectOnlyLogBackend"  # never the addresses or the text in the log

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

# Media (images, documents) on S3-compatible object storage, so that every app server sees every upload.
# Credentials are not settings: django-storages and boto3 read AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from
# the environment, or use the machine's instance role. One bucket per site: keys start at its root
# (images/, original_images/, documents/). Static files stay with WhiteNoise.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES = {
        **STORAGES,  # noqa: F405
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,  # MinIO, Ceph, …; unset: AWS
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,  # "path" for most MinIO
                # No per-object ACL: the bucket policy decides (new AWS buckets refuse ACLs altogether).
                "default_acl": None,
                # Wagtail expects a second upload of "map.png" to get a new name, as on the local disk.
                "file_overwrite": False,
                # Public URLs of image renditions go through the load balancer's /media/ (deploy/nginx): same
                # origin as the pages (the CSP allows images from 'self' only) and, unlike signed bucket URLs,
                # they do not expire inside cached pages. Without it, URLs are signed and valid for an hour.
                "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
                "url_protocol": os.environ.get("AWS_S3_URL_PROTOCOL", "https:"),
                "object_parameters": {"CacheControl": "public, max-age=86400"},
            },
        },
    }
    # Documents can sit in private collections: Wagtail's view checks that and streams the file from the
    # bucket, rather than redirecting to an object URL that anyone could pass on.
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

# A CDN or Varnish in front (wagtail.contrib.frontend_cache): pages may be kept there for
# FRONTEND_CACHE_SECONDS and are purged by URL on publish (mieplan_site/frontend.py), beside our own tag purges.
FRONTEND_CACHE_URL = os.environ.get("FRONTEND_CACHE_URL", "")  # e.g. http://varnish.internal:6081 (HTTP PURGE)
CLOUDFRONT_DISTRIBUTION_ID = os.environ.get("CLOUDFRONT_DISTRIBUTION_ID", "")
FRONTEND_CACHE_SECONDS = int(os.environ.get("FRONTEND_CACHE_SECONDS", "60"))
if FRONTEND_CACHE_URL or CLOUDFRONT_DISTRIBUTION_ID:
    INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.frontend_cache"]  # noqa: F405
    WAGTAILFRONTENDCACHE = {}
    if FRONTEND_CACHE_URL:
        WAGTAILFRONTENDCACHE["http"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_URL,
        }
    if CLOUDFRONT_DISTRIBUTION_ID:  # needs boto3 (in requirements for S3) and AWS credentials
        WAGTAILFRONTENDCACHE["cloudfront"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": CLOUDFRONT_DISTRIBUTION_ID,
        }
