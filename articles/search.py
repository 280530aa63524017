"""
Patient search over published articles.

On PostgreSQL: full-text search over a weighted vector (title A, subtitle and
teaser B, the patient-visible text C), one GIN index per language (migrations
0005 and 0010). Elsewhere: a plain word match scored the same way, good enough
for a local demo. Either way only articles in the search's language are found,
accents do not matter ("vertebra" finds "vértebra") and the glossary widens the
query, so "VCF" also finds "compression fracture".
"""

import re
import unicodedata
from functools import reduce
from operator import and_, or_
from typing import NamedTuple

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Article, GlossaryTerm
from .search_words import WORD, any_accents, fold, plain, query_words

MAX_QUERY_LENGTH = 200

# The PostgreSQL text-search configuration per site language: the built-in
# one with unaccent in front of its stemmer (migration 0010), because patients
# often leave accents out ("cifoplastia", "Guillain-Barre") or put them in the
# wrong place. The price: Snowball's Spanish suffixes carry accents, so the
# unaccented "operacion" stays whole while "operaciones" stems to "oper", and
# the singular and plural of "-ción" words no longer find each other.
# Each config needs its own GIN index (article_search_english and
# article_search_spanish), or searches in that language read the whole table.
SEARCH_CONFIGS = {"en": "english_unaccent", "es": "spanish_unaccent"}

# Glossary synonyms multiply the query; a handful of variants is plenty.
MAX_VARIANTS = 12

# Every search word adds conditions to the SQL, once per glossary variant;
# SQLite refuses a query a few dozen words long. Ten is a long question.
MAX_QUERY_WORDS = 10

# What a result shows and links to; the rest of the article stays in the database.
RESULT_FIELDS = (
    *("title", "subtitle", "slug", "teaser", "search_text", "language"),
    *("guide__title", "guide__slug"),
)


class SearchResult(NamedTuple):
    """One found article with its teaser and a text snippet, matches marked."""

    article: Article
    teaser: str
    snippet: str


def clean_query(text):
    """The query as searched: no control characters, single spaces, at most 200 characters."""
    # Whitespace collapses below, so a little more than the limit is plenty to look at.
    text = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cs") else char
        for char in (text or "")[: MAX_QUERY_LENGTH * 4]
    )
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def whole_words(phrase):
    return re.compile(rf"(?<!\w){any_accents(phrase)}(?!\w)", re.IGNORECASE)


def glossary_variants(query, terms):
    """
    The query, then the query with each glossary name in it replaced by the
    term's other names: "VCF pain" adds "compression fracture pain", ...
    """
    variants = [query]
    for term in terms:
        names = sorted(term.names, key=len, reverse=True)
        # The longest name that occurs, so "vertebral compression fracture" is
        # replaced whole rather than its "compression fracture" part.
        found = next((name for name in names if whole_words(name).search(query)), None)
        if found is None:
            continue
        pattern = whole_words(found)
        others = [name for name in names if plain(name) != plain(found)]
        variants += [
            pattern.sub(lambda _match, other=other: other, variant)
            for variant in variants
            for other in others
        ]
        # Cut after every term, not at the end: each one multiplies the list,
        # and ten terms with four names each would make a million variants.
        unique = {}
        for variant in variants:
            unique.setdefault(plain(variant), variant)
        variants = list(unique.values())[:MAX_VARIANTS]
    return variants


def first_words(query, language, limit=MAX_QUERY_WORDS):
    """
    The query up to its `limit`-th search word, and whether any were left out.
    Stop words and repeats do not count, so a question is not cut short.
    """
    words, end = set(), 0
    for match in WORD.finditer(query):
        words.update(query_words(match.group(), language))
        if len(words) > limit:
            return query[:end], True
        end = match.end()
    return query, False


def article_vector(config):
    """
    What full-text search matches and ranks. Migration 0010 indexes exactly this
    expression for each of SEARCH_CONFIGS; change both together or the index
    goes unused.
    """
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("subtitle", "teaser", weight="B", config=config)
        + SearchVector("search_text", weight="C", config=config)
    )


def full_text_search(articles, variants, config):
    """PostgreSQL: title matches first, then by rank; the GIN index finds the rows."""
    query = reduce(
        or_,
        (
            SearchQuery(variant, config=config, search_type="websearch")
            for variant in variants
        ),
    )
    vector = article_vector(config)
    return (
        articles.alias(
            document=vector, title_document=SearchVector("title", config=config)
        )
        .filter(document=query)
        .alias(
            title_match=ExpressionWrapper(
                Q(title_document=query), output_field=BooleanField()
            ),
            rank=SearchRank(vector, query),
        )
        .order_by("-title_match", "-rank", "title", "pk")
    )


