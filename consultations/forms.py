import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from consultations.choices import RESIDENCE_CHOICES, AgeGroup, Publication
from home.text import has_control_characters, has_undecodable_bytes

BODY_MAX_LENGTH = 4000
EMAIL_MAX_LENGTH = 254  # the column's length (RFC 5321); longer would fail in the database, not the form
FORM_SIGNING_SALT = "consultations.comment-form"


def reject_control_characters(value: str) -> None:
    if has_control_characters(value):
        raise forms.ValidationError(
            _("使用できない制御文字が含まれています。文章を貼り付けた場合は、入力し直してください。"),
            code="control_character",
        )
    if has_undecodable_bytes(value):
        raise forms.ValidationError(
            _("文字化けした文字（�）が含まれています。文章を貼り付けた場合は、入力し直してください。"),
            code="undecodable",
        )


def issue_form_token() -> str:
    return signing.TimestampSigner(salt=FORM_SIGNING_SALT).sign(str(int(time.time())))


class AccessibleFormMixin:
    """Tie help texts and error messages to their inputs for screen readers (aria-describedby, aria-invalid)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name, field in self.fields.items():
            bound = self[name]
            described_by = []
            if field.help_text:
                described_by.append(f"{bound.id_for_label}-help")
            if self.is_bound and name in self._errors:
                described_by.append(f"{bound.id_for_label}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)


class CommentForm(AccessibleFormMixin, forms.Form):
    body = forms.CharField(
        label=_("ご意見"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10, "maxlength": BODY_MAX_LENGTH}),
        validators=[reject_control_characters],
        help_text=_("4,000文字以内で入力してください。"),
        error_messages={
            "required": _("ご意見を入力してください。"),
            "max_length": _("ご意見は%(limit_value)d文字以内で入力してください（現在%(show_value)d文字）。"),
        },
    )
    name = forms.CharField(
        label=_("氏名またはニックネーム（任意）"),
        max_length=100,
        required=False,
        validators=[reject_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    age_group = forms.ChoiceField(label=_("年代（任意）"), choices=AgeGroup.choices, required=False)
    residence = forms.ChoiceField(label=_("お住まいの市町（任意）"), choices=RESIDENCE_CHOICES, required=False)
    email = forms.EmailField(
        label=_("メールアドレス（任意）"),
        required=False,
        max_length=EMAIL_MAX_LENGTH,
        validators=[reject_control_characters],
        help_text=_("受付番号をメールで受け取りたい場合のみ入力してください。ほかの目的には使いません。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    publication = forms.ChoiceField(
        label=_("ご意見の公表"),
        choices=Publication.choices,
        initial=Publication.ANONYMOUS,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_("「個人情報の取扱い」に同意します"),
        error_messages={"required": _("送信するには、個人情報の取扱いへの同意が必要です。")},
    )
    # Bots fill every field; people never see this one (hidden from sight, from screen readers and from Tab).
    website = forms.CharField(required=False, label=_("この欄は空のままにしてください"))
    form_token = forms.CharField(
        label=_("入力画面"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _(
                "入力画面の有効期限が切れました。お手数ですが、ご意見をコピーしてから画面を開き直してください。"
            )
        },
    )

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("送信できませんでした。"), code="honeypot")
        return ""

    def clean_form_token(self) -> str:
        token = self.cleaned_data["form_token"]
        signer = signing.TimestampSigner(salt=FORM_SIGNING_SALT)
        expired = forms.ValidationError(
            _("入力画面の有効期限が切れました。お手数ですが、ご意見をコピーしてから画面を開き直してください。"),
            code="expired",
        )
        try:
            issued = int(signer.unsign(token, max_age=settings.COMMENT_FORM_MAX_AGE_SECONDS))
        except (signing.BadSignature, ValueError):
            raise expired from None
        if time.time() - issued < settings.COMMENT_MIN_FILL_SECONDS:
            raise forms.ValidationError(
                _("送信が早すぎます。内容を確認してから、もう一度送信してください。"), code="too_fast"
            )
        return token

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        if not body:
            raise forms.ValidationError(_("ご意見を入力してください。"), code="required")
        return body


class StatusLookupForm(AccessibleFormMixin, forms.Form):
    receipt_number = forms.CharField(
        label=_("受付番号"), max_length=12, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email_or_secret = forms.CharField(
        label=_("メールアドレスまたは確認コード"),
        max_length=254,
        help_text=_("受付時に入力したメールアドレス、または受付画面に表示された確認コード。"),
    )


class ResponseTopicForm(WagtailAdminModelForm):
    """The 論点's admin form: its 意見の概要 is typed with 〔receipt numbers〕 and must pass the citation rule."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from consultations import topic_services

        if self.instance.pk and self.instance.sentences.exists():
            self.initial["summary"] = topic_services.draft_summary(self.instance)
        self.fields["summary"].help_text = _(
            "各文の末尾に、その文の根拠となるこの論点の意見の受付番号を〔K7Q2-M4TX、R8ZD-2HNC〕のように書いてください。"
            "公表する結果には受付番号を除いた文が載ります。"
        )
        self.sentences: list = []

    def clean_summary(self) -> str:
        from consultations import topic_services

        try:
            self.sentences = topic_services.parse_summary(self.cleaned_data["summary"], self.instance)
        except topic_services.SummaryRefused as refused:
            raise forms.ValidationError(refused.messages) from None
        return topic_services.summary_text(self.sentences, with_receipts=False)

    def save(self, commit: bool = True):
        from consultations import topic_services

        topic = super().save(commit=commit)
        if commit:
            topic.sentences.all().delete()
            topic_services.store_sentences(topic, self.sentences)
        return topic
