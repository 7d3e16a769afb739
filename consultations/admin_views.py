"""Admin additions for moderators: comment filters, the state-change history panel, bulk actions, exports."""

from urllib.parse import urlencode

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import Panel
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import IndexView

from consultations import exports, response_table, services
from consultations.choices import RESIDENCE_CHOICES, AgeGroup, Channel, CommentState
from consultations.models import Comment, ConsultationPage, ResponseTopic
from consultations.models.comments import state_choices_from
from home.ids import parse_id
from plan.models import AreaPage, InitiativePage


def target_choices() -> list[tuple[str, str]]:
    pages = [
        *AreaPage.objects.filter(locale__language_code="ja"),
        *InitiativePage.objects.filter(locale__language_code="ja"),
    ]
    pages.sort(key=lambda page: page.path)
    return [(str(page.translation_key), f"{getattr(page, 'number', '')} {page.title}".strip()) for page in pages]


class IdModelChoiceField(django_filters.fields.ModelChoiceField):
    """A page chooser whose id is checked before the query: a page's key is a relation, where Django does not
    turn an id beyond 64 bits into "not found" as it does for plain integer keys."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(str(value)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ConsultationFilter(django_filters.ModelChoiceFilter):
    field_class = IdModelChoiceField


class CommentFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label=_("状態"), choices=CommentState.choices)
    consultation = ConsultationFilter(label=_("意見募集"), queryset=ConsultationPage.objects.all())
    target = django_filters.ChoiceFilter(label=_("対象のカード・分野"), choices=target_choices, method="filter_target")
    residence = django_filters.ChoiceFilter(label=_("お住まい"), choices=RESIDENCE_CHOICES[1:])
    age_group = django_filters.ChoiceFilter(label=_("年代"), choices=AgeGroup.choices[1:])
    language = django_filters.CharFilter(label=_("言語"))
    channel = django_filters.ChoiceFilter(label=_("提出方法"), choices=Channel.choices)
    submitted_at = django_filters.DateFromToRangeFilter(label=_("受付日"), widget=DateRangePickerWidget)
    topic = django_filters.ModelChoiceFilter(
        label=_("論点"),
        queryset=ResponseTopic.objects.select_related("consultation"),
        null_label=_("論点なし（未設定）"),
    )
    # Reached from a comment's "同一意見" link, which fills it in; staff need not type the group's key.
    fingerprint = django_filters.CharFilter(
        label=_("同一意見のグループ（一覧の「同一意見」の件数から開きます）"), max_length=32
    )

    class Meta:
        model = Comment
        fields = []

    def filter_target(self, queryset, name, value):
        return queryset.filter(target_page__translation_key=value)


class SameTextColumn(Column):
    """How many comments of the consultation share this one's text, as a link to that group."""

    cell_template_name = "consultations/admin/same_text_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        query = urlencode({"consultation": instance.consultation_id, "fingerprint": instance.fingerprint})
        context["group_url"] = reverse("wagtailsnippets_consultations_comment:list") + "?" + query
        return context


class TopicColumn(Column):
    """The comment's 論点, as a link to the other comments under it."""

    cell_template_name = "consultations/admin/topic_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if instance.topic_id:
            query = urlencode({"topic": instance.topic_id})
            context["topic_url"] = reverse("wagtailsnippets_consultations_comment:list") + "?" + query
        return context


class TopicCommentsColumn(Column):
    """A 論点's number of comments, as a link to them in the comment list (where they can be moved)."""

    cell_template_name = "consultations/admin/topic_comments_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["comments_url"] = topic_comments_url(instance)
        return context


def topic_comments_url(topic: ResponseTopic) -> str:
    return reverse("wagtailsnippets_consultations_comment:list") + "?" + urlencode({"topic": topic.pk})


class TopicCommentsPanel(Panel):
    """On a 論点's edit form: its comments by state, the first of them, and a link to move them."""

    SHOWN = 20

    class BoundPanel(Panel.BoundPanel):
        template_name = "consultations/admin/topic_comments_panel.html"

        def is_shown(self) -> bool:
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            comments = self.instance.comments.order_by("submitted_at", "pk")
            counts = dict(comments.order_by().values_list("state").annotate(n=Count("pk")))
            context["by_state"] = [(label, counts[value]) for value, label in CommentState.choices if value in counts]
            context["total"] = sum(counts.values())
            context["comments"] = comments[: TopicCommentsPanel.SHOWN]
            context["comments_url"] = topic_comments_url(self.instance)
            return context


class ResponseTopicFilterSet(WagtailFilterSet):
    consultation = ConsultationFilter(label=_("意見募集"), queryset=ConsultationPage.objects.all())

    class Meta:
        model = ResponseTopic
        fields = ["reflection"]


