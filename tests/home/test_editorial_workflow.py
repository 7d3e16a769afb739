from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, WorkflowState

from plan.models import DirectionPage
from plan.tasks import publish_scheduled_pages

pytestmark = pytest.mark.django_db

NEW_SUMMARY = "防災情報の収集・提供、防災人材の育成（改訂）"


def edit_form_data(page: DirectionPage, **changes) -> dict:
    return {
        "title": page.title,
        "slug": page.slug,
        "number": page.number,
        "summary": page.summary,
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        **changes,
    }


@pytest.fixture
def direction(db) -> DirectionPage:
    return DirectionPage.objects.get(locale__language_code="ja", number="1-1")


def test_pr_editor_can_edit_and_submit_but_not_publish(direction, editor, approver):
    editor_permissions = direction.permissions_for_user(editor)
    assert editor_permissions.can_edit()
    assert not editor_permissions.can_publish()
    assert direction.permissions_for_user(approver).can_publish()


def test_editor_submits_and_approver_publishes_through_the_workflow(client, direction, editor, approver):
    edit_url = reverse("wagtailadmin_pages:edit", args=[direction.pk])
    client.force_login(editor)
    response = client.post(edit_url, edit_form_data(direction, summary=NEW_SUMMARY, **{"action-submit": "1"}))
    assert response.status_code == 302, response.content.decode()[:2000]

    direction.refresh_from_db()
    assert direction.summary != NEW_SUMMARY  # submitted, not live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(direction.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state

    # The editor may not approve their own submission: the task belongs to the approvers.
    assert not task_state.task.specific.user_can_access_editor(direction, editor)

    client.force_login(approver)
    action_url = reverse("wagtailadmin_pages:workflow_action", args=[direction.pk, "approve", task_state.pk])
    response = client.post(action_url, {"comment": "確認しました"})
    assert response.status_code in (200, 302)

    direction.refresh_from_db()
    assert direction.summary == NEW_SUMMARY
    main = client.get(direction.url).content.decode().split("<main", 1)[1]  # the <head> describes it too
    assert main.count(NEW_SUMMARY) == 1

    history = PageLogEntry.objects.filter(page=direction)
    assert history.filter(action="wagtail.workflow.start", user=editor).exists()
    assert history.filter(action="wagtail.workflow.approve", user=approver).exists()
    assert history.filter(action="wagtail.publish", user=approver).exists()


def test_revisions_can_be_compared_and_reverted_by_an_editor(client, direction, editor):
    first = direction.live_revision
    direction.summary = NEW_SUMMARY
    second = direction.save_revision(user=editor)
    client.force_login(editor)
    compare = client.get(reverse("wagtailadmin_pages:revisions_compare", args=[direction.pk, first.pk, second.pk]))
    assert compare.status_code == 200
    assert "改訂" in compare.content.decode()  # the diff marks the added words
    revert = client.get(reverse("wagtailadmin_pages:revisions_revert", args=[direction.pk, first.pk]))
    assert revert.status_code == 200


def test_scheduled_revision_goes_live_when_due(direction, approver):
    direction.summary = NEW_SUMMARY
    direction.go_live_at = timezone.now() + timedelta(hours=1)
    revision = direction.save_revision(user=approver)
    revision.publish(user=approver)
    direction.refresh_from_db()
    assert direction.summary != NEW_SUMMARY
    assert revision.approved_go_live_at is not None

    call_command("publish_scheduled")
    direction.refresh_from_db()
    assert direction.summary != NEW_SUMMARY  # not due yet

    two_hours_later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=two_hours_later):
        publish_scheduled_pages()  # what Celery beat runs every minute
    direction.refresh_from_db()
    assert direction.summary == NEW_SUMMARY


def test_audit_log_records_who_published(direction, approver):
    direction.summary = NEW_SUMMARY
    direction.save_revision(user=approver).publish(user=approver)
    entry = PageLogEntry.objects.filter(page=direction, action="wagtail.publish").latest("timestamp")
    assert entry.user == approver
