"""Forms of the target pages (goal, actual values with evidence) and of the reform areas."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from accounts.org_forms import choices, date_input
from files import validation
from lib import periods
from lib.targets import parse_goal, parse_number
from plans.models import IndicatorScope, Measurement, MetricKind, ReformArea, Target
from services import targets as service_targets


class NumberInput(forms.TextInput):
    """A text box: browsers' number inputs refuse "55,5" and "1.000.000"."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class NumberField(forms.DecimalField):
    """A decimal typed the Vietnamese way or the English way ("55,5", "1.000.000", "55.5")."""

    widget = NumberInput

    def __init__(self, *args: Any, grouping: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("error_messages", {"invalid": _("Enter a number, such as 50 or 12,5.")})
        super().__init__(*args, **kwargs)
        self.grouping = grouping

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs say int (IntegerField)
        if value in self.empty_values:
            return None
        number = parse_number(str(value), grouping=self.grouping)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def _groups_thousands(kind: str | None) -> bool:
    """Counts and money are whole figures, so "1.500" means one thousand five hundred."""
    return kind in (MetricKind.COUNT, MetricKind.MONEY)


# Targets ------------------------------------------------------------------


class TargetForm(forms.ModelForm):
    value = NumberField(label=_("Target value"), required=False, min_value=Decimal(0))
    value_max = NumberField(
        label=_("Upper value"), required=False, min_value=Decimal(0), help_text=_("Only for a range (between).")
    )

    class Meta:
        model = Target
        fields = [
            "section",
            "statement",
            "area",
            "metric_kind",
            "comparator",
            "value",
            "value_max",
            "unit_of_measure",
            "responsible_unit",
            "measurement",
            "indicator_code",
            "indicator_scope",
        ]
        widgets = {"statement": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target: Target = self.instance
        plan = target.plan
        choices(self, "section", plan.sections.all())
        choices(
            self,
            "area",
            ReformArea.objects.filter(Q(is_active=True) | Q(pk=target.area_id)),
            lambda area: area.name,
        )
        choices(
            self,
            "responsible_unit",
            Unit.objects.filter(
                Q(pk__in=Unit.objects.current().filter(agency_id=plan.agency_id)) | Q(pk=target.responsible_unit_id)
            ).order_by("order", "name"),
            lambda unit: unit.name,
        )
        kind = self.fields["metric_kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.required = False
        kind.choices = [("", _("Read it from the statement")), *MetricKind.choices]
        kind.help_text = _("Leave the target value empty to read the goal from the statement.")
        self.fields["statement"].help_text = _(
            "As the plan prints it, e.g. “Tối thiểu 50% hồ sơ được tiếp nhận trực tuyến” or “03-05 sáng kiến”."
        )
        self.fields["unit_of_measure"].help_text = _("Left empty: “%” for a percentage, “đồng” for money.")
        self.fields["measurement"].help_text = _(
            "Computed from an indicator: its values are computed every day from the one-stop dossiers."
        )
        known = service_targets.choices()
        if target.indicator_code and target.indicator_code not in service_targets.INDICATORS:
            known.append((target.indicator_code, target.indicator_code))
        self.fields["indicator_code"] = forms.ChoiceField(
            label=_("Indicator"),
            required=False,
            choices=[("", _("None (entered by hand)")), *known],
            help_text=_("The service indicator that computes it."),
        )
        self.fields["indicator_scope"].required = False
        grouping = _groups_thousands(self.data.get("metric_kind") if self.is_bound else target.metric_kind)
        for name in ("value", "value_max"):
            field = self.fields[name]
            assert isinstance(field, NumberField)
            field.grouping = grouping

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("value") is None and "value" not in self.errors and data.get("metric_kind") != MetricKind.BOOLEAN:
            goal = parse_goal(data.get("statement"))
            if goal is not None:
                data["metric_kind"] = data.get("metric_kind") or goal.metric_kind
                data["comparator"] = goal.comparator
                data["value"] = goal.value
                data["value_max"] = goal.value_max
                data["unit_of_measure"] = data.get("unit_of_measure") or goal.unit_of_measure
        if not data.get("metric_kind") and "metric_kind" not in self.errors:
            self.add_error("metric_kind", _("Choose the kind of measure, or write the goal in the statement."))
        if not data.get("unit_of_measure"):
            defaults = {str(MetricKind.PERCENT): "%", str(MetricKind.MONEY): "đồng"}
            data["unit_of_measure"] = defaults.get(data.get("metric_kind") or "", "")
        data["indicator_scope"] = data.get("indicator_scope") or IndicatorScope.AGENCY
        if data.get("measurement") == Measurement.INDICATOR and not data.get("indicator_code"):
            self.add_error("indicator_code", _("Choose the indicator that computes this target."))
        if (
            data.get("measurement") == Measurement.INDICATOR
            and data.get("indicator_scope") == IndicatorScope.UNIT
            and not data.get("responsible_unit")
            and "responsible_unit" not in self.errors
        ):
            self.add_error(
                "responsible_unit", _("Choose the responsible unit: the target is measured over its dossiers.")
            )
        if data.get("measurement") == Measurement.MANUAL:
            data["indicator_code"] = ""
            data["indicator_scope"] = IndicatorScope.AGENCY
        return data

    def add_error(self, field: str | None, error: Any) -> None:
        # Target.clean() runs even for fields the form refused already ("Give the
        # target value" after "Enter a number"): keep one message per field.
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            fresh = {name: errors for name, errors in error.error_dict.items() if name not in self.errors}
            if not fresh:
                return
            error = ValidationError(fresh)
        super().add_error(field, error)

    @staticmethod
    def prefilled(data: Any) -> dict[str, Any]:
        """The form's fields with the goal read from the statement (the "read the goal" button)."""
        initial = {name: data.get(name, "") for name in TargetForm.Meta.fields}
        goal = parse_goal(initial["statement"])
        if goal is not None:
            initial.update(
                metric_kind=goal.metric_kind,
                comparator=goal.comparator,
                value=f"{goal.value.normalize():f}",
                value_max="" if goal.value_max is None else f"{goal.value_max.normalize():f}",
                unit_of_measure=goal.unit_of_measure,
            )
        initial["found"] = goal is not None
        return initial


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content (files.validation)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ",".join(f".{ext}" for ext in validation.ALLOWED_EXTENSIONS)}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def current_period(today: date | None = None) -> periods.Period:
    """This quarter ("Quý IV/2026"), the period values are usually recorded for."""
    today = today or timezone.localdate()
    return periods.occurrences(periods.QUARTERLY, today, today)[0]


class TargetValueForm(forms.Form):
    period_label = forms.CharField(
        label=_("Period"), max_length=50, help_text=_("As reports name it: Quý II/2026, Tháng 6/2026, 6 tháng đầu năm.")
    )
    period_end = forms.DateField(
        label=_("End of the period"),
        required=False,
        widget=date_input(),
        help_text=_("dd/mm/yyyy. Left empty, it is read from the period."),
    )
    actual = NumberField(label=_("Actual value"), min_value=Decimal(0))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = MultipleFileField(
        label=_("Evidence"),
        required=False,
        allow_empty_file=True,  # files.validation refuses it, naming the file
    )

    checked: list[tuple[UploadedFile, validation.CheckedFile]]

    def __init__(self, target: Target, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        self.checked = []
        if target.metric_kind == MetricKind.BOOLEAN:
            self.fields["actual"] = forms.TypedChoiceField(
                label=_("Achieved?"),
                choices=[("1", _("Yes")), ("0", _("No"))],
                coerce=Decimal,
                widget=forms.RadioSelect,
            )
        else:
            field = self.fields["actual"]
            assert isinstance(field, NumberField)
            field.grouping = _groups_thousands(target.metric_kind)
            if target.metric_kind == MetricKind.PERCENT:
                field.help_text = _("A percentage between 0 and 100.")
                field.validators.append(_percentage)
            elif target.unit_of_measure:
                field.help_text = _("In %(unit)s.") % {"unit": target.unit_of_measure}
        self.fields["evidence"].help_text = _(
            "PDF, Word (.docx), Excel (.xlsx), PNG, JPEG, GIF, WebP or ZIP; at most %(limit)s MB each."
        ) % {"limit": validation.max_bytes() // (1024 * 1024)}
        if not self.is_bound:
            period = current_period()
            self.initial.setdefault("period_label", period.label)

    def clean_evidence(self) -> list[UploadedFile]:
        uploads: list[UploadedFile] = self.cleaned_data["evidence"]
        errors: list[ValidationError] = []
        for upload in uploads:
            try:
                self.checked.append((upload, validation.check(upload)))
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationError(errors)
        return uploads

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        label = (data.get("period_label") or "").strip()
        if label and not data.get("period_end") and "period_end" not in self.errors:
            due = periods.parse_due(label, self.target.plan.year)
            if due.date is None or due.recurrence:
                self.add_error(
                    "period_end",
                    _("Give the end date of the period: it cannot be read from “%(label)s”.") % {"label": label},
                )
            else:
                data["period_end"] = due.date
        return data


def _percentage(value: Decimal) -> None:
    if not 0 <= value <= 100:
        raise ValidationError(_("A percentage is between 0 and 100."), code="percentage")


# Reform areas ---------------------------------------------------------------


class AreaForm(forms.ModelForm):
    class Meta:
        model = ReformArea
        fields = ["code", "name", "short_name", "order", "is_active", "keywords"]
        widgets = {"keywords": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "code": _("Letters, digits, hyphens and underscores; used by imports and reports, so change it rarely."),
            "is_active": _("Areas no longer in use are not offered for new tasks; tasks keep theirs."),
        }

    def clean_keywords(self) -> str:
        seen: list[str] = []
        for line in self.cleaned_data["keywords"].splitlines():
            word = " ".join(line.split())
            if word and word.casefold() not in {s.casefold() for s in seen}:
                seen.append(word)
        return "\n".join(seen)
