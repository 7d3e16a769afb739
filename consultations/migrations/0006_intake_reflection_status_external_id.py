"""反映状況 labels become rows the site edits (ReflectionStatus, Mie's five as defaults); comments typed up from
paper files keep the file's row id (external_id) so that importing the same file again adds nothing."""

import django.db.models.deletion
from django.db import migrations, models

# The old fixed choices' stored codes and their labels, in the order staff saw them.
DEFAULTS = [
    ("reflected", "反映する"),
    ("partly", "一部反映する"),
    ("included", "既に盛り込み済み"),
    ("not_reflected", "反映しない"),
    ("other", "その他"),
]


def create_defaults_and_convert(apps, schema_editor):
    ReflectionStatus = apps.get_model("consultations", "ReflectionStatus")
    ResponseTopic = apps.get_model("consultations", "ResponseTopic")
    for order, (code, label) in enumerate(DEFAULTS, start=1):
        status, _created = ReflectionStatus.objects.get_or_create(label=label, defaults={"sort_order": order * 10})
        ResponseTopic.objects.filter(reflection=code).update(reflection_status=status)


def convert_back(apps, schema_editor):
    ResponseTopic = apps.get_model("consultations", "ResponseTopic")
    codes = {label: code for code, label in DEFAULTS}
    for topic in ResponseTopic.objects.select_related("reflection_status"):
        status = topic.reflection_status
        topic.reflection = codes.get(status.label, "other") if status else "other"
        topic.save(update_fields=["reflection"])


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_consultation_closed_early"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReflectionStatus",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("label", models.CharField(max_length=50, unique=True, verbose_name="表示名")),
                ("description", models.CharField(blank=True, max_length=200, verbose_name="説明（職員向け）")),
                ("sort_order", models.PositiveIntegerField(default=0, verbose_name="表示順")),
            ],
            options={
                "verbose_name": "反映状況の区分",
                "verbose_name_plural": "反映状況の区分",
                "ordering": ["sort_order", "pk"],
            },
        ),
        migrations.AddField(
            model_name="responsetopic",
            name="reflection_status",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="consultations.reflectionstatus",
                verbose_name="反映状況",
            ),
        ),
        migrations.AlterField(
            model_name="responsetopic",
            name="reflection",
            field=models.CharField(max_length=20, blank=True),
        ),
        migrations.RunPython(create_defaults_and_convert, convert_back),
        migrations.RemoveField(model_name="responsetopic", name="reflection"),
        migrations.RenameField(model_name="responsetopic", old_name="reflection_status", new_name="reflection"),
        migrations.AddField(
            model_name="comment",
            name="external_id",
            field=models.CharField(blank=True, max_length=100, verbose_name="取込ファイルの番号"),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id", ""), _negated=True),
                fields=("consultation", "external_id"),
                name="comment_unique_external_id",
            ),
        ),
    ]
