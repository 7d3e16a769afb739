"""The ふりがな glossary's first entries: Mie's 29 municipalities and terms of the plan the analyser misreads."""

from django.db import migrations

DEFAULTS = {
    "三重県": "みえけん",
    # The 14 cities
    "津市": "つし",
    "四日市市": "よっかいちし",
    "伊勢市": "いせし",
    "松阪市": "まつさかし",
    "桑名市": "くわなし",
    "鈴鹿市": "すずかし",
    "名張市": "なばりし",
    "尾鷲市": "おわせし",
    "亀山市": "かめやまし",
    "鳥羽市": "とばし",
    "熊野市": "くまのし",
    "いなべ市": "いなべし",
    "志摩市": "しまし",
    "伊賀市": "いがし",
    # The 15 towns
    "木曽岬町": "きそさきちょう",
    "東員町": "とういんちょう",
    "菰野町": "こものちょう",
    "朝日町": "あさひちょう",
    "川越町": "かわごえちょう",
    "多気町": "たきちょう",
    "明和町": "めいわちょう",
    "大台町": "おおだいちょう",
    "玉城町": "たまきちょう",
    "度会町": "わたらいちょう",
    "大紀町": "たいきちょう",
    "南伊勢町": "みなみいせちょう",
    "紀北町": "きほくちょう",
    "御浜町": "みはまちょう",
    "紀宝町": "きほうちょう",
    # The plan's own words
    "市町": "しまち",
    "県民": "けんみん",
    "取組": "とりくみ",
    "進捗": "しんちょく",
    "行政手続": "ぎょうせいてつづき",
    "伊勢志摩": "いせしま",
    "東紀州": "ひがしきしゅう",
}


def add_defaults(apps, schema_editor):
    entry = apps.get_model("home", "ReadingGlossaryEntry")
    for term, reading in DEFAULTS.items():
        entry.objects.get_or_create(term=term, defaults={"reading": reading})


class Migration(migrations.Migration):
    dependencies = [("home", "0005_reading_glossary")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
