from django.contrib import messages
from django.db.models import Count
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from consultations import admin_import, admin_intake, admin_period, admin_queue, admin_views, topic_admin
from consultations.choices import CommentState
from consultations.forms import ResponseTopicForm
from consultations.models import Comment, ConsultationPage, ReflectionStatus, ResponseTopic
from consultations.services import CLOSE_EARLY_LOG_ACTION, PURGE_LOG_ACTION
from home.hooks import HOME_PAGE_CONTEXT


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = gettext_lazy("意見一覧")
    index_view_class = admin_views.CommentIndexView
    filterset_class = admin_views.CommentFilterSet
    list_per_page = 50
    inspect_view_enabled = True
    search_fields = ["receipt_number", "body", "target_label", "name", "email"]
    search_backend_name = None  # SQL substring search: finds Japanese words the full-text backend would miss
    list_display = [
        "receipt_number",
        Column("short_body", label=gettext_lazy("ご意見（冒頭）")),
        "target_label",
        admin_views.TopicColumn("topic", label=gettext_lazy("論点"), sort_key="topic__title"),
        admin_views.SameTextColumn("group_size", label=gettext_lazy("同一意見数"), sort_key="group_size"),
        "state",
        "language",
        DateColumn("submitted_at", label=gettext_lazy("受付日時")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("consultation"),
                            FieldRowPanel([FieldPanel("channel"), FieldPanel("submitted_at")]),
                            FieldPanel("target_page"),
                            FieldRowPanel([FieldPanel("target_part"), FieldPanel("target_label")]),
                        ],
                        heading=gettext_lazy("受付"),
                    ),
                    FieldPanel("body"),
                    admin_views.MachineTranslationPanel(heading=gettext_lazy("機械翻訳（日本語）")),
                    MultiFieldPanel(
                        [
                            FieldPanel("name"),
                            FieldRowPanel([FieldPanel("age_group"), FieldPanel("residence")]),
                            FieldPanel("email"),
                            FieldPanel("publication"),
                            FieldPanel("language"),
                        ],
                        heading=gettext_lazy("提出者（個人情報：意見担当のみ閲覧可）"),
                    ),
                    MultiFieldPanel(
                        [FieldPanel("state"), FieldPanel("topic"), FieldPanel("moderator_note")],
                        heading=gettext_lazy("対応"),
                    ),
                ],
                heading=gettext_lazy("意見"),
            ),
            ObjectList(
                [admin_views.StateHistoryPanel(heading=gettext_lazy("状態の変更履歴"))],
                heading=gettext_lazy("履歴"),
            ),
        ],
        base_form_class=admin_views.CommentAdminForm,
    )

    def get_queryset(self, request):
        return Comment.objects.with_group_size().select_related("consultation", "topic")


class ResponseTopicViewSet(SnippetViewSet):
    model = ResponseTopic
    icon = "doc-full"
    menu_label = gettext_lazy("論点と県の考え方")
    index_view_class = admin_views.ResponseTopicIndexView
    list_display = [
        "title",
        admin_views.TopicCommentsColumn("comment_count", label=gettext_lazy("意見数"), sort_key="comment_count"),
        "reflection",
        "consultation",
        "target_page",
    ]
    filterset_class = admin_views.ResponseTopicFilterSet
    search_fields = ["title", "summary"]
    search_backend_name = None  # SQL substring search, as for comments: 防災 finds 防災対策
    # The summary is checked by the citation rule (a form error when a sentence does not stand on its comments).
    edit_handler = ObjectList(
        [*ResponseTopic.panels, admin_views.TopicCommentsPanel(heading=gettext_lazy("この論点の意見"))],
        base_form_class=ResponseTopicForm,
    )

    def get_queryset(self, request):
        return ResponseTopic.objects.annotate(comment_count=Count("comments")).select_related(
            "consultation", "reflection", "target_page"
        )


class ReflectionStatusViewSet(SnippetViewSet):
    model = ReflectionStatus
    icon = "list-ul"
    menu_label = gettext_lazy("反映状況の区分")
    list_display = ["label", "description", "sort_order"]


class ConsultationAdminGroup(SnippetViewSetGroup):
    items = (CommentViewSet, ResponseTopicViewSet, ReflectionStatusViewSet)
    menu_icon = "comment"
    menu_label = gettext_lazy("意見募集")
    menu_order = 250


register_snippet(ConsultationAdminGroup)

for action in (
    admin_views.PublishCommentsBulkAction,
    admin_views.RejectCommentsBulkAction,
    admin_views.SpamCommentsBulkAction,
):
    hooks.register("register_bulk_action", action)


@hooks.register("register_admin_urls")
def comment_export_urls():
    return [
        path(
            "consultations/comments/export.<str:fmt>",
            admin_views.export_comments,
            name="consultations_comment_export",
        ),
        path("consultations/comments/import/", admin_import.import_comments, name="consultations_comment_import"),
        path(
            "consultations/<int:page_id>/responses.<str:fmt>",
            admin_views.export_response_table,
            name="consultations_response_table",
        ),
        path("consultations/<int:page_id>/topics/", topic_admin.board, name="consultations_topics_board"),
        path(
            "consultations/analysis/<int:run_id>/status.json",
            topic_admin.run_status,
            name="consultations_analysis_status",
        ),
    ]


