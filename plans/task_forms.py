"""Forms of the task pages: the task itself, and carrying it out (progress, contributions, comments, hand-overs)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Unit, User
from accounts.org_forms import choices, date_input
from files import validation
from lib import periods
from plans.models import Plan, ReformArea, Task

MAX_FILES = 10


# Choices shared by the task and reassign forms ------------------------------


def agency_units(agency_id: int, keep: list[int]) -> QuerySet[Unit]:
    """The agency's units in force today, plus those the task already names."""
    current = Unit.objects.current().filter(agency_id=agency_id).values("pk")
    return Unit.objects.filter(agency_id=agency_id).filter(Q(pk__in=current) | Q(pk__in=keep))


def unit_people(unit_ids: list[int]) -> dict[int, set[int]]:
    """People with a membership in force today in each of the units: {unit id: {user ids}}."""
    members: dict[int, set[int]] = defaultdict(set)
    for user_id, unit_id in Membership.objects.current().filter(unit_id__in=unit_ids).values_list("user_id", "unit_id"):
        members[unit_id].add(user_id)
    return members


def set_people_choices(form: forms.BaseForm, name: str, agency_id: int, keep: list[int]) -> None:
    """People working in a unit of the agency, labelled with their units (one query for the labels)."""
    rows = (
        Membership.objects.current()
        .filter(agency_id=agency_id, unit__isnull=False)
        .select_related("unit")
        .order_by("unit__order", "unit__name")
    )
    units: dict[int, list[str]] = defaultdict(list)
    for m in rows:
        assert m.unit is not None
        label = m.unit.abbreviation or m.unit.name
        if label not in units[m.user_id]:
            units[m.user_id].append(label)
    people = User.objects.filter(Q(pk__in=list(units), is_active=True) | Q(pk__in=keep)).order_by("full_name", "pk")

    def with_units(person: User) -> str:
        where = ", ".join(units.get(person.pk, []))
        return f"{person.full_name} ({where})" if where else person.full_name

    choices(form, name, people, with_units)


def check_assignees(form: forms.BaseForm, lead_unit: Unit | None, people: list[User], field: str = "assignees") -> None:
    if lead_unit is None or not people:
        return
    members = unit_people([lead_unit.pk])[lead_unit.pk]
    outside = [p.full_name for p in people if p.pk not in members]
    if outside:
        form.add_error(
            field,
            _("Not a member of the lead unit %(unit)s: %(names)s.")
            % {"unit": lead_unit.name, "names": ", ".join(outside)},
        )


def check_coordinating(form: forms.BaseForm, lead_unit: Unit | None, units: list[Unit]) -> None:
    if lead_unit is not None and any(u.pk == lead_unit.pk for u in units):
        form.add_error("coordinating_units", _("The lead unit cannot also be a coordinating unit."))


def multiple_select(size: int = 6) -> forms.SelectMultiple:
    return forms.SelectMultiple(attrs={"size": size})


MULTIPLE_HELP = _("Hold Ctrl (Cmd on a Mac) to choose several.")


