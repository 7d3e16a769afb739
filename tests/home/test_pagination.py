"""OneQueryPaginator: a page of rows and the total in one query, and the same pages as Django's paginator."""

import pytest
from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.pagination import OneQueryPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    Group.objects.bulk_create(Group(name=f"pagination-{index:02d}") for index in range(25))
    return Group.objects.filter(name__startswith="pagination-").order_by("name")


def test_a_page_of_rows_costs_one_query(groups):
    with CaptureQueriesContext(connection) as context:
        page = OneQueryPaginator(groups, 10).get_page("2")
        names = [group.name for group in page]
        total, pages = page.paginator.count, page.paginator.num_pages
    assert len(context.captured_queries) == 1
    assert names == [f"pagination-{index:02d}" for index in range(10, 20)]
    assert (total, pages, page.has_next(), page.has_previous()) == (25, 3, True, True)


@pytest.mark.parametrize("number", [None, "1", "3", "4", "0", "-1", "abc", "2.5", "99999999999999999999999", ""])
def test_every_page_number_gets_the_page_djangos_paginator_gives(groups, number):
    ours, django = OneQueryPaginator(groups, 10).get_page(number), Paginator(groups, 10).get_page(number)
    assert ours.number == django.number
    assert [group.pk for group in ours] == [group.pk for group in django]
    assert ours.paginator.count == django.paginator.count == 25


def test_an_empty_list_has_one_empty_page_for_one_query():
    with CaptureQueriesContext(connection) as context:
        page = OneQueryPaginator(Group.objects.filter(name="no such group").order_by("pk"), 10).get_page("1")
        shown = (page.number, list(page), page.paginator.count, page.paginator.num_pages)
    assert shown == (1, [], 0, 1)
    assert len(context.captured_queries) == 1
