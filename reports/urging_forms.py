from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.org_forms import choices
from plans.models import OPEN_STATUSES, Task
from reports.models import ReportingPeriod


class UrgeForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the unit should do, and by when."),
        error_messages={"required": _("Write what the unit is urged to do.")},
    )
    task = forms.ModelChoiceField(label=_("About the task"), queryset=Task.objects.none(), required=False)
    period = forms.ModelChoiceField(
        label=_("About the report"), queryset=ReportingPeriod.objects.none(), required=False
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        tasks = Task.objects.filter(lead_unit=unit, plan__status__in=OPEN_STATUSES).open().order_by("due_date", "pk")
        choices(self, "task", tasks, str)
        periods = ReportingPeriod.objects.filter(agency_id=unit.agency_id, opens_on__lte=today, agency_due__gte=today)
        choices(self, "period", periods.order_by("unit_due", "pk"), lambda p: p.label)
