from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indices"
    verbose_name = _("PAR Index")

    def ready(self) -> None:
        import audit
        from accounts import access
        from files import owners
        from indices import models

        for model in (models.CriteriaSet, models.Criterion, models.Assessment, models.Score, models.Evidence):
            audit.register(model)
        audit.register(models.GovernanceResult)
        owners.register(models.Score, view=access.access_score, manage=access.can_add_evidence)
