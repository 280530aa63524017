import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.readability import reading_minutes as minutes_for
from articles.sanitize import clean_html

register = template.Library()


@register.filter
def richtext(value):
    """
    Render stored rich text. It was cleaned when saved; cleaning again here costs
    little and means a row written around the model (raw SQL, an old backup)
    still cannot put markup on a patient page that the allow-list forbids.
    """
    return mark_safe(clean_html(value))


# The same escapes as Django's json_script: no "</script>" can close the element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(data):
    """Render structured data as a JSON-LD script element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),
    )


@register.filter
def reading_minutes(word_count):
    """Estimated minutes to read `word_count` words at a patient's pace."""
    return minutes_for(word_count or 0)
