"""Machine-readable times for HTML: one filter, so every `datetime` attribute has the same valid form."""

from datetime import date, datetime

from django import template
from django.utils import timezone

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
