"""
The one allow-list for rich text. Everything an editor writes passes through
clean_html() before it is stored, whatever the path (admin, demo loader, import,
revision restore), because the model field calls it on save.
"""

import html
import re

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "img",
    "figure",
    "figcaption",
    "blockquote",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}

URL_SCHEMES = {"https", "http", "mailto", "tel"}

# Tags whose content is dropped along with the tag, not kept as text.
IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
BLOCK_END = re.compile(
    r"</(?:p|li|h[1-6]|tr|td|th|caption|figcaption|blockquote|div|table|ul|ol)>|<br\s*/?>",
    re.IGNORECASE,
)
IMAGE_TAG = re.compile(r"<img\b[^>]*>")
ALT_ATTRIBUTE = re.compile(r'\salt="([^"]*)"')

DROPPED_WITH_CONTENT = {"script", "style", "template", "noscript", "iframe", "object"}


def _keep_attribute(tag, attribute, value):
    # Patient pages make no request to any other host, so an image must come from
    # our own media storage.
    if tag == "img" and attribute == "src":
        return value if value.startswith(settings.MEDIA_URL) else None
    if attribute in {"width", "height", "colspan", "rowspan", "start"}:
        return value if value.isdigit() and len(value) <= 5 else None
    return value


def clean_html(value):
    """Return value reduced to the tags, attributes and URL schemes a patient article needs."""
    if not value:
        return ""
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        # A picture in the text is below the fold; CKEditor records its width and
        # height on upload, so it keeps its space while it loads.
        set_tag_attribute_values={"img": {"loading": "lazy"}},
        strip_comments=True,
    )
    # An <img> whose src was refused is useless; drop it rather than show a broken image.
    return IMAGE_WITHOUT_SOURCE.sub("", cleaned).strip()


def html_to_text(value):
    """Return the readable text of an HTML fragment, block elements separated by newlines."""
    if not value:
        return ""
    blocks = BLOCK_END.sub(lambda match: match.group(0) + "\n", value)
    text = html.unescape(
        nh3.clean(blocks, tags=set(), clean_content_tags={"script", "style"})
    )
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def images_missing_alt_text(value):
    """Return how many <img> tags in cleaned HTML have no text alternative."""
    count = 0
    for tag in IMAGE_TAG.findall(value or ""):
        match = ALT_ATTRIBUTE.search(tag)
        if not match or not match.group(1).strip():
            count += 1
    return count


# A browser drops tabs and newlines anywhere in a URL, and control characters
# and spaces at either end: " java\tscript:" is javascript: to it.
URL_IGNORED_ANYWHERE = re.compile(r"[\t\n\r]")
URL_IGNORED_AT_ENDS = "".join(map(chr, range(0x21)))
URL_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
WEB_SCHEMES = {"https", "http"}


def web_link(url):
    """
    url as a browser reads it if it opens a web page or a path on this site,
    else "". For links from plain fields: the field checks them when saved,
    but a row written around it (an import, a raw update) is checked here.
    """
    url = URL_IGNORED_ANYWHERE.sub("", url or "").strip(URL_IGNORED_AT_ENDS)
    scheme = URL_SCHEME.match(url)
    if scheme:
        return url if scheme.group(1).lower() in WEB_SCHEMES else ""
    # "//host" and "/\host" are paths on another site.
    return url if url.startswith("/") and url[1:2] not in ("/", "\\") else ""
