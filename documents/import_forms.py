"""Forms of the plan import: the upload, and the review of what was read.

The review is one page of several forms over the stored result: the
document block, the legal bases, the outline's titles, the unit table, the
tasks and the targets. The rows of each list are a formset with exactly as
many forms as the result has rows, in the same order, so a row is matched
to what was read by its position; "Leave out" drops it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Agency, Unit
from accounts.org_forms import date_input
from documents import importer
from documents.models import PlanImport
from lib import periods
from plans.forms import year_field
from plans.models import PlanKind, ReformArea, SignerAuthority

DRAFT, ISSUED = "draft", "issued"
COMPARATOR_CHOICES = [(">=", "≥"), ("<=", "≤"), ("=", "="), ("range", pgettext_lazy("comparator", "between"))]
METRIC_CHOICES = [("%", "%"), ("count", _("count"))]


def max_upload_bytes() -> int:
    """The largest document the importer reads (PLAN_IMPORT_MAX_MB), within the site's upload limit."""
    return min(int(settings.PLAN_IMPORT_MAX_BYTES), int(settings.FILE_UPLOAD_MAX_MB) * 1024 * 1024)


class UploadForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("agency"), queryset=Agency.objects.none())
    file = forms.FileField(
        label=_("Document"),
        help_text=_("A plan as .docx, .pdf (with a text layer), .txt or .md."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(importer.EXTENSIONS)}),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = list(agencies.order_by("name"))
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        if len(self.agencies) > 1:
            field.queryset = agencies.order_by("name")
        else:
            del self.fields["agency"]

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        name = upload.name or ""
        if PurePath(name).suffix.lower() not in importer.EXTENSIONS:
            raise forms.ValidationError(
                _("Upload a .docx, .pdf, .txt or .md file; “%(name)s” is none of these.") % {"name": name}
            )
        if upload.size is not None and upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB, the largest document this site reads.")
                % {"size": f"{max_upload_bytes() / 1024 / 1024:g}"}
            )
        return upload

    def chosen_agency(self) -> Agency | None:
        agency: Agency | None = self.cleaned_data.get("agency")
        return agency or (self.agencies[0] if self.agencies else None)


# The review ------------------------------------------------------------------


class DocumentForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Save as"),
        choices=[
            (DRAFT, _("A draft of a new plan: it gets the next number of the register when it is issued")),
            (ISSUED, _("The plan as already issued: keep its number and date as printed")),
        ],
        initial=DRAFT,
        widget=forms.RadioSelect,
        help_text=_(
            "An issued plan is written into the outgoing register with its own number; it is not given a new one."
        ),
    )
    kind = forms.ChoiceField(label=_("kind"), choices=PlanKind.choices)
    title = forms.CharField(label=_("title (trích yếu)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    year = year_field(_("year"), _("The year the plan is for."))
    doc_type = forms.CharField(
        label=_("document type"), max_length=10, required=False, help_text=_("Its abbreviation, e.g. KH.")
    )
    number = forms.CharField(label=_("number"), max_length=10, required=False)
    symbol = forms.CharField(label=_("number and symbol"), max_length=60, required=False)
    date = forms.DateField(label=_("date of the document"), required=False, widget=date_input())
    place = forms.CharField(
        label=_("place"), max_length=100, required=False, help_text=_("Empty: the agency's place name.")
    )
    signer_authority = forms.ChoiceField(label=_("signing authority"), choices=SignerAuthority.choices, required=False)
    signer_position = forms.CharField(label=_("signer's position"), max_length=150, required=False)
    signer_name = forms.CharField(label=_("signer's full name"), max_length=150, required=False)
    recipients = forms.CharField(
        label=_("recipients (Nơi nhận)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )
    budget_amount = forms.DecimalField(
        label=_("budget amount (VND)"), max_digits=18, decimal_places=0, min_value=0, required=False
    )

    def clean_number(self) -> str:
        number: str = self.cleaned_data["number"].strip()
        if number and not number.isdigit():
            raise forms.ValidationError(_("The number is written in digits, e.g. 05."))
        if number and int(number) == 0:
            raise forms.ValidationError(_("The number starts at 1."))
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == ISSUED:
            if "number" in data and not data["number"]:
                self.add_error("number", _("An issued plan keeps its number: give it as printed."))
            if "date" in data and not data["date"]:
                self.add_error("date", _("An issued plan keeps its date: give it as printed."))
        return data


class Row(forms.Form):
    """A row of a list; a row left out is not checked (its mistakes do not matter)."""

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and "DELETE" in self.fields and self.cleaned_data.get("DELETE"):
            self._errors = ErrorDict()


class BasisForm(Row):
    type = forms.CharField(label=_("type"), max_length=10, required=False)
    symbol = forms.CharField(label=_("number and symbol"), max_length=60, required=False)
    date = forms.DateField(label=_("date"), required=False, widget=date_input())
    issuer = forms.CharField(label=_("issuer"), max_length=255, required=False)
    summary = forms.CharField(
        label=_("summary"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("symbol") and not data.get("summary") and not self.errors:
            raise forms.ValidationError(_("Give at least the number and symbol or the summary of the document."))
        return data


class SectionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=500)


class TaskForm(Row):
    content = forms.CharField(label=_("task"), widget=forms.Textarea(attrs={"rows": 3}))
    area = forms.ChoiceField(label=_("reform area"), required=False)
    lead_unit = forms.ChoiceField(label=_("lead unit"), required=False)
    due = forms.CharField(
        label=_("deadline as printed"),
        max_length=100,
        required=False,
        help_text=_("e.g. Quý II/2026, Trước 30/6/2026, Thường xuyên."),
    )
    output = forms.CharField(label=_("expected output"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, areas: list[tuple[str, str]], units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = [("", _("(none)")), *areas]
        lead = self.fields["lead_unit"]
        assert isinstance(lead, forms.ChoiceField)
        lead.choices = [("", self.initial.get("lead_label") or _("(as in the unit table)")), *units]


class TargetForm(Row):
    text = forms.CharField(label=_("target"), widget=forms.Textarea(attrs={"rows": 2}))
    comparator = forms.ChoiceField(label=_("comparison"), choices=COMPARATOR_CHOICES)
    value = forms.DecimalField(label=_("target value"), max_digits=16, decimal_places=2)
    value_max = forms.DecimalField(label=_("upper value (range)"), max_digits=16, decimal_places=2, required=False)
    unit = forms.ChoiceField(label=_("unit of measure"), choices=METRIC_CHOICES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value: Decimal | None = data.get("value")
        value_max: Decimal | None = data.get("value_max")
        if data.get("comparator") == "range" and value is not None:
            if value_max is None:
                self.add_error("value_max", _("A range needs an upper value."))
            elif value > value_max:
                self.add_error("value_max", _("The lower value must not be greater than the upper value."))
        if data.get("unit") == "%":
            for name in ("value", "value_max"):
                number = data.get(name)
                if number is not None and not 0 <= number <= 100 and name not in self.errors:
                    self.add_error(name, _("A percentage is between 0 and 100."))
        return data


class UnitsForm(forms.Form):
    """One select per printed unit name (fields named by position), and the unit of tasks without one."""

    fallback = forms.ChoiceField(
        label=_("Lead unit of tasks without one"),
        help_text=_("Tasks whose lead unit the document does not name, or names without a unit chosen above."),
    )

    def __init__(self, *args: Any, names: list[str], units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names = names
        fallback = self.fields["fallback"]
        assert isinstance(fallback, forms.ChoiceField)
        fallback.choices = units
        fallback.required = bool(units)  # without units, only a plan without tasks can be saved
        for index, name in enumerate(names):
            self.fields[f"unit_{index}"] = forms.ChoiceField(
                label=name, required=False, choices=[("", _("(no unit of the agency)")), *units]
            )

    def rows(self) -> Iterator[tuple[str, forms.BoundField]]:
        for index, name in enumerate(self.names):
            yield name, self[f"unit_{index}"]

    def unit_map(self) -> dict[str, int | None]:
        return {
            name: int(value) if (value := self.cleaned_data.get(f"unit_{index}")) else None
            for index, name in enumerate(self.names)
        }


BasisFormSet = forms.formset_factory(BasisForm, extra=0, can_delete=True)
SectionFormSet = forms.formset_factory(SectionForm, extra=0)
TaskFormSet = forms.formset_factory(TaskForm, extra=0, can_delete=True)
TargetFormSet = forms.formset_factory(TargetForm, extra=0, can_delete=True)


def _iso(value: Any) -> date | None:
    return importer.iso_date(value)


def _deleted(form: forms.Form) -> bool:
    return bool(form.cleaned_data.get("DELETE"))


def _marked_deleted(form: forms.Form) -> bool:
    """Left out in the submitted data (whatever else is wrong with the row)."""
    return "DELETE" in form.fields and bool(form["DELETE"].value())


class Review:
    """The forms of the review page over one plan import, bound to a POST or showing what was read."""

    def __init__(self, plan_import: PlanImport, data: Any = None) -> None:
        self.plan_import = plan_import
        self.result = importer.copy_result(plan_import)
        result = self.result
        document = result["document"]
        unit_rows = list(Unit.objects.current().filter(agency_id=plan_import.agency_id).order_by("order", "name"))
        self.units = {unit.pk: unit for unit in unit_rows}
        unit_choices = [(str(unit.pk), unit.name) for unit in unit_rows]
        areas = list(ReformArea.objects.filter(is_active=True))
        area_choices = [(area.code, area.label) for area in areas]
        self.area_codes = {area.code for area in areas}

        # Names the tasks print, with the stored choice (the suggestion until the person changes it).
        self.names = importer.printed_units(result)
        stored = plan_import.unit_map if isinstance(plan_import.unit_map, dict) else {}
        self.unit_map = {name: stored.get(name) if stored.get(name) in self.units else None for name in self.names}
        fallback = importer.default_unit(plan_import.agency)
        self.fallback = fallback

        self.document = DocumentForm(data, prefix="doc", initial=self._document_initial())
        self.missing = self._missing(document, result["budget"])
        self.bases = BasisFormSet(
            data,
            prefix="basis",
            initial=[
                {
                    "type": b["type"],
                    "symbol": b["symbol"],
                    "date": _iso(b["date"]),
                    "issuer": b["issuer"],
                    "summary": b["summary"],
                }
                for b in result["legal_bases"]
            ],
        )
        self.outline = importer.flatten(result["sections"])
        self.sections = SectionFormSet(data, prefix="section", initial=[{"title": row.title} for row in self.outline])
        self.tasks = TaskFormSet(
            data,
            prefix="task",
            initial=[self._task_initial(task) for task in result["tasks"]],
            form_kwargs={"areas": area_choices, "units": unit_choices},
        )
        self.targets = TargetFormSet(
            data,
            prefix="target",
            initial=[
                {
                    "text": t["text"],
                    "comparator": t["comparator"] or ">=",
                    "value": t["value"],
                    "value_max": t["value_max"],
                    "unit": t["unit"] or "count",
                }
                for t in result["targets"]
            ],
        )
        self.units_form = UnitsForm(
            data,
            prefix="units",
            names=self.names,
            units=unit_choices,
            initial={
                "fallback": str(fallback.pk) if fallback else None,
                **{f"unit_{i}": str(self.unit_map[name] or "") for i, name in enumerate(self.names)},
            },
        )

    def _document_initial(self) -> dict[str, Any]:
        document = self.result["document"]
        signer = document["signer"]
        budget = self.result["budget"]
        return {
            "mode": DRAFT,
            "kind": importer.default_kind(document["title"]),
            "title": document["title"],
            "year": importer.plan_year(document),
            "doc_type": document["type"],
            "number": document["number"],
            "symbol": document["symbol"],
            "date": _iso(document["date"]),
            "place": document["place"],
            "signer_authority": signer["authority"] if signer["authority"] in SignerAuthority.values else "",
            "signer_position": signer["position"],
            "signer_name": signer["name"],
            "recipients": "\n".join(document["recipients"]),
            "budget_amount": budget["amount"] if budget else None,
        }

    @staticmethod
    def _missing(document: dict[str, Any], budget: dict[str, Any] | None) -> set[str]:
        """The fields of the document block the reader did not find: shown as such, never filled in."""
        read = {
            "title": document["title"],
            "year": document["year"],
            "doc_type": document["type"],
            "number": document["number"],
            "symbol": document["symbol"],
            "date": document["date"],
            "place": document["place"],
            "signer_authority": document["signer"]["authority"],
            "signer_position": document["signer"]["position"],
            "signer_name": document["signer"]["name"],
            "recipients": document["recipients"],
            "budget_amount": budget,
        }
        return {name for name, value in read.items() if value in (None, "", [])}

    def _task_initial(self, task: dict[str, Any]) -> dict[str, Any]:
        printed = task["lead_unit"]
        mapped = self.units.get(self.unit_map.get(printed or "") or 0)
        if mapped is not None:
            label = _("%(unit)s (as in the unit table)") % {"unit": mapped.name}
        elif self.fallback is not None:
            label = _("%(unit)s (lead unit of tasks without one)") % {"unit": self.fallback.name}
        else:
            label = None
        override = task.get("lead_unit_id")
        return {
            "content": task["content"],
            "area": task["area"] if task["area"] in self.area_codes else "",
            "lead_unit": str(override) if override in self.units else "",
            "lead_label": label,
            "due": task["due"],
            "output": task["output"],
        }

    # Reading the POST ----------------------------------------------------------

    def formsets(self) -> list[forms.BaseFormSet]:
        return [self.bases, self.sections, self.tasks, self.targets]

    def is_stale(self) -> bool:
        """The page was made from another version of the rows (or tampered with): start again from it."""
        expected = [
            len(self.result["legal_bases"]),
            len(self.outline),
            len(self.result["tasks"]),
            len(self.result["targets"]),
        ]
        return any(
            not formset.management_form.is_valid() or formset.total_form_count() != count
            for formset, count in zip(self.formsets(), expected, strict=True)
        )

    def is_valid(self) -> bool:
        results = [self.document.is_valid(), self.units_form.is_valid()]
        results += [formset.is_valid() for formset in self.formsets()]
        return all(results)

    @property
    def error_count(self) -> int:
        count = len(self.document.errors) + len(self.units_form.errors)
        for formset in self.formsets():
            count += len(formset.non_form_errors())
            count += len([form for form in formset.forms if form.errors and not _marked_deleted(form)])
        return count

    def options(self) -> dict[str, Any]:
        """What `save_plan` is told besides the data."""
        fallback = self.units_form.cleaned_data.get("fallback")
        return {
            "kind": self.document.cleaned_data["kind"],
            "issued": self.document.cleaned_data["mode"] == ISSUED,
            "fallback_unit": self.units.get(int(fallback)) if fallback else None,
        }

    def edited(self) -> tuple[dict[str, Any], dict[str, int | None]]:
        """The result with the person's corrections, and the unit table; call after `is_valid`."""
        result = copy.deepcopy(self.result)
        doc = self.document.cleaned_data
        document = result["document"]
        document.update(
            type=doc["doc_type"].strip() or None,
            number=doc["number"] or None,
            symbol=doc["symbol"].strip() or None,
            date=doc["date"].isoformat() if doc["date"] else None,
            place=doc["place"].strip() or None,
            title=doc["title"].strip(),
            year=doc["year"],
            recipients=[line.strip() for line in doc["recipients"].splitlines() if line.strip()],
        )
        document["signer"] = {
            "authority": doc["signer_authority"] or None,
            "position": doc["signer_position"].strip() or None,
            "name": doc["signer_name"].strip() or None,
        }
        amount = doc["budget_amount"]
        result["budget"] = {"amount": int(amount), "currency": "VND"} if amount is not None else None

        result["legal_bases"] = [
            {
                "type": form.cleaned_data["type"].strip() or None,
                "symbol": form.cleaned_data["symbol"].strip() or None,
                "date": form.cleaned_data["date"].isoformat() if form.cleaned_data["date"] else None,
                "issuer": form.cleaned_data["issuer"].strip() or None,
                "summary": form.cleaned_data["summary"].strip() or None,
            }
            for form in self.bases.forms
            if not _deleted(form)
        ]

        titles = iter(form.cleaned_data["title"].strip() for form in self.sections.forms)

        def retitle(items: list[dict[str, Any]]) -> None:
            for item in items:
                item["title"] = next(titles)
                retitle(item["children"])

        retitle(result["sections"])

        year = doc["year"]
        tasks = []
        for form, task in zip(self.tasks.forms, result["tasks"], strict=True):
            if _deleted(form):
                continue
            data = form.cleaned_data
            due = data["due"].strip() or None
            if due != task["due"]:
                parsed = periods.parse_due(due, year)
                task["due_date"] = parsed.date.isoformat() if parsed.date else None
                task["recurring"] = bool(parsed.recurrence)
            task.update(
                content=data["content"].strip(),
                area=data["area"] or None,
                due=due,
                output=data["output"].strip() or None,
            )
            task.pop("lead_unit_id", None)
            if data["lead_unit"]:
                task["lead_unit_id"] = int(data["lead_unit"])
            tasks.append(task)
        result["tasks"] = tasks

        targets = []
        for target_form, target in zip(self.targets.forms, result["targets"], strict=True):
            if _deleted(target_form):
                continue
            data = target_form.cleaned_data
            ranged = data["comparator"] == "range"
            target.update(
                text=data["text"].strip(),
                comparator=data["comparator"],
                value=importer.plain_number(data["value"]),
                value_max=importer.plain_number(data["value_max"]) if ranged else None,
                unit=data["unit"],
            )
            targets.append(target)
        result["targets"] = targets
        return result, self.units_form.unit_map()
