"""Fixed choices of the comment form. Labels go through gettext; stored values are stable ASCII codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Mie's 29 municipalities (14 cities, 15 towns) in the prefecture's official order.
MIE_MUNICIPALITIES = [
    ("tsu", _("津市")),
    ("yokkaichi", _("四日市市")),
    ("ise", _("伊勢市")),
    ("matsusaka", _("松阪市")),
    ("kuwana", _("桑名市")),
    ("suzuka", _("鈴鹿市")),
    ("nabari", _("名張市")),
    ("owase", _("尾鷲市")),
    ("kameyama", _("亀山市")),
    ("toba", _("鳥羽市")),
    ("kumano", _("熊野市")),
    ("inabe", _("いなべ市")),
    ("shima", _("志摩市")),
    ("iga", _("伊賀市")),
    ("kisosaki", _("木曽岬町")),
    ("toin", _("東員町")),
    ("komono", _("菰野町")),
    ("asahi", _("朝日町")),
    ("kawagoe", _("川越町")),
    ("taki", _("多気町")),
    ("meiwa", _("明和町")),
    ("odai", _("大台町")),
    ("tamaki", _("玉城町")),
    ("watarai", _("度会町")),
    ("taiki", _("大紀町")),
    ("minamiise", _("南伊勢町")),
    ("kihoku", _("紀北町")),
    ("mihama", _("御浜町")),
    ("kiho", _("紀宝町")),
]


RESIDENCE_CHOICES = [("", _("回答しない")), *MIE_MUNICIPALITIES, ("outside", _("三重県外"))]


class AgeGroup(models.TextChoices):
    NOT_GIVEN = "", _("回答しない")
    UNDER_20 = "u20", _("19歳以下")
    TWENTIES = "20s", _("20歳代")
    THIRTIES = "30s", _("30歳代")
    FORTIES = "40s", _("40歳代")
    FIFTIES = "50s", _("50歳代")
    SIXTIES = "60s", _("60歳代")
    OVER_70 = "70+", _("70歳以上")


class Publication(models.TextChoices):
    WITH_NAME = "name", _("氏名（ニックネーム）とともに公表してよい")
    ANONYMOUS = "anonymous", _("氏名を伏せて公表してよい")
    NOT_PUBLISHED = "none", _("公表しないでほしい")


class Channel(models.TextChoices):
    WEB = "web", _("ウェブサイト")
    POST = "post", _("郵送")
    FAX = "fax", _("FAX")
    EMAIL = "email", _("電子メール")
    COUNTER = "counter", _("窓口")


class CommentState(models.TextChoices):
    RECEIVED = "received", _("受付済み（確認待ち）")
    PUBLISHED = "published", _("公開")
    REJECTED = "rejected", _("対象外")
    SPAM = "spam", _("スパム")


# Mie's 反映状況 labels, created as ReflectionStatus rows by migration 0005 (the site may change them); listed
# here so that the interface catalogue translates them on other languages' result pages.
DEFAULT_REFLECTIONS = [
    _("反映する"),
    _("一部反映する"),
    _("既に盛り込み済み"),
    _("反映しない"),
    _("その他"),
]


class TargetPart(models.TextChoices):
    WHOLE = "whole", _("ページ全体")
    GOAL = "goal", _("めざす姿")
    ISSUES = "issues", _("現状と課題")
    OVERVIEW = "overview", _("取組概要")
    MEASURE = "measure", _("具体的な取組")
    KPI = "kpi", _("KPI")
    POLICY = "policy", _("基本方針")
