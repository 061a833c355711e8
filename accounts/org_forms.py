"""Forms of the organisation pages: agencies, units, people and their roles."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.access import ADMIN_ONLY_ROLES, grantable_roles
from accounts.models import Agency, AgencyKind, Membership, Role, Unit, User


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "autocomplete": "off"})


def choices(form: forms.BaseForm, name: str, queryset: Any, label: Any = None) -> None:
    """Limit a model choice field to the given rows (and how they are shown)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    if label is not None:
        field.label_from_instance = label  # type: ignore[method-assign]


class DerivedConstraintsMixin(forms.ModelForm):
    """Check model constraints on fields the view sets rather than the form.

    A ModelForm skips every constraint that involves a field it does not edit;
    these forms get such fields from the URL (a unit's agency, a role's person)
    or derive them (an agency's province), so the instance carries them before
    validation and the constraints are checked here.
    """

    derived_fields: ClassVar[frozenset[str]] = frozenset()

    def prepare_instance(self) -> None:
        """Set derived fields on self.instance before constraints are checked."""

    def validate_unique(self) -> None:
        super().validate_unique()
        if self.errors:
            return  # the instance may hold stale values for fields that did not validate
        self.prepare_instance()
        for constraint in self.instance._meta.constraints:
            names = set(getattr(constraint, "fields", ()) or ()) | set(_expression_names(constraint))
            if names & self.derived_fields:
                try:
                    constraint.validate(type(self.instance), self.instance)
                except ValidationError as exc:
                    self.add_error(None, exc)


def _expression_names(constraint: Any) -> list[str]:
    from django.db.models import F

    names: list[str] = []
    for expression in getattr(constraint, "expressions", ()):
        for node in expression.flatten() if hasattr(expression, "flatten") else [expression]:
            if isinstance(node, F):
                names.append(node.name)
    return names


# Agencies ----------------------------------------------------------------