# The task ---------------------------------------------------------------------


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = [
            "section",
            "parent",
            "label",
            "content",
            "area",
            "lead_unit",
            "coordinating_units",
            "assignees",
            "start_date",
            "due_date",
            "due_text",
            "recurrence",
            "output",
            "priority",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "output": forms.Textarea(attrs={"rows": 2}),
            "coordinating_units": multiple_select(),
            "assignees": multiple_select(8),
            "start_date": date_input(),
            "due_date": date_input(),
        }
        error_messages = {"lead_unit": {"required": _("Choose the lead unit.")}}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        kwargs.setdefault("instance", Task(plan=plan, agency_id=plan.agency_id))
        super().__init__(*args, **kwargs)
        self.plan = plan
        task = self.instance
        choices(self, "section", plan.sections.all())
        choices(self, "parent", plan.tasks.exclude(pk__in=self._self_and_below()))
        choices(self, "area", ReformArea.objects.filter(Q(is_active=True) | Q(pk=task.area_id)), lambda a: a.label)
        keep_units = [task.lead_unit_id, *task.coordinating_units.values_list("pk", flat=True)] if task.pk else []
        choices(self, "lead_unit", agency_units(plan.agency_id, keep_units))
        choices(self, "coordinating_units", agency_units(plan.agency_id, keep_units))
        keep_people = list(task.assignees.values_list("pk", flat=True)) if task.pk else []
        set_people_choices(self, "assignees", plan.agency_id, keep_people)
        self.fields["lead_unit"].required = True
        self.fields["parent"].help_text = _("Choose a task to make this one its sub-task.")
        self.fields["coordinating_units"].help_text = MULTIPLE_HELP
        self.fields["assignees"].help_text = _(
            "People of the lead unit who carry the task out. Hold Ctrl (Cmd on a Mac) to choose several."
        )
        self.fields["area"].help_text = _("Left empty, it is taken from the section.")
        self.fields["due_text"].help_text = _(
            "Leave the due date empty to read it from this text: Quý II/%(year)s, Tháng 6, 6 tháng đầu năm, "
            "Thường xuyên, Trước 30/6/%(year)s."
        ) % {"year": plan.year}
        self.fields["recurrence"].help_text = _("A recurring task gets one occurrence per period when it is created.")

    def _self_and_below(self) -> list[int]:
        if not self.instance.pk:
            return []
        children: dict[int, list[int]] = defaultdict(list)
        for pk, parent_id in self.plan.tasks.filter(parent__isnull=False).values_list("pk", "parent_id"):
            children[parent_id].append(pk)
        found, todo = [], [self.instance.pk]
        while todo:
            pk = todo.pop()
            if pk not in found:
                found.append(pk)
                todo.extend(children[pk])
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        parent: Task | None = data.get("parent")
        section = data.get("section")
        if parent is not None and section is None and "section" not in self.errors:
            data["section"] = section = parent.section
        if data.get("area") is None and section is not None and section.area_id:
            data["area"] = section.area
        due_text = (data.get("due_text") or "").strip()
        if not data.get("due_date") and due_text and "due_date" not in self.errors:
            due = periods.parse_due(due_text, self.plan.year)
            if due.date is None:
                self.add_error("due_text", _("Could not read this period; enter a date (dd/mm/yyyy)."))
            else:
                data["due_date"] = due.date
                if not data.get("recurrence"):
                    data["recurrence"] = due.recurrence
        lead_unit = data.get("lead_unit")
        check_coordinating(self, lead_unit, list(data.get("coordinating_units") or []))
        check_assignees(self, lead_unit, list(data.get("assignees") or []))
        return data

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # Django's hook that runs Task.clean(), missing from the stubs
        # Task.clean() repeats checks the fields made already ("Choose the lead unit."): say it once.
        for errors in self.errors.values():
            messages = [str(message) for message in errors]
            errors.data[:] = [item for i, item in enumerate(errors.data) if messages[i] not in messages[:i]]


# Carrying it out ------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by files.validation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        accept = ",".join(f".{ext}" for ext in validation.ALLOWED_EXTENSIONS)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        kwargs.setdefault("allow_empty_file", True)  # files.validation refuses it, naming the file
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = []
        for upload in uploads:
            cleaned.append(super().clean(upload, initial))
        return cleaned


