"""The moderators' queue: the dashboard panel, the queue itself (the comment list opened on 受付済み, oldest first)
and bulk work on every comment a filter matches, not only the page of 50 on screen.

Bulk work is two steps: choose what to do, then confirm on a screen that lists every comment it touches, says
which of them will be public afterwards and flags personal data found in those. The confirm screen carries the
ids it listed, so what is done is exactly what was shown, even if new comments arrive meanwhile.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.ui.components import Component

from consultations import services
from consultations.admin_views import CommentFilterSet
from consultations.choices import CommentState, Publication
from consultations.masking import personal_data_kinds
from consultations.models import Comment, ResponseTopic
from consultations.models.comments import IllegalStateChange

PERMISSION = "consultations.change_comment"
SEARCH_FIELDS = ("receipt_number", "body", "target_label", "name", "email")
# The listing's own parameters, which say how to show the list, not which comments are in it.
LISTING_PARAMETERS = {"p", "ordering", "export"}
WAITING = CommentState.RECEIVED


def comment_list_url(query: dict | QueryDict | None = None) -> str:
    url = reverse("wagtailsnippets_consultations_comment:list")
    if isinstance(query, QueryDict):
        return f"{url}?{query.urlencode()}" if query else url
    return f"{url}?{urlencode(query)}" if query else url


def queue_url() -> str:
    return comment_list_url({"state": WAITING, "ordering": "submitted_at"})


def queue(request: HttpRequest) -> HttpResponse:
    """The queue: what waits for a moderator, oldest first."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    return redirect(queue_url())


def filtered_comments(query: QueryDict, request: HttpRequest):
    """The comments the listing with this query shows, on every page of it (filters and the search box)."""
    filters = CommentFilterSet(query, queryset=Comment.objects.all(), request=request)
    comments = filters.qs if filters.is_valid() else Comment.objects.none()
    words = query.get("q", "").strip()
    if words:
        matches = Q()
        for field in SEARCH_FIELDS:
            matches |= Q(**{f"{field}__icontains": words})
        comments = comments.filter(matches)
    return comments, filters


def filter_query(query: QueryDict) -> QueryDict:
    kept = query.copy()
    for name in LISTING_PARAMETERS:
        kept.pop(name, None)
    return kept


@dataclass
class QueueCounts:
    waiting: int
    needs_topic: int
    personal_data: int
    oldest_waiting: object  # a datetime, or None

    @classmethod
    def now(cls) -> "QueueCounts":
        open_work = Comment.objects.filter(state__in=(WAITING, CommentState.PUBLISHED))
        waiting = Comment.objects.filter(state=WAITING)
        # Detection reads each text (a morphological analysis for names): only what still matters to staff.
        bodies = open_work.filter(personal_data_purged_at=None).values_list("body", flat=True)
        return cls(
            waiting=waiting.count(),
            needs_topic=Comment.objects.filter(state=CommentState.PUBLISHED, topic=None).count(),
            personal_data=sum(1 for body in bodies.iterator() if personal_data_kinds(body)),
            oldest_waiting=waiting.aggregate(oldest=Min("submitted_at"))["oldest"],
        )


class QueuePanel(Component):
    """The dashboard's summary of the moderators' work, each number a link to those comments."""

    name = "comment_queue"
    order = 50
    template_name = "consultations/admin/queue_panel.html"

    def get_context_data(self, parent_context=None):
        counts = QueueCounts.now()
        return {
            "counts": counts,
            "queue_url": queue_url(),
            "needs_topic_url": comment_list_url({"topic": "null", "state": CommentState.PUBLISHED}),
            "all_url": comment_list_url(),
        }


ASSIGN = "assign"
CLEAR_TOPIC = "clear_topic"


def action_choices() -> list[tuple[str, str]]:
    states = [
        (f"state:{value}", _("状態を「%(state)s」にする") % {"state": label})
        for value, label in CommentState.choices
        if value != WAITING  # a decision is never undone back to waiting (STATE_CHANGES)
    ]
    return [(ASSIGN, _("論点に割り当てる（移す）")), (CLEAR_TOPIC, _("論点の割り当てを外す")), *states]


class BulkForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("操作"), choices=action_choices)
    topic = forms.ModelChoiceField(
        label=gettext_lazy("論点"),
        queryset=ResponseTopic.objects.select_related("consultation").order_by("consultation", "sort_order", "pk"),
        required=False,
        help_text=gettext_lazy("「論点に割り当てる」のときに選びます。"),
    )
    ids = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, consultation_id=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if consultation_id is not None:
            self.fields["topic"].queryset = self.fields["topic"].queryset.filter(consultation_id=consultation_id)

    def clean(self):
        data = super().clean()
        if data.get("action") == ASSIGN and not data.get("topic"):
            self.add_error("topic", _("割り当てる論点を選んでください。"))
        return data

    @property
    def new_state(self) -> str:
        action = self.cleaned_data["action"]
        return action.removeprefix("state:") if action.startswith("state:") else ""

    def confirmed_ids(self) -> list[int] | None:
        raw = self.cleaned_data.get("ids", "")
        if not raw:
            return None
        try:
            return [int(part) for part in raw.split(",")]
        except ValueError:
            return []


def will_be_public(comments: list[Comment], form: BulkForm) -> list[Comment]:
    """Those of `comments` that are on public pages once the action is done (the results page for topics)."""
    state = form.new_state
    if form.cleaned_data["action"] in (ASSIGN, CLEAR_TOPIC):
        shown = [c for c in comments if c.state == CommentState.PUBLISHED]
    elif state == CommentState.PUBLISHED:
        shown = [c for c in comments if c.state != CommentState.PUBLISHED]
    else:
        shown = []
    return [c for c in shown if c.publication != Publication.NOT_PUBLISHED]


def bulk(request: HttpRequest) -> HttpResponse:
    """Choose an action for every comment the list's filter matches, confirm, do it."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    query = filter_query(request.GET)
    comments, filters = filtered_comments(query, request)
    consultation = filters.form.cleaned_data.get("consultation") if filters.is_valid() else None
    consultation_id = consultation.source_consultation.pk if consultation else None
    form = BulkForm(request.POST or None, consultation_id=consultation_id)
    context = {"form": form, "query": query.urlencode(), "list_url": comment_list_url(query), "step": "choose"}
    if request.method != "POST" or not form.is_valid():
        context["count"] = comments.count()
        return TemplateResponse(request, "consultations/admin/bulk.html", context)

    ids = form.confirmed_ids()
    if ids is None:  # first POST: the confirm screen, listing every comment the action will touch
        chosen = list(comments.order_by("submitted_at", "pk"))
        public = will_be_public(chosen, form)
        flagged = [(c, c.personal_data_found) for c in public]
        context |= {
            "step": "confirm",
            "comments": chosen,
            "count": len(chosen),
            "public": public,
            "flagged": [(c, kinds) for c, kinds in flagged if kinds],
            "ids": ",".join(str(c.pk) for c in chosen),
            "action_label": dict(form.fields["action"].choices)[form.cleaned_data["action"]],
            "topic": form.cleaned_data.get("topic"),
        }
        return TemplateResponse(request, "consultations/admin/bulk.html", context)

    chosen = comments.filter(pk__in=ids)
    try:
        done = _execute(form, chosen, request.user)
    except services.WrongConsultation as refusal:
        messages.error(request, str(refusal))
        return redirect(comment_list_url(query))
    except IllegalStateChange:
        messages.error(request, _("この状態には変更できない意見が含まれています。何も変更していません。"))
        return redirect(comment_list_url(query))
    messages.success(
        request,
        ngettext("%(count)d件の意見を処理しました。", "%(count)d件の意見を処理しました。", done) % {"count": done},
    )
    return redirect(comment_list_url(query))


def _execute(form: BulkForm, comments, user) -> int:
    action = form.cleaned_data["action"]
    if action == ASSIGN:
        return services.assign_topic(comments, form.cleaned_data["topic"])
    if action == CLEAR_TOPIC:
        return services.assign_topic(comments, None)
    return services.change_state(comments, form.new_state, user, note=_("一括操作"))