class AgencyForm(DerivedConstraintsMixin):
    derived_fields = frozenset({"province"})
    website = Agency._meta.get_field("website").formfield(assume_scheme="https")

    class Meta:
        model = Agency
        fields = [
            "name",
            "short_name",
            "abbreviation",
            "code",
            "kind",
            "parent",
            "parent_body_name",
            "place_name",
            "address",
            "phone",
            "email",
            "website",
            "valid_from",
            "valid_to",
            "successor",
        ]
        widgets = {"valid_from": date_input(), "valid_to": date_input()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Agency.objects.order_by("name")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        choices(self, "parent", others)
        choices(self, "successor", others)
        self.fields["kind"].initial = AgencyKind.DEPARTMENT

    def prepare_instance(self) -> None:
        parent = self.instance.parent
        self.instance.province = None if parent is None else parent.province_root

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("successor") and not data.get("valid_to"):
            self.add_error("valid_to", _("Set the end date when the agency has a successor."))
        return data

    def save(self, commit: bool = True) -> Agency:
        parent_changed = "parent" in self.changed_data
        with transaction.atomic():
            agency = super().save(commit=commit)
            if commit and parent_changed and agency.pk:
                _move_descendants(agency)
        return agency


def _move_descendants(agency: Agency) -> None:
    """Keep `province` right below an agency whose superior changed."""
    root = agency.province_root
    level = list(Agency.objects.filter(parent=agency))
    while level:
        for child in level:
            if child.province_id != root.pk:
                child.save()  # save() recomputes province from the (already moved) parent
        level = list(Agency.objects.filter(parent__in=level))


# Units -------------------------------------------------------------------


class UnitForm(DerivedConstraintsMixin):
    derived_fields = frozenset({"agency"})

    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "abbreviation",
            "is_coordinator",
            "order",
            "valid_from",
            "valid_to",
            "successor",
        ]
        widgets = {"valid_from": date_input(), "valid_to": date_input()}
        help_texts = {"successor": _("The unit that takes over its work when this one is closed.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.instance.agency_id, "UnitForm needs an instance with its agency"
        if self.instance.pk:
            choices(
                self, "successor", Unit.objects.filter(agency_id=self.instance.agency_id).exclude(pk=self.instance.pk)
            )
        else:
            # A new unit is in force: closing it is done later, from its edit page.
            del self.fields["valid_to"]
            del self.fields["successor"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("successor") and not data.get("valid_to"):
            self.add_error("valid_to", _("Set the end date when the unit has a successor."))
        return data


# People ------------------------------------------------------------------


class PersonForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "username", "email", "phone", "position"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("Invitations, reminders and password resets are sent here.")

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class RoleFieldsMixin(forms.Form):
    """Role and unit of a membership, limited to what the signed-in person may grant."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Required for unit heads and civil servants."),
    )

    def setup_roles(self, *, is_admin: bool, units: Any) -> None:
        self.is_admin = is_admin
        role = self.fields["role"]
        # Validation knows every role so that a forbidden one gets a clear message below.
        role.widget.choices = [("", "---------"), *grantable_roles(is_admin)]
        choices(self, "unit", units)

    def clean_role(self) -> str:
        role = str(self.cleaned_data["role"])
        if role in ADMIN_ONLY_ROLES and not self.is_admin:
            raise ValidationError(
                _("Only system administrators may grant the role “%(role)s”."),
                params={"role": Role(role).label},
                code="forbidden_role",
            )
        return role

    def check_unit(self) -> None:
        role, unit = self.cleaned_data.get("role"), self.cleaned_data.get("unit")
        if role in (Role.UNIT_HEAD, Role.STAFF) and unit is None:
            self.add_error("unit", _("Unit heads and civil servants belong to a unit: choose one."))


class PersonCreateForm(RoleFieldsMixin, PersonForm):
    def __init__(self, *args: Any, agency: Agency, is_admin: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.setup_roles(is_admin=is_admin, units=Unit.objects.current().filter(agency=agency).order_by("order"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.check_unit()
        return data

    def save(self, commit: bool = True) -> User:
        assert commit, "people are created with their role in one transaction"
        with transaction.atomic():
            user = super().save(commit=False)
            user.set_unusable_password()
            user.save()
            Membership.objects.create(
                user=user, agency=self.agency, unit=self.cleaned_data["unit"], role=self.cleaned_data["role"]
            )
        return user


class MembershipForm(DerivedConstraintsMixin, RoleFieldsMixin):
    """A new role for a person; Membership.clean checks the unit against the agency and role."""

    derived_fields = frozenset({"user"})

    class Meta:
        model = Membership
        fields = ["agency", "role", "unit", "valid_from"]
        widgets = {"valid_from": date_input()}

    def __init__(self, *args: Any, person: User, agencies: Any, is_admin: bool, **kwargs: Any) -> None:
        kwargs.setdefault("instance", Membership(user=person))
        super().__init__(*args, **kwargs)
        choices(self, "agency", agencies)
        agency = self._chosen_agency(agencies)
        units = Unit.objects.current().filter(agency__in=agencies).select_related("agency")
        if agency is not None:
            units = units.filter(agency=agency)
        self.setup_roles(is_admin=is_admin, units=units.order_by("agency__name", "order", "name"))
        choices(self, "unit", units, label=_unit_label)

    def _chosen_agency(self, agencies: Any) -> Agency | None:
        raw = self.data.get("agency") if self.is_bound else self.initial.get("agency")
        if isinstance(raw, Agency):
            return raw
        try:
            return agencies.get(pk=int(raw)) if raw else None
        except (Agency.DoesNotExist, ValueError, TypeError):
            return None


def _unit_label(unit: Unit) -> str:
    return f"{unit.name} ({unit.agency.abbreviation})"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"),
        help_text=_("Use the template: one sheet of units and one sheet of people."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
