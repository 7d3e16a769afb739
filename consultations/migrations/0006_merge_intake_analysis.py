"""Joins the intake (反映状況 labels, external ids) and analysis migrations, written in parallel from 0004."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_analysis"),
        ("consultations", "0005_intake_reflection_status_external_id"),
    ]

    operations = []
