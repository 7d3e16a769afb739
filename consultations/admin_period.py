"""Admin screen for ending a consultation before its closing date, with the reason the public is shown."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.models import ConsultationPage
from consultations.services import CannotCloseEarly, close_early


class CloseEarlyForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("早期終了の理由（意見募集のページに表示されます）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=10,
        max_length=1000,
    )


def close_early_view(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(ConsultationPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    form = CloseEarlyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            close_early(page, form.cleaned_data["reason"], request.user)
        except CannotCloseEarly as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("意見募集を早期終了しました。理由は意見募集のページに表示されます。"))
            return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return TemplateResponse(request, "consultations/admin/close_early.html", {"page": page, "form": form})
