"""The topics board in the Wagtail admin: run the analysis, shape its topics, accept them as 論点.

Views stay thin: each action is a small form whose valid data goes to topic_services; a summary that breaks
the citation rule comes back as the form's error, and nothing is saved.
"""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations import topic_services
from consultations.masking import mask_personal_data
from consultations.models import Comment, ConsultationPage
from consultations.models.analysis import AnalysisRun, ProposedTopic, TopicPlacement

PERMISSION = "consultations.change_comment"
MEMBERS_SHOWN = 200  # per topic on the board; the rest are counted (and moved with the topic when merged)


def highlighted(text: str, words: list[str]) -> SafeString:
    """The (masked) text with the topic's key phrases found in it marked."""
    escaped = escape(text)
    if not words:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    pattern = re.compile("|".join(re.escape(escape(word)) for word in sorted(words, key=len, reverse=True)))
    return mark_safe(pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", escaped))  # noqa: S308


class RunForm(forms.Form):
    topics = forms.IntegerField(
        label=gettext_lazy("論点の数（空欄：自動）"), min_value=1, max_value=500, required=False
    )


class RenameForm(forms.Form):
    topic = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=gettext_lazy("見出し"), max_length=200)


class MembersForm(forms.Form):
    """Members chosen on the board, and where they go."""

    comments = forms.TypedMultipleChoiceField(coerce=int, required=False)
    topics = forms.TypedMultipleChoiceField(coerce=int, required=False)
    target = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    title = forms.CharField(max_length=200, required=False)

    def __init__(self, consultation: ConsultationPage, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        comment_ids = Comment.objects.filter(consultation=consultation).values_list("pk", flat=True)
        topic_ids = ProposedTopic.objects.filter(consultation=consultation).values_list("pk", flat=True)
        self.fields["comments"].choices = [(pk, pk) for pk in comment_ids]
        self.fields["topics"].choices = [(pk, pk) for pk in topic_ids]
        self.fields["target"].choices = [("", "")] + [(pk, pk) for pk in topic_ids]


class AcceptForm(forms.Form):
    topic = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label=gettext_lazy("意見の概要（各文の末尾に〔受付番号〕）"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, consultation: ConsultationPage, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.consultation = consultation

    def clean(self):
        data = super().clean()
        if "topic" in data and "summary" in data:
            topic = ProposedTopic.objects.filter(consultation=self.consultation, pk=data["topic"]).first()
            if topic is None:
                raise forms.ValidationError(_("論点の候補が見つかりません。"))
            data["proposed"] = topic
            # The rule is checked against the members the topic will have once accepted: its own.
            try:
                topic_services.parse_summary(data["summary"], topic)
            except topic_services.SummaryRefused as refused:
                self.add_error("summary", refused.messages)
        return data


def _consultation(request: HttpRequest, page_id: int) -> ConsultationPage:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return get_object_or_404(ConsultationPage, pk=page_id).source_consultation


def board(request: HttpRequest, page_id: int) -> HttpResponse:
    consultation = _consultation(request, page_id)
    accept_forms: dict[int, AcceptForm] = {}
    if request.method == "POST":
        response = _act(request, consultation, accept_forms)
        if response is not None:
            return response
    topics = list(
        ProposedTopic.objects.filter(consultation=consultation)
        .select_related("accepted_as")
        .annotate(size=Count("placements"))
        .order_by("-size", "key")
    )
    placements = (
        TopicPlacement.objects.filter(comment__consultation=consultation)
        .select_related("comment")
        .order_by("comment__receipt_number")
    )
    members: dict[int | None, list] = {}
    for placement in placements:
        members.setdefault(None if placement.outlier else placement.topic_id, []).append(placement)
    for topic in topics:
        everyone = members.get(topic.pk, [])
        topic.senders = len({p.comment.client_key or p.comment.pk for p in everyone})
        topic.campaign_entries = len({p.campaign for p in everyone if p.campaign})
        topic.members = everyone[:MEMBERS_SHOWN]
        topic.hidden_members = len(everyone) - len(topic.members)
        topic.accept_form = accept_forms.get(topic.pk) or AcceptForm(
            consultation, initial={"topic": topic.pk, "summary": topic_services.draft_summary(topic)}
        )
    outliers = members.get(None, [])[:MEMBERS_SHOWN]
    # Masking costs a morphological analysis per text: only what the page shows is masked.
    for placement in [p for topic in topics for p in topic.members] + outliers:
        placement.shown = highlighted(mask_personal_data(placement.comment.body), placement.matched)
    run = AnalysisRun.objects.filter(consultation=consultation).first()
    context = {
        "consultation": consultation,
        "topics": topics,
        "outliers": outliers,
        "run": run,
        "run_form": RunForm(),
        "status_url": reverse("consultations_analysis_status", args=[run.pk]) if run else "",
    }
    return TemplateResponse(request, "consultations/admin/topics_board.html", context)


def _act(request: HttpRequest, consultation: ConsultationPage, accept_forms: dict) -> HttpResponse | None:
    """One board action; a redirect when done, None to show the board again with a form's errors."""
    action = request.POST.get("action", "")
    here = redirect("consultations_topics_board", consultation.pk)
    if action == "run":
        form = RunForm(request.POST)
        if form.is_valid():
            run = topic_services.start_run(consultation, form.cleaned_data["topics"])
            messages.success(request, _("分析を開始しました。"))
            return redirect(f"{reverse('consultations_topics_board', args=[consultation.pk])}?run={run.pk}")
        messages.error(request, _("論点の数は1から500の整数で入力してください。"))
        return here
    if action == "rename":
        form = RenameForm(request.POST)
        if form.is_valid():
            ProposedTopic.objects.filter(consultation=consultation, pk=form.cleaned_data["topic"]).update(
                title=form.cleaned_data["title"]
            )
        return here
    if action == "accept":
        form = AcceptForm(consultation, request.POST)
        if form.is_valid():
            topic_services.accept_topic(form.cleaned_data["proposed"], form.cleaned_data["summary"])
            messages.success(request, _("論点として採用しました。県の考え方と反映状況を入力してください。"))
            return here
        accept_forms[int(request.POST.get("topic") or 0)] = form
        messages.error(request, _("意見の概要を保存できませんでした。エラーを確認してください。"))
        return None
    form = MembersForm(consultation, request.POST)
    if not form.is_valid():
        messages.error(request, _("選んだ意見または論点が見つかりません。"))
        return here
    data = form.cleaned_data
    topics = list(ProposedTopic.objects.filter(consultation=consultation, pk__in=data["topics"]).order_by("pk"))
    if action == "merge" and len(topics) >= 2:
        topic_services.merge_topics(topics[0], topics[1:])
    elif action == "split" and data["comments"] and data["title"]:
        source = TopicPlacement.objects.filter(comment_id=data["comments"][0]).values_list("topic", flat=True).first()
        if source:
            topic_services.split_topic(ProposedTopic.objects.get(pk=source), data["comments"], data["title"])
    elif action == "move" and data["comments"] and data["target"]:
        topic_services.move_comments(data["comments"], ProposedTopic.objects.get(pk=data["target"]))
    elif action == "outliers" and data["comments"]:
        topic_services.mark_outliers(data["comments"], consultation)
    else:
        messages.error(request, _("操作に必要な意見・論点・見出しを選んでください。"))
    return here


def run_status(request: HttpRequest, run_id: int) -> JsonResponse:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    run = get_object_or_404(AnalysisRun, pk=run_id)
    return JsonResponse({"status": run.status, "progress": run.progress, "step": run.step, "error": run.error})
