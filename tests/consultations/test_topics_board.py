"""Staff shape the analysis in the admin: the run button and its progress, merge, split, move, outliers, accept;
the citation rule is a form error on the board and on the 論点's own form, and the results link each sentence to
the published comments it cites."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import topic_services
from consultations.choices import CommentState
from consultations.models import AnalysisRun, Comment, ProposedTopic, ResponseTopic, TopicPlacement


@pytest.fixture
def board_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def analysed(consultation, analysis_comments):
    topic_services.run_analysis(consultation)
    return analysis_comments


def board_url(consultation) -> str:
    return reverse("consultations_topics_board", args=[consultation.pk])


def topic_of(comment: Comment) -> ProposedTopic:
    return TopicPlacement.objects.get(comment=comment).topic


def test_run_button_runs_the_analysis_and_its_status_reports_done(
    board_client, consultation, analysis_comments, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = board_client.post(board_url(consultation), {"action": "run", "topics": ""})
    assert response.status_code == 302
    run = AnalysisRun.objects.get(consultation=consultation)
    status = board_client.get(reverse("consultations_analysis_status", args=[run.pk])).json()
    assert (status["status"], status["progress"]) == ("done", 100)
    page = board_client.get(board_url(consultation)).content.decode()
    assert "<progress" in page and "<mark>" in page  # progress bar, matched words highlighted
    assert "059-224-3086" not in page  # the board shows masked text


def test_board_is_for_moderators_only(client, editor, consultation):
    client.force_login(editor)
    assert client.get(board_url(consultation)).status_code in {302, 403}


def test_merge_split_move_and_outliers_from_the_board(board_client, consultation, analysed):
    paper, drone = topic_of(analysed[0]), topic_of(analysed[5])
    board_client.post(board_url(consultation), {"action": "merge", "topics": [paper.pk, drone.pk]})
    kept = ProposedTopic.objects.get(pk=min(paper.pk, drone.pk))
    assert topic_of(analysed[5]) == topic_of(analysed[0]) == kept
    board_client.post(
        board_url(consultation), {"action": "split", "comments": [analysed[5].pk, analysed[6].pk], "title": "ドローン"}
    )
    split = topic_of(analysed[5])
    assert split.title == "ドローン" and topic_of(analysed[6]) == split and topic_of(analysed[0]) == kept
    board_client.post(board_url(consultation), {"action": "move", "comments": [analysed[7].pk], "target": split.pk})
    assert topic_of(analysed[7]) == split and TopicPlacement.objects.get(comment=analysed[7]).confirmed
    board_client.post(board_url(consultation), {"action": "outliers", "comments": [analysed[8].pk]})
    placement = TopicPlacement.objects.get(comment=analysed[8])
    assert placement.outlier and placement.topic is None
    topic_services.run_analysis(consultation)  # a re-run keeps every decision
    assert topic_of(analysed[7]) == split and TopicPlacement.objects.get(comment=analysed[8]).outlier


def test_accepting_with_a_sentence_citing_another_topic_is_a_form_error(board_client, consultation, analysed):
    topic = topic_of(analysed[6])
    outsider = analysed[3].receipt_number
    response = board_client.post(
        board_url(consultation),
        {"action": "accept", "topic": topic.pk, "summary": f"電子申請の入口をまとめるよう求める意見。〔{outsider}〕"},
    )
    assert response.status_code == 200
    assert "この論点に含まれていません" in response.content.decode()
    assert not ResponseTopic.objects.filter(consultation=consultation).exists()


def test_accepting_with_the_draft_makes_the_topic_a_response_topic(board_client, consultation, analysed):
    topic = topic_of(analysed[6])
    draft = topic_services.draft_summary(topic)
    response = board_client.post(board_url(consultation), {"action": "accept", "topic": topic.pk, "summary": draft})
    assert response.status_code == 302
    accepted = ResponseTopic.objects.get(proposal=topic)
    assert analysed[6] in accepted.comments.all() and accepted.sentences.count() == topic.sentences.count()


def test_response_topic_form_refuses_a_summary_without_citations(board_client, consultation, analysed):
    response_topic = topic_services.accept_topic(topic_of(analysed[6]))
    url = reverse("wagtailsnippets_consultations_responsetopic:edit", args=[response_topic.pk])
    form = board_client.get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data |= {"consultation": consultation.pk, "summary": "ドローンの騒音を心配する意見。", "response": "検討します。"}
    data = {key: value for key, value in data.items() if value is not None}
    response = board_client.post(url, data)
    assert response.status_code == 200
    assert "根拠となる意見の受付番号" in response.content.decode()
    response_topic.refresh_from_db()
    assert response_topic.response == ""  # nothing saved


def test_results_link_a_sentence_to_the_published_comments_it_cites(client, consultation, analysed):
    response_topic = topic_services.accept_topic(topic_of(analysed[6]))
    sentence = response_topic.sentences.first()
    cited = list(sentence.cites.all())
    Comment.objects.filter(pk__in=[c.pk for c in cited]).update(state=CommentState.PUBLISHED)
    Comment.objects.filter(pk=analysed[3].pk).update(state=CommentState.PUBLISHED)  # published, not cited
    consultation.closes_at = timezone.now() - timedelta(days=1)  # results follow the period (issue 13)
    consultation.opens_at = consultation.closes_at - timedelta(days=40)
    consultation.results_published = True
    consultation.save_revision().publish()
    page = client.get(consultation.url + f"results/?sentence={sentence.pk}").content.decode()
    assert f"?sentence={sentence.pk}#comments" in client.get(consultation.url + "results/").content.decode()
    assert "〔" not in page
    assert analysed[3].body not in page
    assert any(comment.body[:20] in page for comment in cited)
