"""StreamField blocks for chapter bodies and the list-shaped sections of cards.

Tables are our own StructBlock, not TableBlock: wagtail-localize cannot translate TableBlock (#302).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(required=False, label=_("画像"))
    caption = blocks.CharBlock(label=_("キャプション"))
    alt_text = blocks.CharBlock(
        required=False,
        label=_("代替テキスト"),
        help_text=_("画像の内容を説明する文。装飾だけの画像なら空欄にして「装飾」を選びます。"),
    )
    decorative = blocks.BooleanBlock(required=False, label=_("装飾（読み上げ不要）"))

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not value.get("alt_text") and not value.get("decorative"):
            raise StructBlockValidationError(
                block_errors={"alt_text": ValidationError(_("画像には代替テキストが必要です。"))}
            )
        return value

    class Meta:
        icon = "image"
        template = "blocks/figure.html"
        label = _("図")


class PlanTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("表題"))
    header = blocks.ListBlock(blocks.CharBlock(label=_("見出し")), label=_("見出し行"))
    rows = blocks.ListBlock(
        blocks.ListBlock(blocks.CharBlock(required=False, label=_("セル")), label=_("行")),
        label=_("行"),
    )

    class Meta:
        icon = "table"
        template = "blocks/table.html"
        label = _("表")


class ChapterBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(icon="title", template="blocks/heading.html", label=_("小見出し"))
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"], template="blocks/paragraph.html", label=_("段落")
    )
    list = blocks.ListBlock(blocks.TextBlock(label=_("項目")), template="blocks/list.html", label=_("箇条書き"))
    table = PlanTableBlock()
    quote = blocks.TextBlock(icon="openquote", template="blocks/quote.html", label=_("標語・引用"))
    note = blocks.TextBlock(icon="help", template="blocks/note.html", label=_("注記"))
    figure = FigureBlock()


class GoalParagraphBlock(blocks.StructBlock):
    label = blocks.CharBlock(required=False, label=_("見出しラベル"), help_text=_("例：社会インフラ"))
    text = blocks.TextBlock(label=_("本文"))

    class Meta:
        icon = "pilcrow"
        label = _("段落")


class ScheduleStepBlock(blocks.StructBlock):
    period = blocks.CharBlock(label=_("時期"), help_text=_("例：R3~4"))
    text = blocks.TextBlock(label=_("内容"))

    class Meta:
        icon = "date"
        label = _("スケジュール")


def item_stream_blocks() -> list[tuple[str, blocks.Block]]:
    """One list item per block, so each item keeps a stable id that comments can point at."""
    return [("item", blocks.TextBlock(label=_("項目")))]
