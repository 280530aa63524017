import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from articles import content_version
from articles.facts import fact_sheet, fill, practice_overrides, with_placeholders
from articles.models import Article
from articles.readability import reading_minutes as minutes_for
from articles.sanitize import clean_html, web_link

register = template.Library()


@register.filter
def richtext(value, article=None):
    """
    Render stored rich text. It was cleaned when saved; cleaning again here costs
    little and means a row written around the model (raw SQL, an old backup)
    still cannot put markup on a patient page that the allow-list forbids.
    {{ text|richtext:article }} also fills in the facts the text names with the
    article's shared values (from article.facts.all, prefetched where it matters).
    """
    html = clean_html(value)
    if article is not None:
        values = {fact.key: fact.value for fact in article.facts.all()}
        html = fill(with_placeholders(html), values)
    return mark_safe(html)


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


# How wide each kind of picture is drawn, for the browser to choose a rendition
# before the stylesheet arrives; keep in step with static/css/site.css.
PICTURE_SIZES = {
    # .wrap: at most 38rem of text column, 1.25rem padding on either side.
    "column": "(min-width: 40.5em) 38rem, calc(100vw - 2.5rem)",
    # .logo and .portrait: at most 14rem.
    "badge": "(min-width: 16.5em) 14rem, calc(100vw - 2.5rem)",
}


@register.inclusion_tag("includes/picture.html")
def picture(image, layout, below_fold=True, css_class="", priority=False):
    """
    An Image as <picture>: WebP and JPEG/PNG renditions for the browser to pick
    from, its own width and height against layout shift, and lazy loading for
    pictures a reader has to scroll to.
    """
    renditions = image.rendition_list
    default = image.default_rendition
    return {
        "image": image,
        "src": default.url if default else image.file.url,
        "webp_srcset": _srcset(item for item in renditions if item.format == "webp"),
        "srcset": _srcset(item for item in renditions if item.format != "webp"),
        "sizes": PICTURE_SIZES[layout],
        "below_fold": below_fold,
        "css_class": css_class,
        "priority": priority,
    }


def _srcset(renditions):
    return ", ".join(f"{item.url} {item.width}w" for item in renditions)


@register.tag
def keep(parser, token):
    """
    {% keep "name" value ... %}…{% endkeep %}: the part in between is rendered
    once per content version, language and combination of the values, then
    reused by this process. It must depend on nothing else (the values name
    whatever in it differs between pages). Only pages whose view puts
    content_version in the context keep anything; previews never do.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'keep' needs a name.")
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeepNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


class KeepNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist = nodelist
        self.key = key

    def render(self, context):
        version = context.get("content_version")
        if version is None:
            return self.nodelist.render(context)
        key = (
            "fragment",
            get_language(),
            *(part.resolve(context) for part in self.key),
        )
        return content_version.derived(
            version, key, lambda: self.nodelist.render(context)
        )


@register.simple_tag
def practice_fact_sheet(practice, page):
    """
    The key facts of an article (page) as the practice's patients read them,
    for its printed handout: {% practice_fact_sheet practice page as sheet %}.
    A guide has none.
    """
    if not isinstance(page, Article):
        return None
    facts = list(page.facts.order_by("position"))
    return fact_sheet(facts, practice, practice_overrides(practice, page))


@register.filter
def safe_url(url):
    """
    A link an editor typed into a plain field, or "" unless it opens a web page
    or a page of ours: {% with url=x|safe_url %}{% if url %}<a href=…>.
    """
    return web_link(url)
