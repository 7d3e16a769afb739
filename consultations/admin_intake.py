"""意見を追加: typing up a comment received on paper, by fax, e-mail or at the counter, at the speed of reading.

The form asks first what is on the envelope (date received, channel), then picks the target as the public form
does: a Japanese plan page with its card number, then the part, then the KPI row or measure item. The
consultation is preselected (the one open now, else the newest). 保存して次を追加 keeps date, channel and
consultation for the next letter of the pile.
"""

from datetime import date, datetime, time
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations import services
from consultations.choices import RESIDENCE_CHOICES, AgeGroup, Channel, Publication, TargetPart
from consultations.forms import BODY_MAX_LENGTH, reject_control_characters
from consultations.models import ConsultationPage
from consultations.targets import InvalidTarget, commentable_page, intake_pages, resolve_target, target_items
from home.ids import parse_id

PERMISSION = "consultations.add_comment"
KEPT_FOR_THE_NEXT = ("received_on", "channel", "consultation")


def japanese_consultations():
    return ConsultationPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE, alias_of=None).order_by(
        "-opens_at"
    )


def default_consultation() -> ConsultationPage | None:
    now = timezone.now()
    consultations = japanese_consultations()
    return consultations.filter(opens_at__lte=now, closes_at__gt=now).first() or consultations.first()


class IntakeForm(forms.Form):
    received_on = forms.DateField(
        label=gettext_lazy("受付日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("例：2026-12-04"),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("提出方法"), choices=[c for c in Channel.choices if c[0] != Channel.WEB]
    )
    consultation = forms.ModelChoiceField(label=gettext_lazy("意見募集"), queryset=japanese_consultations())
    target_page = forms.TypedChoiceField(
        label=gettext_lazy("対象のページ（カード番号）"), coerce=int, empty_value=None, required=False
    )
    target_part = forms.ChoiceField(label=gettext_lazy("対象の部分"), choices=TargetPart.choices, required=False)
    target_item = forms.ChoiceField(
        label=gettext_lazy("対象の項目（KPI・具体的な取組）"), required=False, choices=[("", "—")]
    )
    body = forms.CharField(
        label=gettext_lazy("ご意見"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[reject_control_characters],
    )
    publication = forms.ChoiceField(label=gettext_lazy("公表の可否"), choices=Publication.choices)
    name = forms.CharField(label=gettext_lazy("氏名・ニックネーム"), max_length=100, required=False)
    age_group = forms.ChoiceField(label=gettext_lazy("年代"), choices=AgeGroup.choices, required=False)
    residence = forms.ChoiceField(label=gettext_lazy("お住まい"), choices=RESIDENCE_CHOICES, required=False)
    email = forms.EmailField(label=gettext_lazy("メールアドレス"), required=False)
    moderator_note = forms.CharField(
        label=gettext_lazy("担当者メモ"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_page"].choices = [("", _("計画全体")), *intake_pages()]
        page = self._chosen_page()
        if page is not None:
            items = target_items(page)
            self.fields["target_part"].choices = items["parts"]
            part = self.data.get("target_part", "") if self.is_bound else ""
            self.fields["target_item"].choices = [("", "—"), *items.get(part, [])]

    def _chosen_page(self):
        raw = (self.data.get("target_page") if self.is_bound else self.initial.get("target_page")) or ""
        pk = parse_id(str(raw))
        return commentable_page(pk) if pk is not None else None

    def clean(self):
        data = super().clean()
        if "target_page" not in data:
            return data
        part, item = data.get("target_part") or "", data.get("target_item") or ""
        if part in (TargetPart.KPI, TargetPart.MEASURE) and not item:
            self.add_error("target_item", _("KPI・具体的な取組では、対象の項目を選んでください。"))
            return data
        try:
            data["target"] = resolve_target(str(data.get("target_page") or ""), part, item)
        except InvalidTarget as invalid:
            self.add_error("target_page", str(invalid))
        return data

    def received_at(self) -> datetime:
        """Today: now. An earlier day: its noon in Tokyo (the hour is not on the envelope)."""
        day: date = self.cleaned_data["received_on"]
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.combine(day, time(12)), timezone.get_default_timezone())


def intake(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        form = IntakeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            comment = services.take_typed_up_comment(
                data["consultation"], data["target"], data, form.received_at(), request.user
            )
            messages.success(
                request,
                _("意見を追加しました（受付番号 %(number)s）。") % {"number": comment.receipt_number},
            )
            if "add_another" in request.POST:
                kept = {name: request.POST.get(name, "") for name in KEPT_FOR_THE_NEXT}
                query = urlencode({name: value for name, value in kept.items() if value})
                return redirect(reverse("consultations_comment_intake") + "?" + query)
            return redirect(reverse("wagtailsnippets_consultations_comment:list"))
    else:
        consultation = default_consultation()
        initial = {"received_on": timezone.localdate(), "channel": Channel.POST, "publication": Publication.ANONYMOUS}
        if consultation is not None:
            initial["consultation"] = consultation.pk
        for name in KEPT_FOR_THE_NEXT:
            if request.GET.get(name):
                initial[name] = request.GET[name]
        form = IntakeForm(initial=initial)
    context = {"form": form, "items_url": reverse("consultations_target_items", args=[0])}
    return TemplateResponse(request, "consultations/admin/intake.html", context)


def items(request: HttpRequest, page_id: int) -> JsonResponse:
    """The parts and items of one plan page, for the intake form's part and item lists."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    page = commentable_page(page_id) if page_id else None
    if page is None:
        raise Http404
    return JsonResponse(target_items(page))
