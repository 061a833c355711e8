from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "services"
    verbose_name = _("One-stop shop")

    def ready(self) -> None:
        import audit
        from services import models

        for model in (models.CalendarException, models.ColumnMapping):
            audit.register(model)
        audit.register(models.Procedure, exclude=["search_text"])
