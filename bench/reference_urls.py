"""The site's URLs plus the instruction benchmark's reference: a plain Django view, no CMS (bench/instructions.py)."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from mieplan_site.urls import urlpatterns as site_urlpatterns

# About a card's size (~14 KB): a header, sixty sections with a heading, a paragraph and a link, a footer.
TEMPLATE = engines["django"].from_string(
    """{% load i18n %}<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="description" content="{{ description }}"></head>
<body><header><p class="site-name"><a href="/ja/">{% translate "三重県" %}</a></p></header>
<main><h1>{{ title }}</h1>
{% for section in sections %}<section id="s{{ forloop.counter }}"><h2>{{ section.heading }}</h2>
<p>{{ section.body|linebreaksbr }}</p><p><a href="{{ section.url }}">{{ section.link|truncatechars:40 }}</a></p></section>
{% endfor %}</main><footer><p><small>© {% translate "三重県" %}</small></p></footer></body></html>"""  # noqa: E501 (one section per line of output)
)


def reference(request: HttpRequest) -> HttpResponse:
    sections = [
        {
            "heading": f"{number} 取組の見出し",
            "body": "デジタル技術を活用して、県民の暮らしの安全・安心を確保します。\n災害情報を迅速に届けます。",
            "url": f"/ja/plan/section-{number}/",
            "link": "関連する取組カードへのリンク（詳しくはこちら）",
        }
        for number in range(1, 61)
    ]
    context = {"title": "参照ページ", "description": "ベンチマークの参照ページです。", "sections": sections}
    return HttpResponse(TEMPLATE.render(context, request))


urlpatterns = [path("bench-reference/", reference), *site_urlpatterns]
