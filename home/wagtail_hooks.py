from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.models import ReadingGlossaryEntry


class ReadingGlossaryViewSet(SnippetViewSet):
    model = ReadingGlossaryEntry
    icon = "doc-full"
    menu_label = _("ふりがなの読み")
    list_display = ["term", "reading"]
    search_fields = ["term", "reading"]
    search_backend_name = None  # SQL substring search: 津 finds 津市


register_snippet(ReadingGlossaryViewSet)
