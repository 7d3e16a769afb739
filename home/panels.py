"""Editor panels shared by the page types."""

from wagtail.admin.panels import Panel

from home import readability
from home.summaries import plain_text, stream_text

ALL_BLOCKS = 10**6


def field_text(value: object) -> str:
    """The plain text of a field's value: a StreamField's blocks, rich text or a string."""
    if value is None:
        return ""
    if hasattr(value, "raw_data") or hasattr(value, "stream_block"):
        return stream_text(value, limit=ALL_BLOCKS)
    return plain_text(getattr(value, "source", value))


class ReadabilityPanel(Panel):
    """The readability check (home/readability.py) of the page as last saved: its level, its three hardest
    sentences, and the sentences of its やさしい日本語 fields that break the guideline. Advice only: it has no
    form field, so it can never stop a save or a publish."""

    def __init__(self, text_fields: tuple[str, ...] = (), easy_fields: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self.text_fields = text_fields
        self.easy_fields = easy_fields

    def clone_kwargs(self) -> dict:
        return {**super().clone_kwargs(), "text_fields": self.text_fields, "easy_fields": self.easy_fields}

    def report(self, instance) -> readability.Report:
        text = "\n".join(field_text(getattr(instance, name, None)) for name in self.text_fields)
        easy = [
            (str(instance._meta.get_field(name).verbose_name), field_text(getattr(instance, name, None)))
            for name in self.easy_fields
        ]
        return readability.report(text, easy)

    class BoundPanel(Panel.BoundPanel):
        template_name = "home/admin/readability_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["report"] = self.panel.report(self.instance)
            context["limit"] = readability.EASY_SENTENCE_LIMIT
            return context
