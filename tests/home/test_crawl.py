"""The whole public site, crawled as a search engine would, in every locale; and the crawler's own checks shown
to catch each defect the site once had."""

from collections import Counter
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from consultations.models import Comment, ConsultationPage
from tests.crawl import LANGUAGE_CODES, crawl, locale_of, page_problems, sitemap_problems
from tests.periods import publish_results

ORIGIN = "http://testserver"
COMMENT_FORMS_PER_LOCALE_AND_PART = 2


def search_path(code: str) -> str:
    return f"/{code}/search/"


def sampled(path: str, seen: Counter) -> bool:
    """Every page type is crawled; of the hundreds of comment-form links, a few per locale and card part."""
    parts = urlsplit(path)
    if not parts.path.endswith("/comment/"):
        return True
    key = (locale_of(parts.path), dict(parse_qsl(parts.query)).get("part", ""))
    seen[key] += 1
    return seen[key] <= COMMENT_FORMS_PER_LOCALE_AND_PART


@pytest.mark.django_db
def test_every_link_asset_form_and_alternate_on_the_site_works(consultation, comment_data):
    assert settings.PUBLIC_ORIGIN == ORIGIN
    client = Client()
    client.post(consultation.url + "comment/", comment_data(), REMOTE_ADDR="192.0.2.1")
    Comment.objects.update(state="published")
    start = ["/sitemap.xml", "/robots.txt"]
    for code in LANGUAGE_CODES:
        start += [f"/{code}/", f"/{code}/search/?q={quote('デジタル')}", f"/{code}/search/?q=digital"]
    forms = Counter()
    result = crawl(client, start, ORIGIN, search_path, follow=lambda path: sampled(path, forms))

    assert result.problems == []
    visited = result.visited
    assert len(visited) > 600, len(visited)
    for code in LANGUAGE_CODES:
        prefix = f"/{code}/"
        assert sum(path.startswith(prefix) for path in visited) > 60, code
        assert any(path.startswith(prefix + "search/?") and "page=2" in path for path in visited), code
        assert any(path.startswith(prefix) and "/comment/?" in path for path in visited), code
    assert any(path.startswith("/static/") for path in visited)
    assert "/opendata/kpis.csv" in visited


@pytest.mark.django_db
def test_results_pages_are_crawled_once_published(consultation, comment_data):
    client = Client()
    client.post(consultation.url + "comment/", comment_data(), REMOTE_ADDR="192.0.2.1")
    Comment.objects.update(state="published")
    for page in ConsultationPage.objects.filter(alias_of__isnull=True):
        publish_results(page)
    start = [f"/{code}/consultation/" for code in LANGUAGE_CODES]
    result = crawl(client, start, ORIGIN, search_path, follow=lambda path: "/consultation/" in path)
    assert result.problems == []
    for code in LANGUAGE_CODES:
        assert any(path.startswith(f"/{code}/consultation/results/") for path in result.visited), code


# The crawler's checks, each against the defect it exists for.

GOOD_HEAD = (
    '<link rel="alternate" hreflang="ja" href="http://testserver/ja/x/">'
    '<link rel="canonical" href="http://testserver/en/x/">'
)
SWITCHER = '<nav class="language-switcher"><a href="/ja/x/" hreflang="ja" lang="ja">日本語</a></nav>'


def page(body: str, lang: str = "en", head: str = GOOD_HEAD, switcher: str = SWITCHER) -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head>{head}</head><body>{switcher}{body}</body></html>'


def problems(html: str) -> list[str]:
    return page_problems("/en/x/", html, ORIGIN, search_path)


def test_a_clean_page_has_no_problems():
    assert problems(page('<a href="/en/search/?q=drone&amp;page=2">2</a>')) == []


@pytest.mark.parametrize(
    ("html", "found"),
    [
        (page('<a href="/en/search/??q=drone&amp;page=2">2</a>'), "doubled '?'"),
        (page('<a href="/en/search/?=drone">2</a>'), "empty or '?'-prefixed query key"),
        (page('<a href="/en/search/?page=2">2</a>'), "search pagination without the query"),
        (page('<a href="/ja/plan/">plan</a>'), "link into locale ja from a en page"),
        (page("", lang="ja"), '<html lang="ja"> on a page of locale en'),
        (page("", switcher=""), "no language switcher"),
        (page("", head='<link rel="canonical" href="http://testserver/en/x/">'), "no hreflang alternates"),
        (page("", head=GOOD_HEAD.replace("http://testserver/en", "http://localhost/en")), "canonical link on another"),
    ],
)
def test_the_crawler_reports_each_defect_the_site_once_had(html, found):
    assert any(found in problem for problem in problems(html)), problems(html)


def test_the_crawler_reports_a_sitemap_on_another_origin():
    xml = "<urlset><url><loc>http://localhost/ja/</loc></url><url><loc>http://testserver/en/</loc></url></urlset>"
    assert sitemap_problems(xml, ORIGIN) == ["sitemap entry on another origin: http://localhost/ja/"]


def test_the_crawler_reports_relative_search_pagination_that_drops_the_query():
    html = page('<a href="?page=2">2</a><a href="?q=drone&amp;page=2">2</a>')
    found = page_problems("/en/search/?q=drone", html, ORIGIN, search_path)
    assert found == ["/en/search/?q=drone: search pagination without the query: ?page=2"]
