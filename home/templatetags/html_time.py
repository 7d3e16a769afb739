"""Machine-readable times for HTML: one filter, so every `datetime` attribute has the same valid form."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext

from home import easy
from home.templatetags.site_tags import FULL_WIDTH_LANGUAGES

register = template.Library()


@register.filter
def datetime_attr(value: datetime | date | None) -> str:
    """`2026-12-03T13:01:04+09:00`: Tokyo time to the second (HTML allows at most three fraction digits)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


@register.filter
def local_datetime(value: datetime | None) -> str:
    """A date and time for readers, in Tokyo time with the zone said: 2026年12月4日14:19（日本時間）, or
    "Dec. 4, 2026, 2:19 p.m. (JST)" in English: readers abroad would otherwise read it as their own time."""
    if value is None or value == "":
        return ""
    if get_language() == easy.LANGUAGE:
        return easy_datetime(timezone.localtime(value) if timezone.is_aware(value) else value)
    shown = date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
    zone = gettext("日本時間")
    return f"{shown}（{zone}）" if get_language() in FULL_WIDTH_LANGUAGES else f"{shown} ({zone})"


WEEKDAYS = ("月", "火", "水", "木", "金", "土", "日")


def easy_datetime(value: datetime) -> str:
    """やさしい日本語 writes dates out: 2026年12月4日 金曜日 午後2時19分（日本の時間）, never 14:19."""
    hour = value.hour % 12
    noon = "午前" if value.hour < 12 else "午後"
    minutes = f"{value.minute}分" if value.minute else ""
    zone = gettext("日本時間")
    return (
        f"{value.year}年{value.month}月{value.day}日 {WEEKDAYS[value.weekday()]}曜日 {noon}{hour}時{minutes}（{zone}）"
    )
