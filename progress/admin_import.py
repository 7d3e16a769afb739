"""The admin's upload of actuals: upload → preview (every error, or what will change) → confirm. The file waits
in the cache under a random token bound to the user; the confirmation checks it all again."""

import secrets

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from consultations.importing import MAX_FILE_BYTES
from progress import importing
from progress.permissions import departments_of

PENDING_SECONDS = 30 * 60


class ActualsImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("ファイル"),
        required=False,
        help_text=gettext_lazy(
            "CSV（UTF-8）またはExcel（.xlsx）。1行目は見出し：card, kpi, fiscal_year, value, unit, as_of, source, "
            "note（スケジュール型の指標は status も）。"
        ),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)


def _cache_key(request: HttpRequest, token: str) -> str:
    return f"actuals-import:{request.user.pk}:{token}"


def import_actuals(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("progress.add_kpiactual"):
        raise PermissionDenied
    form = ActualsImportForm(request.POST or None, request.FILES or None)
    template = "progress/admin/import.html"
    context = {"form": form, "page_title": _("KPIの実績の取込"), "header_icon": "upload"}
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, template, context)
    upload, token = form.cleaned_data["file"], form.cleaned_data["token"]
    if upload is not None:
        if upload.size > MAX_FILE_BYTES:
            form.add_error(
                "file",
                _("ファイルが大きすぎます。%(limit)d MB以下に分けてください。") % {"limit": MAX_FILE_BYTES // 2**20},
            )
            return TemplateResponse(request, template, context, status=400)
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
            return TemplateResponse(request, template, context, status=400)
        confirming = True
    publish = request.user.has_perm("progress.publish_kpiactual")
    try:
        plan = importing.plan_import(pending["name"], pending["data"], departments_of(request.user))
        if confirming and plan.valid:
            saved = importing.save_import(plan, request.user, publish=publish)
    except importing.ImportFileError as error:
        form.add_error("file", f"{error} {_('何も取り込んでいません。')}")
        return TemplateResponse(request, template, context, status=400)
    if confirming and plan.valid:
        cache.delete(_cache_key(request, token))
        message = (
            ngettext("%(count)d件の実績を公開しました。", "%(count)d件の実績を公開しました。", len(saved))
            if publish
            else ngettext(
                "%(count)d件の実績を下書きとして保存し、承認に回しました。",
                "%(count)d件の実績を下書きとして保存し、承認に回しました。",
                len(saved),
            )
        )
        messages.success(request, message % {"count": len(saved)})
        return HttpResponseRedirect(reverse("wagtailsnippets_progress_kpiactual:list"))
    context |= {"plan": plan, "token": token, "publish": publish}
    return TemplateResponse(request, template, context, status=200 if plan.valid else 400)
