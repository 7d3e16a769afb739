"""Page-cache tags are spelled in one place each (pagecache.TagKind) and models register what they purge."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from wagtail.models import Locale

from consultations.cachetags import COMMENTS, RESULTS
from mieplan_site import pagecache
from plan.cachetags import DEPARTMENT, DEPARTMENTS, KPIS
from plan.models import Department


def test_a_tag_kind_cannot_be_declared_twice():
    for name in ("page", "results", "kpis"):
        with pytest.raises(ImproperlyConfigured):
            pagecache.TagKind(name)


def test_tag_kinds_spell_their_tags_and_refuse_a_wrong_key():
    assert pagecache.PAGE(12) == "page:12"
    assert RESULTS(3) == "results:3" and COMMENTS("abc") == "comments:abc"
    assert KPIS() == "kpis" and DEPARTMENTS() == "departments"
    with pytest.raises(TypeError):
        pagecache.PAGE()
    with pytest.raises(TypeError):
        KPIS(1)
    assert set(pagecache.PAGE.keys_in({"page:1", "page:22", "tr:1", "kpis"})) == {"1", "22"}


def test_only_a_kind_without_keys_names_cdn_urls():
    with pytest.raises(ImproperlyConfigured):
        pagecache.TagKind("never-declared", cdn_urls=lambda: ["https://example.jp/x"])
    assert "never-declared" not in pagecache.TagKind.kinds


@pytest.mark.django_db
def test_a_changed_department_purges_what_its_model_declares(monkeypatch):
    purged: list[set[str]] = []
    monkeypatch.setattr(pagecache, "purge", lambda tags: purged.append(set(tags)))
    department = Department.objects.create(name="テスト部", locale=Locale.get_default())
    department.delete()
    assert purged == [department.purge_tags(), department.purge_tags()]
    assert DEPARTMENT(department.translation_key) in purged[0]
