"""The site's error pages tell the reader, in their language, what happened and where to go."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from home import views

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("view", "status", "japanese", "english"),
    [
        (views.bad_request, 400, "リクエストを処理できませんでした", "We could not process your request"),
        (views.permission_denied, 403, "このページは表示できません", "You cannot view this page"),
        (views.csrf_failure, 403, "画面の有効期限が切れました", "This page has expired"),
        (views.page_not_found, 404, "ページが見つかりません", "Page not found"),
    ],
)
def test_error_page_has_its_heading_in_the_readers_language(rf, view, status, japanese, english):
    for language, heading in (("ja", japanese), ("en", english)):
        request = rf.get(f"/{language}/somewhere/")
        request.user = AnonymousUser()
        with translation.override(language):
            response = view(request, None)
        html = response.content.decode()
        assert response.status_code == status
        assert f"<h1>{heading}</h1>" in html
        assert html.count('href="/"') >= 1  # the way home


def test_not_found_page_also_offers_the_search(rf):
    request = rf.get("/ja/nowhere/")
    request.user = AnonymousUser()
    html = views.page_not_found(request).content.decode()
    assert 'href="/ja/search/"' in html
