import io
import secrets

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from modeltranslation.utils import build_localized_fieldname

from articles import content_version, facts
from articles.demo import content, content_es
from articles.demo.illustrations import draw_illustration
from articles.images import process_image
from articles.models import (
    Article,
    ArticleFact,
    ArticleReference,
    ArticleStep,
    AuditEvent,
    Doctor,
    GlossaryTerm,
    Guide,
    Image,
    Location,
    Practice,
    PracticeFact,
    Status,
)
from articles.signals import ensure_editorial_groups

DEMO_EDITOR = "editor"

# The demo text by language, originals first: a translation names its original.
DEMO_CONTENT = {"en": content, "es": content_es}
ORIGINAL_LANGUAGE = "en"


class Command(BaseCommand):
    help = (
        "Load the demo guides (English and Spanish), glossaries, and two example "
        "practices with a doctor each; the second has its own signed-off facts. "
        "Safe to run again: objects that already exist (matched by slug) are left "
        "exactly as editors left them."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        with reversion.create_revision():
            reversion.set_comment("Loaded the demo content.")
            self.load_all()
        # Steps, facts and references are bulk-created, which sends no signal.
        content_version.bump_on_commit()

    def load_all(self):
        self.created = 0
        self.new_practices = set()
        practice = self.load_practice()
        doctor = self.load_doctor(practice)
        self.load_doctor(self.load_practice("PRACTICE_2"), "DOCTOR_2")
        for language, text in DEMO_CONTENT.items():
            guide = self.load_guide(language, text.GUIDE)
            for data in text.ARTICLES:
                self.load_article(guide, data, doctor, practice)
            self.load_glossary(language, text.GLOSSARY)
        self.load_fact_overrides()
        self.load_editor()
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready ({self.created} objects created).")
        )

    def load_practice(self, name="PRACTICE"):
        data = getattr(content, name)
        practice, created = Practice.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "description_en": data["description"],
                "website": data["website"],
                "booking_url": data["booking_url"],
                "is_example": True,
            },
        )
        if created:
            self.created += 1
            self.new_practices.add(practice.slug)
            for position, location in enumerate(data["locations"], start=1):
                Location.objects.create(
                    practice=practice,
                    position=position,
                    name_en=location["name"],
                    address=location["address"],
                    phone=location["phone"],
                    opening_hours_en=location["opening_hours"],
                )
        for language, text in DEMO_CONTENT.items():
            if language == ORIGINAL_LANGUAGE:
                continue
            translated = getattr(text, name)
            add_translation(
                practice, language, {"description": translated["description"]}
            )
            for english, location in zip(
                data["locations"], translated["locations"], strict=True
            ):
                # Matched by the English name: editors may add or reorder locations.
                for row in practice.locations.filter(name_en=english["name"]):
                    add_translation(row, language, location)
        return practice

    def load_doctor(self, practice, name="DOCTOR"):
        data = getattr(content, name)
        doctor, created = Doctor.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "honorific": "Dr.",
                "name": data["name"].removeprefix("Dr. "),
                "credentials": data["credentials"],
                "specialty_en": data["specialty"],
                "biography_en": data["biography"],
                "is_example": True,
            },
        )
        if created:
            self.created += 1
            doctor.practices.add(practice)
        for language, text in DEMO_CONTENT.items():
            if language != ORIGINAL_LANGUAGE:
                add_translation(doctor, language, getattr(text, name))
        return doctor

    def load_guide(self, language, data):
        original = None
        if "translation_of" in data:
            original = Guide.objects.filter(
                language=ORIGINAL_LANGUAGE, slug=data["translation_of"]
            ).first()
        guide, created = Guide.objects.get_or_create(
            language=language,
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "summary": data["summary"],
                "introduction": data["introduction"],
                "status": Status.PUBLISHED,
                "translation_of": original,
            },
        )
        self.created += created
        return guide

    def load_article(self, guide, data, doctor, practice):
        """One article of `guide`, in the guide's language; a translation names its original."""
        if Article.objects.filter(guide=guide, slug=data["slug"]).exists():
            return
        original = None
        if "translation_of" in data:
            original = Article.objects.filter(
                guide=guide.translation_of_id, slug=data["translation_of"]
            ).first()
        article = Article(
            guide=guide,
            position=Article.objects.filter(guide=guide).count() + 1,
            slug=data["slug"],
            title=data["title"],
            subtitle=data["subtitle"],
            teaser=data["teaser"],
            introduction=data["introduction"],
            hero_image=self.load_illustration(data),
            hero_caption=data["hero"]["caption"],
            steps_heading=data["steps_heading"],
            closing=data["closing"],
            safety_notice=data["safety_notice"],
            status=Status.PUBLISHED,
            reviewed_by=doctor,
            reviewed_at=timezone.localdate(),
            practice=practice,
            language=guide.language,
            translation_of=original,
        )
        if original is not None:
            # Reviewed together with its original as it reads now (complete:
            # originals are loaded first), so the translation is not out of date.
            article.record_original_reviewed()
        article.save()
        self.created += 1
        ArticleStep.objects.bulk_create(
            ArticleStep(article=article, position=number, heading=heading, body=body)
            for number, (heading, body) in enumerate(data["steps"], start=1)
        )
        ArticleFact.objects.bulk_create(
            ArticleFact(article=article, position=number, **fact)
            for number, fact in enumerate(data["facts"], start=1)
        )
        ArticleReference.objects.bulk_create(
            ArticleReference(article=article, position=number, **reference)
            for number, reference in enumerate(data["references"], start=1)
        )
        article.mark_content_changed()
        # The first revision holds the whole article, steps and facts included.
        reversion.add_to_revision(article)

    def load_glossary(self, language, terms):
        originals = {
            term.slug: term
            for term in GlossaryTerm.objects.filter(language=ORIGINAL_LANGUAGE)
        }
        for data in terms:
            values = dict(data)
            slug = values.pop("slug", None) or slugify(values["term"])
            original = values.pop("translation_of", None)
            _term, created = GlossaryTerm.objects.get_or_create(
                language=language,
                slug=slug,
                defaults={**values, "translation_of": originals.get(original)},
            )
            self.created += created

    def load_illustration(self, data):
        hero = data["hero"]
        title = f"Illustration: {data['title']}"
        image = Image.objects.filter(title=title).first()
        if image:
            return image
        upload = io.BytesIO(draw_illustration(hero["illustration"]))
        file, _width, _height = process_image(upload)
        image = Image(title=title, alt_text=hero["alt"])
        image.file.save(file.name, file, save=False)
        image.save()
        self.created += 1
        return image

    def load_fact_overrides(self):
        """
        The example practices' own values of shared facts, signed off, loaded
        with a new practice only (like its locations): an override that its
        editors changed or dropped since stays as they left it.
        """
        for data in content.FACT_OVERRIDES:
            if data["practice"] not in self.new_practices:
                continue
            practice = Practice.objects.get(slug=data["practice"])
            doctor = Doctor.objects.get(slug=data["signed_by"])
            article = Article.objects.get(
                guide__language=ORIGINAL_LANGUAGE,
                guide__slug=content.GUIDE["slug"],
                slug=data["article"],
            )
            fact = article.facts.get(key=data["key"])
            # As facts.sign_off() leaves it: the demo doctor has no login to sign with.
            override = PracticeFact.objects.create(
                practice=practice,
                article=article,
                key=fact.key,
                value=data["value"],
                pending=PracticeFact.Pending.NONE,
                signed_value=data["value"],
                signed_by=doctor,
                signed_at=timezone.now(),
                default_at_sign_off=fact.value,
                context_at_sign_off=facts.shared_context(
                    article, article.steps.all(), fact.key
                ),
            )
            AuditEvent.record(
                None,
                AuditEvent.Action.FACT_SIGNED,
                override,
                f"Signed off {fact.key} for {practice}: “{override.signed_value}”, "
                f"by {doctor} (demo content).",
            )
            self.created += 1

    def load_editor(self):
        ensure_editorial_groups(sender=None)
        User = get_user_model()
        if User.objects.filter(username=DEMO_EDITOR).exists():
            self.stdout.write(
                f"The demo editor '{DEMO_EDITOR}' already exists. Forgot the password? "
                f"Run: .venv/bin/python manage.py changepassword {DEMO_EDITOR}"
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(DEMO_EDITOR, password=password, is_staff=True)
        # The demo login can both write and medically sign off, to try every step.
        user.groups.add(
            *Group.objects.filter(name__in=["Site editors", "Medical reviewers"])
        )
        self.stdout.write(
            self.style.WARNING(
                "\nA demo editor was created. This password is shown only once:\n"
                f"  username: {DEMO_EDITOR}\n  password: {password}\n"
                "Sign in at http://127.0.0.1:8000/admin/ "
                "(or create your own account: .venv/bin/python manage.py createsuperuser)\n"
            )
        )


def add_translation(obj, language, texts):
    """
    Store `texts` ({field: text}) in obj's `language` columns that are still
    empty (articles/model_translations.py); what an editor wrote stays.
    """
    columns = {name: build_localized_fieldname(name, language) for name in texts}
    missing = {
        columns[name]: text
        for name, text in texts.items()
        if not getattr(obj, columns[name])
    }
    if missing:
        for field, text in missing.items():
            setattr(obj, field, text)
        obj.save(update_fields=list(missing))