class CommentAdminForm(WagtailAdminModelForm):
    """The comment's add/edit form: its state changes only through Comment.change_state, by the signed-in user."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.state_before = "" if self.instance._state.adding else self.instance.state
        if "state" in self.fields:
            self.fields["state"].choices = state_choices_from(self.state_before)

    def save(self, commit: bool = True) -> Comment:
        comment = super().save(commit=False)
        new_state, comment.state = comment.state, self.state_before or comment.state
        with transaction.atomic():
            if self.state_before:
                comment.save()
                if new_state != self.state_before:
                    comment.change_state(new_state, by=self.for_user)
            else:
                # Staff typed it in, so they know of it; a receipt still goes out if the sender gave an e-mail.
                comment.moderators_notified_at = timezone.now()
                comment.change_state(new_state, by=self.for_user, note=comment.channel)
        return comment


class CommentIndexView(IndexView):
    @cached_property
    def add_url(self):
        # 意見を追加 opens the intake form for typed-up comments (admin_intake), not the generic edit form.
        return reverse("consultations_comment_intake") if self.user_has_permission("add") else None

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        for fmt, label in (("csv", _("CSVで書き出す")), ("xlsx", _("Excelで書き出す"))):
            url = reverse("consultations_comment_export", args=[fmt]) + "?" + self.request.GET.urlencode()
            buttons.append(HeaderButton(label, url=url, icon_name="download"))
        if self.request.user.has_perm("consultations.change_comment"):
            query = self.request.GET.copy()
            for name in ("p", "ordering"):
                query.pop(name, None)
            url = reverse("consultations_comment_bulk") + ("?" + query.urlencode() if query else "")
            buttons.append(HeaderButton(_("絞り込んだ意見を一括処理"), url=url, icon_name="tasks"))
        if self.request.user.has_perm("consultations.add_comment"):
            url = reverse("consultations_comment_import")
            buttons.append(HeaderButton(_("ファイルから取り込む"), url=url, icon_name="upload"))
        return buttons


class ResponseTopicIndexView(IndexView):
    """The 論点 list: one click to the table 意見の概要と県の考え方 of the filtered consultation (the newest one when
    none is chosen), before or after the results are public."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        chosen = parse_id(self.request.GET.get("consultation", ""))
        consultations = ConsultationPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("-pk")
        page = consultations.filter(pk=chosen).first() if chosen is not None else consultations.first()
        if page is not None:
            url = reverse("consultations_response_table", args=[page.pk, "xlsx"])
            buttons.append(HeaderButton(_("意見の概要と県の考え方（Excel）"), url=url, icon_name="download"))
        return buttons


def export_response_table(request: HttpRequest, page_id: int, fmt: str) -> HttpResponse:
    if not request.user.has_perm("consultations.view_responsetopic"):
        raise PermissionDenied
    page = ConsultationPage.objects.filter(pk=page_id).first()
    if page is None or fmt not in response_table.CONTENT_TYPES:
        raise Http404
    return response_table.table_response(page.source_consultation, fmt)


class StateHistoryPanel(Panel):
    """Who changed the comment's state, and when (read-only, shown on the edit form)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "consultations/admin/state_history_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["history"] = self.instance.history.select_related("changed_by") if self.instance.pk else []
            context["purged_at"] = self.instance.personal_data_purged_at
            return context


class MachineTranslationPanel(Panel):
    """The comment in Japanese from the configured machine translator (DeepL, or the offline memory)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "consultations/admin/machine_translation_panel.html"

        def is_shown(self) -> bool:
            return bool(self.instance.pk) and not self.instance.language.startswith("ja")

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["language"] = self.instance.language
            context["rendering"] = services.japanese_rendering(self.instance)
            context["translator_configured"] = bool(settings.DEEPL_API_KEY)
            return context


def export_comments(request: HttpRequest, fmt: str) -> HttpResponse:
    if not request.user.has_perm("consultations.view_comment"):
        raise PermissionDenied
    comments = CommentFilterSet(request.GET, queryset=Comment.objects.all(), request=request).qs
    if fmt == "xlsx":
        return exports.staff_xlsx_response(comments)
    return exports.staff_csv_response(comments)


class CommentStateBulkAction(SnippetBulkAction):
    models = [Comment]
    template_name = "consultations/admin/confirm_state_change.html"
    new_state = ""

    def check_perm(self, snippet) -> bool:
        return self.request.user.has_perm("consultations.change_comment")

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        ids = [comment.pk for comment in objects]
        changed = services.change_state(Comment.objects.filter(pk__in=ids), cls.new_state, user)
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d件の意見を「%(state)s」にしました。",
            "%(count)d件の意見を「%(state)s」にしました。",
            num_parent_objects,
        ) % {"count": num_parent_objects, "state": CommentState(self.new_state).label}


class PublishCommentsBulkAction(CommentStateBulkAction):
    display_name = _("公開する")
    action_type = "publish_comments"
    aria_label = _("選んだ意見を公開する")
    new_state = CommentState.PUBLISHED
    action_priority = 10

    def get_context_data(self, **kwargs):
        # What is about to become public: the pages show it masked, but moderators are told before they confirm.
        context = super().get_context_data(**kwargs)
        context["personal_data"] = [
            (entry, kinds) for entry in context["items"] if (kinds := entry["item"].personal_data_found)
        ]
        return context


class RejectCommentsBulkAction(CommentStateBulkAction):
    display_name = _("対象外にする")
    action_type = "reject_comments"
    aria_label = _("選んだ意見を対象外にする")
    new_state = CommentState.REJECTED
    action_priority = 20


class SpamCommentsBulkAction(CommentStateBulkAction):
    display_name = _("スパムにする")
    action_type = "spam_comments"
    aria_label = _("選んだ意見をスパムにする")
    new_state = CommentState.SPAM
    action_priority = 30
    classes = {"serious"}
