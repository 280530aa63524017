"""
Key facts as data: an article's text names a fact by its key, {{ fact:duration }},
and each page fills in the value its reader should see: the shared default,
or the value a practice's doctor signed off for that practice's patients.

The rich-text cleaner leaves a token alone (it is plain text). Before the
glossary links terms, tokens become empty placeholder elements, so a term can
never be linked inside one; the page fills the placeholders last, per practice,
on text that is otherwise kept per content version.
"""

import re
from dataclasses import dataclass

import reversion
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import AuditEvent, PracticeFact
from .sanitize import html_to_text

TOKEN = re.compile(r"\{\{\s*fact\s*:\s*([A-Za-z0-9_-]+)\s*\}\}")
PLACEHOLDER = re.compile(r'<span data-fact="([A-Za-z0-9_-]+)"></span>')

# The rich-text fields of an article in page order, then each step's body.
TEXT_FIELDS = ("introduction", "closing", "safety_notice")


def token(key):
    """How an editor writes a fact into the text."""
    return f"{{{{ fact:{key} }}}}"


def keys_in(text):
    """The fact keys that text refers to."""
    return {match.lower() for match in TOKEN.findall(text or "")}


def article_keys(article, steps):
    """Every fact key the article's text and its steps' bodies refer to."""
    keys = set()
    for name in TEXT_FIELDS:
        keys |= keys_in(getattr(article, name))
    for step in steps:
        keys |= keys_in(step.body)
    return keys


def fill_text(text, values):
    """Plain text with each token replaced by its value ({key: plain text})."""
    return TOKEN.sub(lambda match: values.get(match[1].lower(), ""), text or "")


def with_placeholders(html):
    """Cleaned HTML with each token turned into a placeholder for fill()."""
    return TOKEN.sub(
        lambda match: f'<span data-fact="{match[1].lower()}"></span>', html
    )


def fill(html, values):
    """
    HTML with its placeholders replaced by the values ({key: plain text}),
    escaped. A key without a value (the fact was deleted since) leaves nothing.
    """
    if "data-fact" not in html:
        return html
    return mark_safe(
        PLACEHOLDER.sub(
            lambda match: (
                f'<span class="fact-value">{escape(values[match[1]])}</span>'
                if match[1] in values
                else ""
            ),
            html,
        )
    )


def shared_context(article, steps, key):
    """
    The shared text around a fact: each paragraph of the article that names it,
    as plain text. When it changes, practices that override the fact are told.
    """
    pattern = re.compile(r"\{\{\s*fact\s*:\s*" + re.escape(key) + r"\s*\}\}", re.I)
    texts = [getattr(article, name) for name in TEXT_FIELDS]
    texts += [step.body for step in steps]
    paragraphs = []
    for text in texts:
        for block in re.split(r"(?i)</(?:p|li|h[1-6]|blockquote)>", text or ""):
            if pattern.search(block):
                paragraphs.append(" ".join(html_to_text(block).split()))
    return "\n".join(paragraphs)


# --- What a reader sees ----------------------------------------------------------


@dataclass
class FactSheet:
    """An article's facts as one reader sees them, and who checked the practice's."""

    facts: list  # [(ArticleFact, value shown, whether it is the practice's own)]
    values: dict  # {key: value shown}, for the tokens in the text
    practice: object = None
    signed_by: object = None  # the doctor of the latest sign-off shown
    signed_at: object = None


def fact_sheet(facts, practice=None, overrides=()):
    """
    The facts with the practice's signed-off values in place of the defaults.
    `overrides` are the practice's PracticeFact rows for the article (any state:
    only signed-off values count; a value waiting for sign-off never shows).
    """
    signed = {
        override.key: override
        for override in overrides
        if override.is_signed_off and override.signed_value
    }
    rows, values, latest = [], {}, None
    for fact in facts:
        override = signed.get(fact.key)
        value = override.signed_value if override else fact.value
        rows.append((fact, value, override is not None))
        values[fact.key] = value
        if override and (latest is None or override.signed_at > latest.signed_at):
            latest = override
    return FactSheet(
        facts=rows,
        values=values,
        practice=practice if latest else None,
        signed_by=latest.signed_by if latest else None,
        signed_at=latest.signed_at if latest else None,
    )


