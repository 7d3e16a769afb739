"""A GIN index on the expression PostgreSQL searches: (title || body) of Wagtail's index entries.

Wagtail's database backend filters on the concatenated vector, which its per-column GIN indexes cannot serve,
so every search scanned the whole table (wagtail issue #6546). SQLite (FTS5) needs nothing.
"""

from django.db import migrations

INDEX = "wagtailsearch_indexentry_title_body_gin"


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING GIN ((title || body))"
        )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create_index, drop_index)]
