from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from consultations.models import ConsultationPage
from home.models import HomePage
from plan.loader import bulk_indexing
from plan.models import PlanPage
from plan.translations import load_translations

SUMMARY = (
    "<p>「みえのデジタル社会の形成に向けた戦略推進計画（仮称）」の中間案をとりまとめました。"
    "計画の策定にあたり、県民の皆さんからご意見を募集します。取組カードの各項目から、"
    "その部分へのご意見をお寄せいただけます。</p>"
)
OTHER_CHANNELS = (
    "<p>郵送、FAX、電子メールでも提出できます。氏名（任意）と、どの部分へのご意見かを明記してください。"
    "宛先は下記の問い合わせ先です。</p>"
)
PRIVACY = (
    "<p>いただいたご意見は、計画の策定の参考にするためにのみ利用します。メールアドレス・年代・お住まいは公表せず、"
    "受付の確認と、ご意見の内容の確認のためにのみ使用します。氏名（ニックネーム）は、公表を選んだ場合に限り、"
    "ご意見とともに公表します。個人情報は、結果の公表後、定められた保存期間を過ぎたものから削除します。</p>"
)


class Command(BaseCommand):
    help = "Create the demo's open consultation on the interim draft, unless one exists."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--japanese-only",
            action="store_true",
            help="Skip the other locales (databases loaded with load_plan --japanese-only).",
        )

    def handle(self, *args, **options) -> None:
        locale = Locale.get_default()
        home = HomePage.objects.get(locale=locale)
        if ConsultationPage.objects.filter(locale=locale).child_of(home).exists():
            self.stdout.write("A consultation exists already; nothing to do.")
            return
        now = timezone.now()
        page = ConsultationPage(
            title="「みえのデジタル社会の形成に向けた戦略推進計画（仮称）」中間案に対する意見募集",
            slug="consultation",
            document=PlanPage.objects.child_of(home).first(),
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            summary=SUMMARY,
            other_channels=OTHER_CHANNELS,
            privacy_notice=PRIVACY,
        )
        with transaction.atomic(), bulk_indexing():
            home.add_child(instance=page)
            page.save_revision(log_action=True).publish()
            if not options["japanese_only"]:
                # The new page's aliases and shipped translations, and the home page's (it lists the page).
                load_translations([HomePage.objects.get(pk=home.pk), ConsultationPage.objects.get(pk=page.pk)])
        self.stdout.write(self.style.SUCCESS(f"Created the open consultation at {page.url}"))