def practice_overrides(practice, article):
    """The practice's fact rows for the article, with their signing doctors: one query."""
    if practice is None:
        return ()
    return tuple(
        PracticeFact.objects.filter(practice=practice, article=article).select_related(
            "signed_by"
        )
    )


# --- Keeping up with the shared guide ----------------------------------------------


@dataclass
class SharedChange:
    """A fact the practice overrides whose shared default or text moved on since sign-off."""

    override: PracticeFact
    fact: object  # the shared ArticleFact, or None when the article dropped it
    changed_at: object  # when the shared article last changed
    default_changed: bool
    text_changed: bool
    text_now: str  # the shared text around the fact now (shared_context)

    @property
    def new_default(self):
        return self.fact.value if self.fact else ""


def shared_changes(overrides):
    """
    The signed-off overrides (with article, its facts and steps prefetched, or
    loaded here) whose shared fact changed after the doctor signed them off.
    """
    changes = []
    for override in overrides:
        if not override.is_signed_off:
            continue
        article = override.article
        facts = {fact.key: fact for fact in article.facts.all()}
        fact = facts.get(override.key)
        default_changed = fact is None or fact.value != override.default_at_sign_off
        text_now = shared_context(article, article.steps.all(), override.key)
        text_changed = text_now != override.context_at_sign_off
        if default_changed or text_changed:
            changes.append(
                SharedChange(
                    override=override,
                    fact=fact,
                    changed_at=article.content_updated_at,
                    default_changed=default_changed,
                    text_changed=text_changed,
                    text_now=text_now,
                )
            )
    return changes


# --- Sign-off ---------------------------------------------------------------------


def can_sign_off(user, practice):
    """A doctor of the practice, with their own login, and the permission to sign."""
    doctor = getattr(user, "doctor", None) if user.is_authenticated else None
    return (
        doctor is not None
        and user.has_perm("articles.sign_off_practicefact")
        and doctor.practices.filter(pk=practice.pk).exists()
    )


@transaction.atomic
def sign_off(override, user, now=None):
    """
    Apply what waits for sign-off (a value, a keep or a drop) as `user`'s doctor,
    record the shared value and text it was checked against, and note it in the
    audit trail and, as a revision by `user`, in the override's history (inside
    the caller's revision, such as the admin's, if there is one). Returns the
    override, or None when it was dropped.
    """
    with reversion.create_revision():
        reversion.set_user(user)
        return _sign_off(override, user, now)


def _sign_off(override, user, now):
    doctor = user.doctor
    now = now or timezone.now()
    article = override.article
    steps = list(article.steps.all())
    fact = article.facts.filter(key=override.key).first()
    summary = f"{override.key} for {override.practice}"
    if override.pending == PracticeFact.Pending.DROP:
        AuditEvent.record(
            user,
            AuditEvent.Action.FACT_SIGNED,
            override,
            f"Dropped {summary}: patients read the shared value "
            f"“{fact.value if fact else ''}”; signed off by {doctor}.",
        )
        override.delete()
        return None
    override.signed_value = override.value
    override.signed_by = doctor
    override.signed_at = now
    override.default_at_sign_off = fact.value if fact else ""
    override.context_at_sign_off = shared_context(article, steps, override.key)
    override.pending = PracticeFact.Pending.NONE
    override.save()
    reversion.set_comment(f"Signed off {summary}: “{override.signed_value}”.")
    AuditEvent.record(
        user,
        AuditEvent.Action.FACT_SIGNED,
        override,
        f"Signed off {summary}: “{override.signed_value}”, by {doctor}.",
    )
    return override
