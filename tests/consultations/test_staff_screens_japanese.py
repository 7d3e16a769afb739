"""The screens moderators use are Japanese throughout: Wagtail's own Japanese catalogue has gaps, which the
project's locale/ja fills (admin-only strings)."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from consultations.choices import CommentState, Publication
from consultations.models import Comment, ReflectionStatus, ResponseTopic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_plan")]

# Words that are Japanese staff's own vocabulary or data, not untranslated interface text.
ALLOWED = {"KPI", "CSV", "Excel", "FAX", "ID", "JST", "Wagtail", "DX", "ICT", "moderator"}  # moderator: the username
ENGLISH_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
RECEIPT_NUMBER = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}\b")


class VisibleText(HTMLParser):
    HIDDEN = {"script", "style", "template", "noscript", "svg"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        for name, value in attrs:
            if name in {"aria-label", "title", "placeholder", "alt"} and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    """The visible texts (and labels read aloud) holding English words: untranslated interface strings."""
    parser = VisibleText()
    parser.feed(html)
    found = set()
    for part in parser.parts:
        text = RECEIPT_NUMBER.sub(" ", part)
        if any(word not in ALLOWED for word in ENGLISH_WORD.findall(text)):
            found.add(" ".join(text.split()))
    return found


@pytest.fixture
def screens(consultation):
    comment = Comment(
        consultation=consultation, body="防災アプリについての意見です。", publication=Publication.ANONYMOUS
    )
    comment.change_state(CommentState.RECEIVED)
    topic = ResponseTopic.objects.create(
        consultation=consultation, title="防災", summary="", response="", reflection=ReflectionStatus.objects.first()
    )
    comments = reverse("wagtailsnippets_consultations_comment:list")
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "comment list": comments,
        "queue": comments + "?state=received&ordering=submitted_at",
        "comment edit": reverse("wagtailsnippets_consultations_comment:edit", args=[comment.pk]),
        "bulk": reverse("consultations_comment_bulk") + "?state=received",
        "intake": reverse("consultations_comment_intake"),
        "topic list": reverse("wagtailsnippets_consultations_responsetopic:list"),
        "topic edit": reverse("wagtailsnippets_consultations_responsetopic:edit", args=[topic.pk]),
    }


def test_staff_screens_show_no_untranslated_english(client, moderator, screens):
    client.force_login(moderator)
    found = {}
    for name, url in screens.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ja")
        assert response.status_code == 200, name
        if words := english_words(response.content.decode()):
            found[name] = sorted(words)
    confirm = client.post(screens["bulk"], {"action": "state:published"}, HTTP_ACCEPT_LANGUAGE="ja")
    if words := english_words(confirm.content.decode()):
        found["bulk confirm"] = sorted(words)
    assert found == {}, "\n".join(f"{name}: {texts}" for name, texts in found.items())
