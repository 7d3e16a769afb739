"""Joins the three migrations written in parallel from 0004: intake (反映状況 labels, external ids), analysis
(runs, proposed topics, placements, sentences) and the queue's early closing."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_analysis"),
        ("consultations", "0005_consultation_closed_early"),
        ("consultations", "0005_intake_reflection_status_external_id"),
    ]

    operations = []
