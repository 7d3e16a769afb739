"""Views behind the consultation page's routes: thin, the rules live in services and models."""

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from consultations import exports, response_table, tasks
from consultations import results as results_service
from consultations.forms import CommentForm, StatusLookupForm, issue_form_token
from consultations.models import ConsultationPage
from consultations.services import SubmissionRefused, check_rate_limit, client_key, find_comment, submit_comment
from consultations.targets import InvalidTarget, resolve_target
from plan.models import InitiativePage

# The receipt travels to the thanks page in a short-lived signed cookie: no session row per comment.
RECEIPT_COOKIE = "mieplan_receipt"
RECEIPT_COOKIE_AGE = 15 * 60
# The receipts this browser was shown, until it is closed: a resubmission from it shows its receipt again.
SENT_COOKIE = "mieplan_sent"
RECEIPTS_KEPT = 10


def receipts_sent_from(request: HttpRequest) -> list[dict]:
    raw = request.get_signed_cookie(SENT_COOKIE, default=None, salt=SENT_COOKIE)
    try:
        receipts = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [r for r in receipts if isinstance(r, dict) and "number" in r] if isinstance(receipts, list) else []


def client_address(request: HttpRequest) -> str:
    """The resident's address. Behind a load balancer (USE_X_FORWARDED_FOR) the proxy appends it last."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.USE_X_FORWARDED_FOR and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


# Error reports (Django's, or a tracker's) never carry what identifies the resident.
@sensitive_post_parameters("name", "email")
def comment(request: HttpRequest, consultation) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    context = {"page": consultation, "state": consultation.state()}
    try:
        target = resolve_target(params.get("page", ""), params.get("part", ""), params.get("item", ""))
    except InvalidTarget as error:
        context["error"] = str(error)
        return TemplateResponse(request, "consultations/comment_form.html", context, status=400)
    context["target"] = target

    if not consultation.is_open():
        context["error"] = _("この意見募集は現在受け付けていません。")
        return TemplateResponse(
            request, "consultations/comment_form.html", context, status=403 if request.method == "POST" else 200
        )

    if request.method != "POST":
        context["form"] = CommentForm(initial={"form_token": issue_form_token()})
        return TemplateResponse(request, "consultations/comment_form.html", context)

    form = CommentForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        form.data = form.data.copy()
        form.data["form_token"] = issue_form_token()
        return TemplateResponse(request, "consultations/comment_form.html", context, status=400)
    try:
        submission = submit_comment(
            consultation.source_consultation,
            target,
            form.cleaned_data,
            client_address(request),
            translation.get_language(),
        )
    except SubmissionRefused as refusal:
        context["error"] = refusal.message
        return TemplateResponse(request, "consultations/comment_form.html", context, status=refusal.status)
    sent_here = receipts_sent_from(request)
    if submission.duplicate:
        # The first receipt is shown again only to the browser it was shown to; anyone else on the same
        # network address is only told that it exists (and its sender gets the mail again).
        first = next((r for r in sent_here if r["number"] == submission.comment.receipt_number), None)
        receipt = {**first, "duplicate": True} if first else {"duplicate": True}
        tasks.queue_receipt_resend(submission.comment)
    else:
        stored = submission.comment.pk
        transaction.on_commit(lambda: tasks.queue_comment_mail(stored))
        receipt = {
            "number": submission.comment.receipt_number,
            "secret": submission.secret,
            "email": bool(submission.comment.email),
            "target": submission.comment.target_label,
        }
        sent_here = [receipt, *sent_here][:RECEIPTS_KEPT]
    response = HttpResponseRedirect(consultation.url + consultation.reverse_subpage("thanks"))
    response.set_signed_cookie(
        SENT_COOKIE,
        json.dumps(sent_here),
        salt=SENT_COOKIE,
        path=consultation.url,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        json.dumps(receipt),
        salt=RECEIPT_COOKIE,
        max_age=RECEIPT_COOKIE_AGE,
        path=consultation.url,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def comment_by_id(request: HttpRequest, consultation_id: int) -> HttpResponse:
    try:
        consultation = ConsultationPage.objects.live().select_related("locale").get(pk=consultation_id)
    except ConsultationPage.DoesNotExist:
        raise Http404 from None
    return comment(request, consultation)


def thanks(request: HttpRequest, consultation) -> HttpResponse:
    raw = request.get_signed_cookie(RECEIPT_COOKIE, default=None, salt=RECEIPT_COOKIE, max_age=RECEIPT_COOKIE_AGE)
    if raw is None:
        return HttpResponseRedirect(consultation.url)
    context = {"page": consultation, "receipt": json.loads(raw)}
    response = TemplateResponse(request, "consultations/thanks.html", context)
    response["Cache-Control"] = "no-store"
    response.delete_cookie(RECEIPT_COOKIE, path=consultation.url)  # shown once
    return response


@sensitive_post_parameters("email_or_secret")
def status(request: HttpRequest, consultation) -> HttpResponse:
    # The receipt page links here with its number, so the resident types only the e-mail or 確認コード.
    form = StatusLookupForm(request.POST or None, initial={"receipt_number": request.GET.get("receipt", "")[:12]})
    context = {"page": consultation, "form": form}
    http_status = 200
    if request.method == "POST" and form.is_valid():
        try:
            check_rate_limit("status:" + client_key(client_address(request)), timezone.now())
        except SubmissionRefused as refusal:
            context["error"] = refusal.message
            return TemplateResponse(request, "consultations/status.html", context, status=refusal.status)
        found = find_comment(form.cleaned_data["receipt_number"], form.cleaned_data["email_or_secret"])
        if found is None:
            context["error"] = _("受付番号と、メールアドレスまたは確認コードの組み合わせが見つかりません。")
            http_status = 404
        else:
            context["found"] = found
    elif request.method == "POST":
        http_status = 400
    response = TemplateResponse(request, "consultations/status.html", context, status=http_status)
    response["Cache-Control"] = "no-store"
    return response


def results(request: HttpRequest, consultation) -> HttpResponse:
    if not consultation.results_published:
        raise Http404
    source = consultation.source_consultation  # comments and topics are kept on the Japanese page
    comments = results_service.published_comments(source, request.GET.get("sentence", ""))
    page_obj = Paginator(comments, 20).get_page(request.GET.get("page"))
    context = {
        "page": consultation,
        "summary": results_service.summary(source, consultation.locale),
        "responses": response_table.response_rows(source),
        "page_obj": page_obj,
    }
    return TemplateResponse(request, "consultations/results.html", context)


def changes(request: HttpRequest, consultation, card_id: int) -> HttpResponse:
    card = InitiativePage.objects.live().filter(pk=card_id).first()
    if not consultation.results_published or card is None:
        raise Http404
    found = results_service.changes_since_closing(consultation.source_consultation, card)
    context = {"page": consultation, "card": card, "changes": found}
    return TemplateResponse(request, "consultations/changes.html", context)


def opendata(request: HttpRequest, consultation, fmt: str) -> HttpResponse:
    if not consultation.results_published or fmt not in {"csv", "json"}:
        raise Http404
    return exports.public_comments_response(consultation.source_consultation, fmt)


def responses(request: HttpRequest, consultation, fmt: str) -> HttpResponse:
    """The table 意見の概要と県の考え方 as CSV, XLSX or JSON open data."""
    if not consultation.results_published or fmt not in response_table.CONTENT_TYPES:
        raise Http404
    return response_table.table_response(consultation.source_consultation, fmt)
