"""Ids and numbers from URLs, query strings and forms beyond what the database holds are not found, never a 500.

A primary key is a signed 64-bit integer: 2**63 raised OverflowError (SQLite) inside the query."""

import pytest
from django.test import Client
from django.urls import reverse

from consultations.models import Comment, ConsultationPage
from home.ids import MAX_ID, parse_id
from tests.periods import publish_results
from tests.security.urlconf import fill, parameters, routable_page_routes, url_routes

pytestmark = pytest.mark.django_db

TOO_LARGE = [str(MAX_ID + 1), "9" * 19, "9" * 30, "0"]
NUMERIC = {"id", "int"}


def numeric_public_routes() -> list[str]:
    """Every public route taking a number, with the route's text parameters left as they are filled below."""
    routes = [
        "/" + route
        for route, _pattern in url_routes()
        if not route.startswith("admin/") and any(converter in NUMERIC for converter, _name in parameters(route))
    ]
    consultation_routes = [
        route
        for model, route in routable_page_routes()
        if model is ConsultationPage and any(converter in NUMERIC for converter, _name in parameters(route))
    ]
    return routes + ["CONSULTATION/" + route for route in consultation_routes]


ROUTES = numeric_public_routes()


def test_the_walk_finds_the_comment_and_changes_routes():
    assert "/ja/comments/<id:consultation_id>/" in ROUTES
    assert "CONSULTATION/results/changes/<id:card_id>/" in ROUTES


@pytest.fixture
def results_published(consultation) -> ConsultationPage:
    publish_results(consultation)
    return consultation


@pytest.mark.parametrize("number", TOO_LARGE)
@pytest.mark.parametrize("route", ROUTES)
def test_an_id_out_of_range_in_any_public_route_is_not_found(results_published, route, number):
    url = route.replace("CONSULTATION/", results_published.url)
    for converter, name in parameters(route):
        value = number if converter in NUMERIC else "x"
        url = url.replace(f"<{converter}:{name}>" if f"<{converter}:" in url else f"<{name}>", value)
    response = Client(raise_request_exception=False).get(fill(url, "x"), follow=True)
    assert response.status_code == 404, (url, response.redirect_chain)


@pytest.mark.parametrize("number", TOO_LARGE)
def test_ids_out_of_range_in_search_filters_are_ignored(number):
    response = Client(raise_request_exception=False).get(
        "/ja/search/", {"q": "防災", "area": number, "department": number, "page": number}
    )
    assert response.status_code == 200
    assert response.context["selected_area"] is None and response.context["selected_department"] is None


@pytest.mark.parametrize("number", TOO_LARGE)
def test_a_comment_target_out_of_range_is_refused_with_a_message(consultation, comment_data, number):
    web = Client(raise_request_exception=False)
    response = web.post(f"/ja/comments/{consultation.pk}/", comment_data(page=number))
    assert response.status_code == 400
    assert "意見の対象が見つかりません" in response.content.decode()
    assert web.get(consultation.url + "comment/", {"page": number}).status_code == 400
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("number", TOO_LARGE)
def test_a_consultation_filter_out_of_range_in_the_admin_finds_nothing(moderator, number):
    staff = Client(raise_request_exception=False)
    staff.force_login(moderator)
    for url in (
        reverse("wagtailsnippets_consultations_comment:list"),
        reverse("wagtailsnippets_consultations_responsetopic:list"),
        reverse("consultations_comment_export", args=["csv"]),
    ):
        assert staff.get(url, {"consultation": number}).status_code == 200, url


def test_parse_id_takes_exactly_the_positive_64_bit_range():
    assert parse_id("1") == 1
    assert parse_id(str(MAX_ID)) == MAX_ID
    for refused in (str(MAX_ID + 1), "0", "-1", "", " 1", "1.0", "²", "١", "9" * 5000):
        assert parse_id(refused) is None, refused
