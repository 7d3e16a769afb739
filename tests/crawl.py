"""A whole-site crawler for the tests: follows every same-site link, asset, GET form and hreflang alternate from
the start URLs, and reports what a reader or a search engine would trip over on each page."""

import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.conf import settings
from django.test import Client

from home import easy

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
LOCALE_PREFIX = re.compile(r"^/(" + "|".join(re.escape(code) for code in LANGUAGE_CODES) + r")/")
LOC = re.compile(r"<(?:loc|xhtml:link[^>]*href=)[>\"]([^<\"]+)")


@dataclass
class Link:
    url: str
    kind: str  # a, asset, form, alternate, canonical
    hreflang: str = ""


@dataclass
class ParsedPage:
    lang: str = ""
    links: list[Link] = field(default_factory=list)
    has_language_switcher: bool = False


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        links = self.page.links
        if tag == "html":
            self.page.lang = a.get("lang", "")
        elif tag == "nav" and "language-switcher" in a.get("class", "").split():
            self.page.has_language_switcher = True
        elif tag == "a" and "href" in a:
            links.append(Link(a["href"], "a", a.get("hreflang", "")))
        elif tag == "link" and "href" in a:
            rel = a.get("rel", "")
            kind = "alternate" if rel == "alternate" else "canonical" if rel == "canonical" else "asset"
            links.append(Link(a["href"], kind, a.get("hreflang", "")))
        elif tag in {"script", "img", "source"} and a.get("src"):
            links.append(Link(a["src"], "asset"))
        elif tag == "form" and a.get("method", "get").lower() == "get" and "action" in a:
            links.append(Link(a["action"], "form"))


def parse(html: str) -> ParsedPage:
    parser = PageParser()
    parser.feed(html)
    return parser.page


def locale_of(path: str) -> str:
    match = LOCALE_PREFIX.match(path)
    return match.group(1) if match else ""


def query_problems(href: str) -> list[str]:
    if "??" in href:
        return [f"doubled '?' in {href}"]
    query = urlsplit(href).query
    if any(not key or key.startswith("?") for key, _value in parse_qsl(query, keep_blank_values=True)):
        return [f"empty or '?'-prefixed query key in {href}"]
    return []


def page_problems(url: str, html: str, origin: str, search_path: Callable[[str], str]) -> list[str]:
    """What is wrong with one HTML page at `url` (a path under one locale's prefix)."""
    page = parse(html)
    locale = locale_of(urlsplit(url).path)
    problems = []
    if locale and page.lang != easy.html_lang(locale):  # やさしい日本語 (/ja-easy/) is lang="ja"
        problems.append(f'<html lang="{page.lang}"> on a page of locale {locale}')
    if locale and not page.has_language_switcher:
        problems.append("no language switcher")
    if locale and not any(link.kind == "alternate" and link.hreflang for link in page.links):
        problems.append("no hreflang alternates")
    for link in page.links:
        problems += query_problems(link.url)
        parts = urlsplit(urljoin(url, link.url))
        if link.kind in {"alternate", "canonical"} and not link.url.startswith(origin + "/"):
            problems.append(f"{link.kind} link on another origin: {link.url}")
        if link.kind == "a" and link.url.startswith("/") and locale and not link.hreflang:
            target_locale = locale_of(parts.path)
            if target_locale and target_locale != locale:
                problems.append(f"link into locale {target_locale} from a {locale} page: {link.url}")
        if link.kind in {"a", "form"} and parts.path == search_path(locale):
            params = dict(parse_qsl(parts.query))
            if link.kind == "a" and "page" in params and not params.get("q"):
                problems.append(f"search pagination without the query: {link.url}")
    return [f"{url}: {problem}" for problem in problems]


def sitemap_problems(xml: str, origin: str) -> list[str]:
    return [f"sitemap entry on another origin: {loc}" for loc in LOC.findall(xml) if not loc.startswith(origin + "/")]


@dataclass
class CrawlResult:
    visited: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def same_site_path(href: str, origin: str, base: str) -> str | None:
    """The path and query of a link on this site (relative to `base`, or absolute on the origin), else None."""
    if href.startswith(("mailto:", "tel:", "#")):
        return None
    parts = urlsplit(urljoin(base, href))
    if parts.scheme and f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    if not parts.scheme and parts.netloc:
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + ("?" + parts.query if parts.query else "")


def crawl(
    client: Client,
    start: Iterable[str],
    origin: str,
    search_path: Callable[[str], str],
    follow: Callable[[str], bool] = lambda path: True,
) -> CrawlResult:
    """Breadth first from `start`; `follow` may skip a sample of many near-identical URLs (comment forms)."""
    result = CrawlResult()
    queue = deque(start)
    seen = set(queue)
    while queue:
        path = queue.popleft()
        response = client.get(path, follow=True)
        result.visited[path] = response.status_code
        if response.status_code >= 400:
            result.problems.append(f"{path}: answered {response.status_code}")
            continue
        content_type = response.get("Content-Type", "")
        final_path = response.redirect_chain[-1][0] if response.redirect_chain else path
        if path.startswith("/sitemap.xml"):
            result.problems += sitemap_problems(response.content.decode(), origin)
            links = [Link(loc, "a") for loc in LOC.findall(response.content.decode())]
        elif content_type.startswith("text/html"):
            html = response.content.decode()
            result.problems += page_problems(final_path, html, origin, search_path)
            links = parse(html).links
        else:
            continue
        for link in links:
            target = same_site_path(link.url, origin, final_path)
            if target is None or target in seen or not follow(target):
                continue
            seen.add(target)
            queue.append(target)
    return result
