from django.db import migrations

# Text-search configurations that read words without their accents, so that
# "vertebra" finds "vértebra" and "Guillain-Barre" finds "Guillain-Barré":
# unaccent goes in front of the built-in stemmer for words with letters
# outside ASCII. Spanish lists stop words with their accents ("más", "está"),
# so a stop-word dictionary drops those before unaccent takes the accent off.
CREATE_CONFIGURATIONS = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH DICTIONARY spanish_stop_words (
    TEMPLATE = simple, STOPWORDS = spanish, ACCEPT = false
);
CREATE TEXT SEARCH CONFIGURATION spanish_unaccent (COPY = spanish);
ALTER TEXT SEARCH CONFIGURATION spanish_unaccent
    ALTER MAPPING FOR hword, hword_part, word
    WITH spanish_stop_words, unaccent, spanish_stem;
CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = english);
ALTER TEXT SEARCH CONFIGURATION english_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
"""

DROP_CONFIGURATIONS = """
DROP TEXT SEARCH CONFIGURATION IF EXISTS english_unaccent;
DROP TEXT SEARCH CONFIGURATION IF EXISTS spanish_unaccent;
DROP TEXT SEARCH DICTIONARY IF EXISTS spanish_stop_words;
DROP EXTENSION IF EXISTS unaccent;
"""


def create_index(name, config):
    """
    The GIN index for the vector that articles.search.article_vector(config)
    builds, as Django writes it. PostgreSQL uses an expression index only for a
    query with exactly this expression; tests/test_search*.py check the plan.
    """
    return f"""
CREATE INDEX {name} ON articles_article USING gin ((
    (
        setweight(to_tsvector('{config}'::regconfig, COALESCE("title", '')), 'A')
        || setweight(to_tsvector('{config}'::regconfig, COALESCE("subtitle", '') || ' ' || COALESCE("teaser", '')), 'B')
    )
    || setweight(to_tsvector('{config}'::regconfig, COALESCE("search_text", '')), 'C')
))
"""


def add_spanish_search(apps, schema_editor):
    # Full-text search exists only on PostgreSQL; other databases use the
    # word-match fallback in articles/search.py, which folds accents itself.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_CONFIGURATIONS)
    # English under the accent-blind configuration, under the index name 0005 gave it.
    schema_editor.execute("DROP INDEX IF EXISTS article_search_english")
    schema_editor.execute(create_index("article_search_english", "english_unaccent"))
    schema_editor.execute(create_index("article_search_spanish", "spanish_unaccent"))


def remove_spanish_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS article_search_spanish")
    schema_editor.execute("DROP INDEX IF EXISTS article_search_english")
    schema_editor.execute(create_index("article_search_english", "english"))
    schema_editor.execute(DROP_CONFIGURATIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_spanish_readability"),
    ]

    operations = [
        migrations.RunPython(add_spanish_search, remove_spanish_search, elidable=False),
    ]
