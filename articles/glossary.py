"""
Links the first use of each glossary term in an article to its explanation.

Works on HTML that sanitize.clean_html() has already reduced to the allow-list:
tags are copied exactly as they are, text is escaped again, and the only markup
added is a link around a term. No JavaScript: the link leads to the glossary page.
"""

import functools
import re
from html import escape
from html.parser import HTMLParser

# Text inside these is never marked: a link inside a link is invalid, headings
# stay plain, and an <abbr> or <dfn> the editor wrote is already explained.
UNMARKED_INSIDE = {"a", "abbr", "dfn", "h1", "h2", "h3", "h4", "h5", "h6"}


def mark_terms(html, terms, seen):
    """
    Return html with the first use of each term linked to its glossary entry.

    terms: a (names, url, title) tuple per term, where title is the term itself;
    a name written in capitals other than the title (VCF) is an abbreviation.
    seen: the urls of terms marked earlier on the same page; updated in place,
    so calling this for each part of an article in page order marks each term once.
    """
    if not html or all(url in seen for _names, url, _title in terms):
        return html
    marker = TermMarker(terms, seen)
    marker.feed(html)
    marker.close()
    return "".join(marker.output)


def term_pattern(terms):
    """
    One regex matching any name as a whole word, longest names first (so "bone
    cement" wins over "bone"), and for each of its groups the (url, title,
    is_abbreviation) of the term it belongs to.
    """
    # Built once per glossary rather than for every part of every page: the
    # same terms always give the same pattern, and building it costs more than
    # marking a page. The terms themselves are the key, so an edited glossary
    # can never meet an old pattern.
    return _term_pattern(
        tuple((tuple(names), url, title) for names, url, title in terms)
    )


@functools.lru_cache(maxsize=16)
def _term_pattern(terms):
    entries = sorted(
        (
            (name, url, title, name.isupper() and name != title)
            for names, url, title in terms
            for name in names
            if name.strip()
        ),
        key=lambda entry: -len(entry[0]),
    )
    alternatives = []
    for name, _url, _title, is_abbreviation in entries:
        # Any run of spaces, including a non-breaking one, separates words.
        words = r"\s+".join(re.escape(word) for word in name.split())
        # Abbreviations match only in capitals: "US" (ultrasound) is not "us".
        alternatives.append(f"((?-i:{words}))" if is_abbreviation else f"({words})")
    # With no name at all, a pattern that never matches (not one that matches "").
    pattern = "|".join(alternatives) or "(?!)"
    return (
        re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE),
        tuple(
            (url, title, is_abbreviation)
            for _name, url, title, is_abbreviation in entries
        ),
    )


def escape_text(text):
    # The same escapes as the sanitiser's serialiser, so unmarked text is unchanged.
    return escape(text, quote=False).replace("\xa0", "&nbsp;")


def term_link(text, url, title, is_abbreviation):
    """The markup of one marked term; every part is escaped."""
    if is_abbreviation:
        inner = f'<abbr title="{escape(title)}">{escape_text(text)}</abbr>'
    else:
        inner = f"<dfn>{escape_text(text)}</dfn>"
    return f'<a class="term" href="{escape(url)}">{inner}</a>'


class TermMarker(HTMLParser):
    """Copies tags as they are and marks the first use of each term in the text."""

    def __init__(self, terms, seen):
        super().__init__(convert_charrefs=True)
        self.pattern, self.targets = term_pattern(terms)
        self.seen = seen
        self.output = []
        self.unmarked_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in UNMARKED_INSIDE:
            self.unmarked_depth += 1
        self.output.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.output.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in UNMARKED_INSIDE and self.unmarked_depth:
            self.unmarked_depth -= 1
        self.output.append(f"</{tag}>")

    def handle_data(self, data):
        position = 0
        if not self.unmarked_depth:
            for match in self.pattern.finditer(data):
                url, title, is_abbreviation = self.targets[match.lastindex - 1]
                if url in self.seen:
                    continue
                self.seen.add(url)
                self.output.append(escape_text(data[position : match.start()]))
                self.output.append(
                    term_link(match.group(), url, title, is_abbreviation)
                )
                position = match.end()
        self.output.append(escape_text(data[position:]))