class EvidenceMixin(forms.Form):
    """Links and evidence files; the files are checked before anything is written."""

    links = forms.CharField(
        label=_("Links to documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Addresses (https://…) or document numbers, one per line."),
    )
    evidence = MultipleFileField(label=_("Evidence files"), required=False)

    checked_files: list[tuple[UploadedFile, validation.CheckedFile]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checked_files = []
        self.fields["evidence"].help_text = _(
            "Optional, up to %(count)s files: PDF, Word (.docx), Excel (.xlsx), PNG, JPEG, GIF, WebP or ZIP; "
            "at most %(limit)s MB each."
        ) % {"count": MAX_FILES, "limit": validation.max_bytes() // (1024 * 1024)}

    def clean_links(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines()]
        return "\n".join(line for line in lines if line)

    def clean_evidence(self) -> list[UploadedFile]:
        uploads: list[UploadedFile] = self.cleaned_data["evidence"]
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("Attach at most %(count)s files at a time.") % {"count": MAX_FILES})
        errors: list[ValidationError] = []
        for upload in uploads:
            try:
                self.checked_files.append((upload, validation.check(upload)))
            except ValidationError as error:
                errors.append(error)
        if errors:
            self.checked_files = []
            raise ValidationError(errors)
        return uploads


class ProgressForm(EvidenceMixin):
    text = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what was done.")},
        help_text=_("Name people with @username to let them know."),
    )
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        error_messages={"required": _("Give the progress from 0 to 100%.")},
    )
    field_order = ["text", "progress", "links", "evidence"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "progress-%s")  # three forms share one page
        super().__init__(*args, **kwargs)


class ContributionForm(EvidenceMixin):
    text = forms.CharField(
        label=_("Contribution of your unit"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what your unit contributed.")},
    )
    field_order = ["text", "links", "evidence"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "contribution-%s")
        super().__init__(*args, **kwargs)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the comment.")},
        help_text=_("Name people with @username to let them know."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "comment-%s")
        super().__init__(*args, **kwargs)


# Hand-overs, deadlines, cancelling ------------------------------------------------


class ReassignForm(forms.Form):
    """Managers move the task between units and people; a unit head only changes the people."""

    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Unit.objects.none(), error_messages={"required": _("Choose the lead unit.")}
    )
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Coordinating units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=multiple_select(),
        help_text=MULTIPLE_HELP,
    )
    assignees = forms.ModelMultipleChoiceField(
        label=_("Responsible people"),
        queryset=User.objects.none(),
        required=False,
        widget=multiple_select(8),
        help_text=_("People of the lead unit. Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    note = forms.CharField(
        label=_("Note or reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args: Any, task: Task, full: bool, **kwargs: Any) -> None:
        coordinating = list(task.coordinating_units.all())
        assignees = list(task.assignees.all())
        kwargs.setdefault(
            "initial", {"lead_unit": task.lead_unit, "coordinating_units": coordinating, "assignees": assignees}
        )
        super().__init__(*args, **kwargs)
        self.task = task
        self.full = full
        keep_units = [task.lead_unit_id, *(u.pk for u in coordinating)]
        keep_people = [p.pk for p in assignees]
        if full:
            choices(self, "lead_unit", agency_units(task.agency_id, keep_units))
            choices(self, "coordinating_units", agency_units(task.agency_id, keep_units))
            set_people_choices(self, "assignees", task.agency_id, keep_people)
        else:
            del self.fields["lead_unit"]
            del self.fields["coordinating_units"]
            members = unit_people([task.lead_unit_id])[task.lead_unit_id]
            people = User.objects.filter(Q(pk__in=members, is_active=True) | Q(pk__in=keep_people))
            choices(self, "assignees", people.order_by("full_name", "pk"), lambda p: p.full_name)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        lead_unit = data.get("lead_unit") if self.full else self.task.lead_unit
        if self.full:
            check_coordinating(self, lead_unit, list(data.get("coordinating_units") or []))
        check_assignees(self, lead_unit, list(data.get("assignees") or []))
        return data


class ExtendForm(forms.Form):
    new_due_date = forms.DateField(
        label=_("New due date"), widget=date_input(), error_messages={"required": _("Give the new due date.")}
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the extension.")},
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task

    def clean_new_due_date(self) -> date:
        value: date = self.cleaned_data["new_due_date"]
        due, start = self.task.due_date, self.task.start_date
        if due and value <= due:
            raise ValidationError(
                _("The new due date must be later than the current one (%(date)s).") % {"date": f"{due:%d/%m/%Y}"}
            )
        if start and value < start:
            raise ValidationError(_("The due date must not be before the start date."))
        return value


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for cancelling.")},
    )
