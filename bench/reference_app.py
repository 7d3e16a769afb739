"""The benchmark's reference: a trivial WSGI app returning N bytes for /N, served by the same gunicorn."""

BODIES: dict[int, bytes] = {}


def application(environ, start_response):
    try:
        size = int(environ.get("PATH_INFO", "/").strip("/") or 0)
    except ValueError:
        size = 0
    body = BODIES.setdefault(size, b"x" * size)
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