@hooks.register("register_page_header_buttons")
def topics_board_button(page, user, view_name, next_url=None):
    if issubclass(page.specific_class or type(page), ConsultationPage) and user.has_perm(topic_admin.PERMISSION):
        url = reverse("consultations_topics_board", args=[page.pk])
        yield PageMenuItem(gettext_lazy("論点の整理（分析）"), url, icon_name="comment", priority=90, page=page)


def warn_if_period_is_short(request, page) -> None:
    page = page.specific
    if isinstance(page, ConsultationPage) and page.period_is_short:
        messages.warning(
            request,
            _("募集期間が30日未満です。行政手続法の意見公募手続に準じ、原則として30日以上の期間を設けてください。"),
        )


hooks.register("after_create_page", warn_if_period_is_short)
hooks.register("after_edit_page", warn_if_period_is_short)


@hooks.register("after_edit_snippet")
def warn_of_published_personal_data(request, instance):
    if isinstance(instance, Comment) and instance.state == CommentState.PUBLISHED and instance.personal_data_found:
        messages.warning(
            request,
            _("公開中の意見に個人情報と思われる記載（%(kinds)s）があります。公開ページでは伏せ字で表示されます。")
            % {"kinds": "、".join(instance.personal_data_found)},
        )


@hooks.register("register_log_actions")
def register_purge_log_action(actions) -> None:
    # The retention purge (manage.py purge_personal_data) leaves one entry in the consultation page's history.
    @actions.register_action(PURGE_LOG_ACTION)
    class PersonalDataPurged(LogFormatter):
        label = gettext_lazy("意見の個人情報の削除")

        def format_message(self, log_entry) -> str:
            count = log_entry.data.get("comments", 0)
            return ngettext(
                "保存期間を過ぎた%(count)d件の意見から個人情報を削除しました。",
                "保存期間を過ぎた%(count)d件の意見から個人情報を削除しました。",
                count,
            ) % {"count": count}


@hooks.register("register_admin_urls")
def close_early_urls():
    return [
        path(
            "consultations/<int:page_id>/close-early/", admin_period.close_early_view, name="consultations_close_early"
        )
    ]


@hooks.register("register_page_header_buttons")
def close_early_button(page, user, view_name, next_url=None):
    page = page.specific
    if isinstance(page, ConsultationPage) and page.is_open() and page.permissions_for_user(user).can_publish():
        yield Button(
            _("募集を早期終了する"),
            reverse("consultations_close_early", args=[page.pk]),
            icon_name="warning",
            priority=90,
        )


def warn_if_comments_wait(request, page) -> None:
    page = page.specific
    if not (isinstance(page, ConsultationPage) and page.live and page.results_published):
        return
    waiting = Comment.objects.filter(consultation=page.source_consultation, state=CommentState.RECEIVED).count()
    if waiting:
        messages.warning(
            request,
            ngettext(
                "結果を公表しましたが、まだ確認していない意見が%(count)d件あります。意見一覧で確認してください。",
                "結果を公表しましたが、まだ確認していない意見が%(count)d件あります。意見一覧で確認してください。",
                waiting,
            )
            % {"count": waiting},
        )


hooks.register("after_edit_page", warn_if_comments_wait)


@hooks.register("register_log_actions")
def register_close_early_log_action(actions) -> None:
    @actions.register_action(CLOSE_EARLY_LOG_ACTION)
    class ClosedEarly(LogFormatter):
        label = gettext_lazy("意見募集の早期終了")

        def format_message(self, log_entry) -> str:
            return _("意見募集を早期終了しました。理由：%(reason)s") % {"reason": log_entry.data.get("reason", "")}


@hooks.register(HOME_PAGE_CONTEXT)
def open_consultation_on_the_home_page(home, request) -> dict:
    return {"open_consultation": ConsultationPage.open_consultation_under(home)}


@hooks.register("register_admin_urls")
def queue_urls():
    return [
        path("consultations/queue/", admin_queue.queue, name="consultations_comment_queue"),
        path("consultations/comments/bulk/", admin_queue.bulk, name="consultations_comment_bulk"),
        path("consultations/comments/add/", admin_intake.intake, name="consultations_comment_intake"),
        path("consultations/targets/<int:page_id>/items.json", admin_intake.items, name="consultations_target_items"),
    ]


@hooks.register("construct_homepage_panels")
def queue_panel(request, panels) -> None:
    if request.user.has_perm(admin_queue.PERMISSION):
        panels.append(admin_queue.QueuePanel())


class QueueMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(admin_queue.PERMISSION)


@hooks.register("register_admin_menu_item")
def queue_menu_item():
    return QueueMenuItem(
        gettext_lazy("確認待ちの意見"), reverse("consultations_comment_queue"), icon_name="tasks", order=249
    )
