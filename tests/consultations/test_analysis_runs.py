"""The analysis on stored comments: the command's JSON contract, masking, what staff confirmed, accepting a
topic with a cited summary, the citation rule as a failed command."""

import json

import pytest
from django.core.management import CommandError, call_command

from consultations import topic_services
from consultations.choices import Publication
from consultations.models import Comment, ProposedTopic, ResponseTopic, TopicPlacement


def run_json(consultation, tmp_path, *args) -> dict:
    out = tmp_path / "analysis.json"
    call_command("analyse_comments", consultation.slug, "--json", str(out), *args)
    return json.loads(out.read_text(encoding="utf-8"))


def test_command_writes_the_contract_json_without_spam_and_with_masked_text(consultation, analysis_comments, tmp_path):
    data = run_json(consultation, tmp_path)
    assert set(data) == {"comments", "topics"}
    receipts = {c["receipt"] for c in data["comments"]}
    assert analysis_comments[-1].receipt_number not in receipts  # spam is not analysed
    assert len(receipts) == len(analysis_comments) - 1
    for comment in data["comments"]:
        assert set(comment) == {"receipt", "external_id", "text", "language", "topic", "campaign"}
    phone = next(c for c in data["comments"] if c["receipt"] == analysis_comments[8].receipt_number)
    assert "059-224-3086" not in phone["text"] and "［電話番号］" in phone["text"]
    for topic in data["topics"]:
        assert set(topic) == {"key", "title", "targets", "comments", "senders", "campaigns", "summary"}
        for sentence in topic["summary"]:
            assert set(sentence) == {"text", "cites"} and sentence["cites"]
    letters = sorted(c.receipt_number for c in analysis_comments[:3])
    assert any(letters in topic["campaigns"] for topic in data["topics"])
    campaign = {c["receipt"]: c["campaign"] for c in data["comments"]}
    assert campaign[letters[0]] == campaign[letters[1]] == campaign[letters[2]] is not None


def test_command_output_is_byte_identical_on_a_second_run(consultation, analysis_comments, tmp_path):
    first = (tmp_path / "1.json", tmp_path / "2.json")
    call_command("analyse_comments", str(consultation.pk), "--json", str(first[0]))
    call_command("analyse_comments", consultation.slug, "--json", str(first[1]))
    assert first[0].read_bytes() == first[1].read_bytes()


def test_command_takes_the_number_of_topics(consultation, analysis_comments, tmp_path):
    data = run_json(consultation, tmp_path, "--topics", "2")
    assert len([t for t in data["topics"] if t["key"] != "foreign"]) == 2


@pytest.mark.parametrize("args", [["no-such-consultation"], ["{slug}", "--topics", "0"], ["{slug}", "--topics", "x"]])
def test_command_refuses_bad_arguments(consultation, args):
    with pytest.raises(CommandError):
        call_command("analyse_comments", *[arg.format(slug=consultation.slug) for arg in args])


def test_run_stores_topics_and_places_every_comment(consultation, analysis_comments):
    topic_services.run_analysis(consultation)
    placed = TopicPlacement.objects.filter(comment__consultation=consultation)
    assert placed.count() == len(analysis_comments) - 1
    assert ProposedTopic.objects.filter(consultation=consultation).exists()
    assert not placed.filter(topic__isnull=True).exists()


def test_rerun_never_moves_what_staff_confirmed(consultation, analysis_comments, card):
    topic_services.run_analysis(consultation)
    drone = TopicPlacement.objects.get(comment=analysis_comments[5]).topic
    paper = TopicPlacement.objects.get(comment=analysis_comments[0]).topic
    assert drone != paper
    topic_services.move_comments([analysis_comments[5].pk], paper)  # staff decide it belongs with the paper letter
    Comment.objects.create(
        consultation=consultation,
        target_page=card("2-4-2"),
        target_part="measure",
        body="ドローンの実証実験は住民に説明してから行ってください。",
        publication=Publication.ANONYMOUS,
    )
    topic_services.run_analysis(consultation)
    assert TopicPlacement.objects.get(comment=analysis_comments[5]).topic == paper


def test_accepting_a_topic_makes_a_response_topic_with_cited_sentences(consultation, analysis_comments):
    topic_services.run_analysis(consultation)
    topic = TopicPlacement.objects.get(comment=analysis_comments[6]).topic
    response = topic_services.accept_topic(topic)
    members = set(Comment.objects.filter(placement__topic=topic))
    assert set(response.comments.all()) == members
    assert response.sentences.exists()
    for sentence in response.sentences.all():
        assert set(sentence.cites.all()) <= members
    assert "〔" not in response.summary and response.summary  # the public summary carries no receipt numbers


def test_typed_summary_citing_a_comment_of_another_topic_is_refused(consultation, analysis_comments):
    topic_services.run_analysis(consultation)
    response = topic_services.accept_topic(TopicPlacement.objects.get(comment=analysis_comments[6]).topic)
    before = list(response.sentences.values_list("text", flat=True))
    outsider = analysis_comments[3].receipt_number
    with pytest.raises(topic_services.SummaryRefused) as refused:
        topic_services.set_summary(response, f"電子申請の入口をまとめるよう求める意見。〔{outsider}〕")
    assert "この論点に含まれていません" in refused.value.messages[0]
    assert list(response.sentences.values_list("text", flat=True)) == before  # nothing half-saved


def test_command_fails_when_a_stored_summary_breaks_the_rule(consultation, analysis_comments, tmp_path):
    topic_services.run_analysis(consultation)
    response = topic_services.accept_topic(TopicPlacement.objects.get(comment=analysis_comments[6]).topic)
    # The cited comment leaves the topic afterwards: the stored sentence no longer stands.
    cited = response.sentences.first().cites.first()
    Comment.objects.filter(pk=cited.pk).update(
        topic=ResponseTopic.objects.create(consultation=consultation, title="別", summary="", response="")
    )
    with pytest.raises(CommandError, match="citation rule"):
        call_command("analyse_comments", consultation.slug, "--json", str(tmp_path / "out.json"))


def test_json_carries_the_imported_comments_external_id(consultation, analysis_comments, tmp_path):
    Comment.objects.filter(pk=analysis_comments[3].pk).update(external_id="FAX-0012")
    data = run_json(consultation, tmp_path)
    found = {c["receipt"]: c["external_id"] for c in data["comments"]}
    assert found[analysis_comments[3].receipt_number] == "FAX-0012"
    assert found[analysis_comments[4].receipt_number] == ""
