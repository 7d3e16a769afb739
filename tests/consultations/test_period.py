"""The consultation's period and results follow the law's order: no results while the period runs; ending a
period early is its own action, with a reason the public sees and the page history keeps."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from consultations.models import Comment, ConsultationPage
from consultations.services import CLOSE_EARLY_LOG_ACTION
from consultations.wagtail_hooks import warn_if_comments_wait

pytestmark = pytest.mark.django_db

REASON = "計画の改定日程が早まったため、募集期間を短縮します。"


def test_results_cannot_be_published_while_the_period_is_open(consultation):
    consultation.results_published = True
    with pytest.raises(ValidationError) as refused:
        consultation.save_revision()  # validates like the admin's publish, scripts and the API
    assert "募集期間中は結果を公表できません" in str(refused.value)
    consultation.refresh_from_db()
    assert not consultation.results_published and consultation.is_open()


def test_results_can_be_published_once_the_period_has_ended(closed_consultation):
    closed_consultation.results_published = True
    closed_consultation.save_revision().publish()
    closed_consultation.refresh_from_db()
    assert closed_consultation.results_published


def test_an_approver_closes_the_consultation_early_with_a_reason(client, approver, consultation, comment_data):
    client.force_login(approver)
    url = reverse("consultations_close_early", args=[consultation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": REASON})
    assert response.status_code == 302

    before = timezone.now()
    for page in ConsultationPage.objects.filter(alias_of__isnull=True):
        assert not page.is_open(), page.locale.language_code
        assert page.closes_at <= before and page.closed_early_reason == REASON
    entry = PageLogEntry.objects.get(page=consultation, action=CLOSE_EARLY_LOG_ACTION)
    assert entry.user == approver and entry.data["reason"] == REASON

    client.logout()
    public = client.get(consultation.url).content.decode()
    assert "予定より早く" in public and REASON in public
    refused = client.post(consultation.url + "comment/", comment_data())
    assert refused.status_code == 403 and Comment.objects.count() == 0


def test_closing_early_needs_a_reason(client, approver, consultation):
    client.force_login(approver)
    response = client.post(reverse("consultations_close_early", args=[consultation.pk]), {"reason": ""})
    assert response.status_code == 200
    consultation.refresh_from_db()
    assert consultation.is_open() and not consultation.closed_early_at


def test_an_editor_who_cannot_publish_cannot_close_early(client, editor, consultation):
    client.force_login(editor)
    response = client.post(reverse("consultations_close_early", args=[consultation.pk]), {"reason": REASON})
    # Wagtail's admin answers a refused permission by sending the user to the dashboard with a message.
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    consultation.refresh_from_db()
    assert consultation.is_open()


def test_publishing_results_warns_when_comments_still_wait(rf, closed_consultation):
    Comment.objects.create(consultation=closed_consultation, body="未確認の意見", publication="anonymous")
    closed_consultation.results_published = True
    closed_consultation.save_revision().publish()
    request = rf.post("/admin/")
    request.session = {}
    request._messages = FallbackStorage(request)
    warn_if_comments_wait(request, closed_consultation)
    (warning,) = list(get_messages(request))
    assert "まだ確認していない意見が1件" in str(warning)


@pytest.mark.parametrize(("language", "zone"), [("ja", "（日本時間）"), ("en", " (JST)"), ("ko", " (일본 시간)")])
def test_the_period_says_its_time_zone_in_every_language(client, language, zone):
    page = ConsultationPage.objects.get(locale__language_code=language)
    html = client.get(page.url).content.decode()
    period = html.split('class="consultation__period"', 1)[1].split("</dl>", 1)[0]
    assert period.count(zone) == 2, period
