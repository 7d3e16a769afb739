"""Security response headers Django does not set itself: Content-Security-Policy and Permissions-Policy.

Django's SecurityMiddleware already sends HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy, and XFrameOptionsMiddleware sends X-Frame-Options; this adds the rest.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

# Public pages load only our own files: no inline script or style, no third party.
PUBLIC_CSP: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
    "base-uri": ("'self'",),
    "object-src": ("'none'",),
}

# The Wagtail 8 admin still writes inline <script> (InlinePanel, date widgets, page listings) and inline styles
# (Draftail, tooltips), so it needs 'unsafe-inline' (checked in Chromium: tests/e2e/test_security_headers.py).
# It needs no eval, is still held to our own origin, and may frame itself (the live preview panel) only.
ADMIN_CSP: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'", "'unsafe-inline'"),
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:", "blob:"),
    "font-src": ("'self'", "data:"),
    "connect-src": ("'self'",),
    "frame-src": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'self'",),
    "base-uri": ("'self'",),
    "object-src": ("'none'",),
}

# Powerful browser features the site never uses are switched off for it and for anything it might embed.
PERMISSIONS_POLICY: dict[str, str] = {
    "accelerometer": "()",
    "browsing-topics": "()",
    "camera": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
}

ADMIN_PREFIX = "/admin/"


def serialise_csp(directives: dict[str, tuple[str, ...]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def serialise_permissions(features: dict[str, str]) -> str:
    return ", ".join(f"{name}={allowlist}" for name, allowlist in features.items())


class SecurityHeadersMiddleware:
    """Adds CSP (strict for residents, looser for the Wagtail admin) and Permissions-Policy to every response.

    A header the view already set wins: Wagtail's image and document views send `default-src 'none'`.
    """

    public_csp = serialise_csp(PUBLIC_CSP)
    admin_csp = serialise_csp(ADMIN_CSP)
    permissions_policy = serialise_permissions(PERMISSIONS_POLICY)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "is_dummy", False):
            # Wagtail rendering a page inside the admin (preview, moderation): the admin request around it
            # sets the admin policy, which must not be pre-empted by the public page's `frame-ancestors 'none'`.
            return response
        is_admin = request.path_info.startswith(ADMIN_PREFIX)
        response.headers.setdefault("Content-Security-Policy", self.admin_csp if is_admin else self.public_csp)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


# What residents' pages, forms and files are ever asked with. Wagtail serves a page to any method, and the comment,
# status and sign-in views take whatever is not GET as a submission; PUT, DELETE, PATCH and the rest are refused
# before any of them runs. The admin keeps its own rules (its previews DELETE, its dismissibles PATCH) except on
# its sign-in pages.
PUBLIC_METHODS = ("GET", "HEAD", "OPTIONS", "POST")
ADMIN_SIGN_IN = (ADMIN_PREFIX + "login/", ADMIN_PREFIX + "password_reset/")


class PublicMethodsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if request.method not in PUBLIC_METHODS and (
            not path.startswith(ADMIN_PREFIX) or path.startswith(ADMIN_SIGN_IN)
        ):
            return HttpResponseNotAllowed(PUBLIC_METHODS)
        return self.get_response(request)
