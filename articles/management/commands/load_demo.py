import io
import secrets

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import content_version
from articles.demo import content
from articles.demo.illustrations import draw_illustration
from articles.images import process_image
from articles.models import (
    Article,
    ArticleFact,
    ArticleReference,
    ArticleStep,
    Doctor,
    GlossaryTerm,
    Guide,
    Image,
    Location,
    Practice,
    Status,
)
from articles.signals import ensure_editorial_groups

DEMO_EDITOR = "editor"


class Command(BaseCommand):
    help = (
        "Load the demo guide, glossary, practice and doctor. Safe to run again: objects that "
        "already exist (matched by slug) are left exactly as editors left them."
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
        practice = self.load_practice()
        doctor = self.load_doctor(practice)
        guide = self.load_guide()
        for position, data in enumerate(content.ARTICLES, start=1):
            self.load_article(guide, position, data, doctor, practice)
        self.load_glossary()
        self.load_editor()
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready ({self.created} objects created).")
        )

    def load_practice(self):
        data = content.PRACTICE
        practice, created = Practice.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "description": data["description"],
                "website": data["website"],
                "booking_url": data["booking_url"],
                "is_example": True,
            },
        )
        if created:
            self.created += 1
            for position, location in enumerate(data["locations"], start=1):
                Location.objects.create(
                    practice=practice, position=position, **location
                )
        return practice

    def load_doctor(self, practice):
        data = content.DOCTOR
        doctor, created = Doctor.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "honorific": "Dr.",
                "name": data["name"].removeprefix("Dr. "),
                "credentials": data["credentials"],
                "specialty": data["specialty"],
                "biography": data["biography"],
                "is_example": True,
            },
        )
        if created:
            self.created += 1
            doctor.practices.add(practice)
        return doctor

    def load_guide(self):
        data = content.GUIDE
        guide, created = Guide.objects.get_or_create(
            language="en",
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "summary": data["summary"],
                "introduction": data["introduction"],
                "status": Status.PUBLISHED,
            },
        )
        self.created += created
        return guide

    def load_article(self, guide, position, data, doctor, practice):
        if Article.objects.filter(guide=guide, slug=data["slug"]).exists():
            return
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
        )
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

    def load_glossary(self):
        for data in content.GLOSSARY:
            _term, created = GlossaryTerm.objects.get_or_create(
                language="en", slug=slugify(data["term"]), defaults=data
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