def word_search(articles, variants, language):
    """
    Other databases: every word of one variant must start a word somewhere in
    the article; each word scores 3 in the title, 2 in subtitle or teaser and 1
    in the text. SQL finds the articles; their scores are counted here, on the
    fields already fetched, which costs less than the expressions to count
    them in SQL (SQLite runs a regular expression through Python either way).
    """
    variant_words = [words for v in variants if (words := query_words(v, language))]
    if not variant_words:
        return []

    def starts_a_word(field, word):
        return Q(**{f"{field}__iregex": rf"(?<!\w){any_accents(word)}"})

    def anywhere(word):
        return reduce(
            or_,
            (
                starts_a_word(field, word)
                for field in ("title", "subtitle", "teaser", "search_text")
            ),
        )

    matches = reduce(
        or_, (reduce(and_, map(anywhere, words)) for words in variant_words)
    )
    words = list(dict.fromkeys(word for words in variant_words for word in words))
    patterns = [
        re.compile(rf"(?<!\w){any_accents(word)}", re.IGNORECASE) for word in words
    ]

    def rank(article):
        score = 0
        for pattern in patterns:
            score += 3 if pattern.search(article.title) else 0
            score += 2 if pattern.search(f"{article.subtitle}\n{article.teaser}") else 0
            score += 1 if pattern.search(article.search_text) else 0
        # Between equal scores, the article that uses the words more often
        # first, much as PostgreSQL's rank does.
        text = fold(article.search_text)
        occurrences = sum(text.count(word) for word in words)
        return (-score, -occurrences, article.title, article.pk)

    return sorted(articles.filter(matches), key=rank)


def highlight_pattern(words):
    """
    A regex for the words patients see marked: any word starting with a search
    word of three letters or more ("fracture" marks "fractures", "vertebra"
    "vértebras"), shorter ones whole. None without words.
    """
    words = sorted(set(words), key=len, reverse=True)
    if not words:
        return None
    alternatives = (
        any_accents(word) + (r"\w*" if len(word) > 2 else r"(?!\w)") for word in words
    )
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})", re.IGNORECASE)


class ArticleSearch:
    """
    One patient's search: the cleaned query, the part of it searched for (its
    first ten words), its glossary variants, the results.
    """

    word_limit = MAX_QUERY_WORDS

    def __init__(self, query, language):
        self.query = clean_query(query)
        self.language = language
        self.searched, self.words_left_out = first_words(self.query, language)
        self.variants = []
        if self.searched:
            terms = GlossaryTerm.objects.filter(language=language).only(
                "term", "abbreviation", "also_called"
            )
            self.variants = glossary_variants(self.searched, terms)
        self.highlight_pattern = highlight_pattern(
            word for variant in self.variants for word in query_words(variant, language)
        )

    def results(self):
        """Published articles in the language, best match first."""
        # Both languages: the article's is the one its text is written in, its
        # guide's the one patients read it under. One list never mixes languages.
        articles = (
            Article.objects.published()
            .filter(language=self.language, guide__language=self.language)
            .select_related("guide")
            .only(*RESULT_FIELDS)
        )
        if not self.variants:
            return []
        if connection.vendor == "postgresql":
            # A language without its own config still works, unstemmed and unindexed.
            config = SEARCH_CONFIGS.get(self.language, "simple")
            return full_text_search(articles, self.variants, config)
        return word_search(articles, self.variants, self.language)

    def highlight(self, text):
        """
        Text escaped for HTML, matched words wrapped in <mark> (neighbours in one).
        Matches are found in the plain text and each piece is escaped on its
        own, so a mark never lands inside an entity such as &amp;.
        """
        if self.highlight_pattern is None:
            return escape(text)
        spans = []
        for match in self.highlight_pattern.finditer(text):
            if spans and not text[spans[-1][1] : match.start()].strip():
                spans[-1][1] = match.end()
            else:
                spans.append([match.start(), match.end()])
        pieces, end = [], 0
        for start, stop in spans:
            pieces += [
                escape(text[end:start]),
                f"<mark>{escape(text[start:stop])}</mark>",
            ]
            end = stop
        pieces.append(escape(text[end:]))
        return mark_safe("".join(pieces))

    def snippet(self, text, width=200):
        """About `width` characters around the first match in text, highlighted; "" without one."""
        text = " ".join(text.split())
        match = self.highlight_pattern and self.highlight_pattern.search(text)
        if not match:
            return ""
        start = max(0, match.start() - width // 3)
        if start:
            space = text.find(" ", start, match.start())
            start = space + 1 if space != -1 else start
        end = max(start + width, match.end())
        if end < len(text):
            space = text.rfind(" ", match.end(), end)
            end = space if space != -1 else end
        prefix = "… " if start else ""
        suffix = " …" if end < len(text) else ""
        return mark_safe(prefix + self.highlight(text[start:end]) + suffix)

    def result(self, article):
        return SearchResult(
            article,
            self.highlight(article.teaser),
            self.snippet(body_text(article)),
        )


def body_text(article):
    """The article's search text without the title and subtitle it starts with."""
    text = article.search_text
    for heading in (article.title, article.subtitle):
        if heading and text.startswith(heading):
            text = text[len(heading) :].lstrip()
    return text


def search_articles(query, language):
    """Published articles in `language` matching `query`, best match first."""
    return ArticleSearch(query, language).results()
