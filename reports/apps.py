from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Reporting and urging")

    def ready(self) -> None:
        import audit
        from reports import models

        for model in (models.ReportingSchedule, models.ReportingPeriod, models.UrgingPolicy, models.UrgingNote):
            audit.register(model)
        audit.register(models.UnitReport, exclude=["snapshot"])
        audit.register(models.AgencyReport, exclude=["figures"])
