from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = _("Patient guides")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import (
            redirects,  # noqa: F401
            signals,
        )

        post_migrate.connect(signals.ensure_editorial_groups, sender=self)
