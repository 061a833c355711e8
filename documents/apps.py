from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Documents in and out")

    def ready(self) -> None:
        import audit
        from accounts import access
        from documents import models
        from files import owners

        for model in (models.DocumentType, models.RegisterSeries, models.OutgoingDocument):
            audit.register(model)
        audit.register(models.PlanImport, exclude=["source_text", "result"])
        owners.register(models.OutgoingDocument, view=access.access_outgoing, manage=access.can_register)
