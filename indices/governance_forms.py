"""Forms of the PAPI / PCI pages: a year's published result, and a task linked to a dimension."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from indices.models import GovernanceDimension, GovernanceResult
from plans.models import Task


class ResultForm(forms.Form):
    """The published figures; scores are read by `governance.record_result`, which gives every message at once."""

    total = forms.CharField(label=_("Total score"), required=False, max_length=20)
    rank = forms.CharField(label=_("Rank"), required=False, max_length=10)
    ranked_of = forms.CharField(label=_("Out of (provinces ranked)"), required=False, max_length=10)
    group = forms.CharField(label=_("Performance group"), required=False, max_length=100)
    source = forms.CharField(label=_("Source"), required=False, max_length=255)

    def __init__(
        self,
        *args: Any,
        dimensions: Sequence[GovernanceDimension],
        result: GovernanceResult | None = None,
        groups: Sequence[str] = (),
        **kwargs: Any,
    ):
        if result is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "total": result.total,
                "rank": result.rank,
                "ranked_of": result.ranked_of,
                "group": result.group,
                "source": result.source,
                **{f"dim_{s.dimension.code}": s.score for s in result.scores.all()},
            }
        super().__init__(*args, **kwargs)
        self.dimensions = list(dimensions)
        for name in ("total", "rank", "ranked_of"):
            self.fields[name].widget.attrs["inputmode"] = "decimal" if name == "total" else "numeric"
        if groups:
            self.fields["group"].widget.attrs["list"] = "governance-groups"
        self.groups = list(groups)
        for dimension in self.dimensions:
            field = forms.CharField(label=str(dimension), required=False, max_length=20)
            field.widget.attrs["inputmode"] = "decimal"
            if dimension.max_score is not None:
                field.help_text = _("At most %(max)s.") % {"max": dimension.max_score.normalize()}
            self.fields[f"dim_{dimension.code}"] = field

    def scores(self) -> dict[str, str]:
        return {d.code: self.cleaned_data.get(f"dim_{d.code}", "") for d in self.dimensions}

    def dimension_fields(self) -> list[forms.BoundField]:
        return [self[f"dim_{d.code}"] for d in self.dimensions]

    def result_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("total", "rank", "ranked_of", "group", "source")]


class TaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        plan = obj.plan.symbol or obj.plan.title[:40]
        label = f"{obj.label}) " if obj.label else ""
        content = obj.content if len(obj.content) <= 90 else obj.content[:89] + "…"
        return f"{obj.plan.year} · {plan} · {label}{content}"


class LinkTaskForm(forms.Form):
    task = TaskChoiceField(label=_("Task"), queryset=Task.objects.none())

    def __init__(self, *args: Any, tasks: QuerySet[Task], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["task"]
        assert isinstance(field, TaskChoiceField)
        field.queryset = tasks.select_related("plan").order_by("-plan__year", "plan_id", "order", "pk")
