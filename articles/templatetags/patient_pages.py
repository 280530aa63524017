from django import template
from django.utils.safestring import mark_safe

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
