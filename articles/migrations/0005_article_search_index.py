from django.db import migrations

# The vector that articles.search.article_vector("english") builds, as Django
# writes it. PostgreSQL uses an expression index only for a query with exactly
# this expression; tests/test_search.py checks the plan with EXPLAIN.
CREATE_INDEX = """
CREATE INDEX article_search_english ON articles_article USING gin ((
    (
        setweight(to_tsvector('english'::regconfig, COALESCE("title", '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE("subtitle", '') || ' ' || COALESCE("teaser", '')), 'B')
    )
    || setweight(to_tsvector('english'::regconfig, COALESCE("search_text", '')), 'C')
))
"""

DROP_INDEX = "DROP INDEX IF EXISTS article_search_english"


def create_index(apps, schema_editor):
    # Full-text search exists only on PostgreSQL; other databases use the
    # word-match fallback in articles/search.py, which needs no index.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INDEX)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0004_reading_level_search_text_glossary"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
