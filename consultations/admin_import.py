"""The admin's import of typed-up comment files: upload → preview table → confirm. The rules are in importing.py.

Between the preview and the confirmation the file waits in the cache (Redis in production, so any app server
can take the confirmation) under a random token bound to the user; the confirmation checks it all again.
"""

import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from consultations import importing
from consultations.masking import mask_personal_data
from consultations.models import ConsultationPage

PENDING_SECONDS = 30 * 60
PREVIEW_ROWS = 200


class ImportForm(forms.Form):
    consultation = forms.ModelChoiceField(
        label=gettext_lazy("意見募集"),
        queryset=ConsultationPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("-pk"),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("提出方法（ファイルの提出方法の列が空の行）"),
        choices=[(channel.value, channel.label) for channel in importing.IMPORT_CHANNELS],
        initial=importing.DEFAULT_CHANNEL,
    )
    file = forms.FileField(
        label=gettext_lazy("ファイル"),
        required=False,
        help_text=gettext_lazy(
            "CSV（UTF-8）またはExcel（.xlsx）。1行目は見出し：id, card, part, item, body, channel, name, "
            "received_at, publication（番号, カード, 部分, 項目, 意見, 提出方法, 氏名, 受付日, 公表 も可）。"
            "必須は id と body です。"
        ),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Nearly always there is one consultation at a time: the newest is preselected.
        self.fields["consultation"].initial = self.fields["consultation"].queryset.first()


def _cache_key(request: HttpRequest, token: str) -> str:
    return f"comment-import:{request.user.pk}:{token}"


def import_comments(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("consultations.add_comment"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "page_title": _("意見ファイルの取込"), "header_icon": "upload"}
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, "consultations/admin/import.html", context)
    consultation = form.cleaned_data["consultation"]
    upload = form.cleaned_data["file"]
    token = form.cleaned_data["token"]
    if upload is not None:
        if upload.size > importing.MAX_FILE_BYTES:  # refused before reading it into memory
            form.add_error(
                "file",
                _("ファイルが大きすぎます。%(limit)d MB以下に分けてください。")
                % {"limit": importing.MAX_FILE_BYTES // 2**20},
            )
            return TemplateResponse(request, "consultations/admin/import.html", context, status=400)
        pending = {"name": upload.name, "data": upload.read()}
        token = secrets.token_urlsafe(16)
        cache.set(_cache_key(request, token), pending, PENDING_SECONDS)
        confirming = False
    else:
        pending = cache.get(_cache_key(request, token)) if token else None
        if pending is None:
            form.add_error(
                "file", _("ファイルを選んでください（プレビューから30分を過ぎた場合も、選び直してください）。")
            )
            return TemplateResponse(request, "consultations/admin/import.html", context, status=400)
        confirming = True
    try:
        plan = importing.plan_import(consultation, pending["name"], pending["data"], form.cleaned_data["channel"])
        if confirming and plan.valid:
            created = importing.save_import(consultation, plan, request.user)
    except importing.ImportFileError as error:
        form.add_error("file", f"{error} {_('何も取り込んでいません。')}")
        return TemplateResponse(request, "consultations/admin/import.html", context, status=400)
    if confirming and plan.valid:
        cache.delete(_cache_key(request, token))
        messages.success(
            request,
            ngettext(
                "%(count)d件の意見を取り込みました（受付済み）。",
                "%(count)d件の意見を取り込みました（受付済み）。",
                len(created),
            )
            % {"count": len(created)},
        )
        listing = reverse("wagtailsnippets_consultations_comment:list")
        return HttpResponseRedirect(f"{listing}?consultation={consultation.pk}&state=received")
    context |= {
        "plan": plan,
        "token": token,
        "consultation": consultation,
        "channel": form.cleaned_data["channel"],
        "preview": [{"row": row, "body": mask_personal_data(row.body)[:120]} for row in plan.rows[:PREVIEW_ROWS]],
        "more_rows": max(0, len(plan.rows) - PREVIEW_ROWS),
    }
    return TemplateResponse(request, "consultations/admin/import.html", context, status=200 if plan.valid else 400)
