import pytest
from django.test import Client, override_settings
from django.urls import path

from plan.models import InitiativePage

pytestmark = pytest.mark.django_db


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_lists_every_card(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    for card in InitiativePage.objects.live():  # every language
        assert f"{card.url}</loc>" in body


def test_missing_page_gets_a_friendly_404_in_the_site_layout(client):
    response = client.get("/ja/plan/no-such-card/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "ページが見つかりません" in html
    assert 'class="skip-link"' in html


def boom(request):
    raise RuntimeError("simulated failure")


# A URLconf of this module whose one view fails, with the site's own 500 handler.
urlpatterns = [path("boom/", boom)]
handler500 = "home.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_is_friendly_and_says_what_to_do():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "ただいま表示できません" in html
    assert "059-224-3086" in html


def test_every_public_page_has_lang_skip_link_and_one_h1(client):
    for url in ("/ja/", "/ja/plan/", "/ja/plan/kurashi/", "/ja/plan/kurashi/1-1/1-1/", "/ja/search/?q=防災"):
        html = client.get(url).content.decode()
        assert '<html lang="ja">' in html, url
        assert '<a class="skip-link" href="#main">' in html, url
        assert html.count("<h1") == 1, url
