"""Bulk import of an agency's units and people from one Excel workbook.

Every row is checked before anything is written: if one row is wrong nothing
is stored and the person gets the full list of problems to fix in the file.
When all rows are right, units are matched by abbreviation within the agency
and people by username, and both are created or updated in one transaction.

The workbook format is a contract with the people who fill it in, so it does
not depend on the interface language: sheet names are fixed, and headers,
roles and yes/no answers are accepted in any language the site offers.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

import openpyxl
from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts import access
from accounts.access import ADMIN_ONLY_ROLES, grantable_roles
from accounts.models import Agency, Membership, Role, Unit, User
from lib import xlsx

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# A roster of 5,000 rows unpacks to a few megabytes; far more is a damaged or hostile file.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024

UNITS_SHEET = "Đơn vị"
PEOPLE_SHEET = "Cán bộ"
UNIT_ROLES = (Role.UNIT_HEAD, Role.STAFF)

# How people answer yes/no in a spreadsheet, besides the translated "Yes"/"No".
_YES = {"yes", "y", "x", "1", "true", "có", "co", "c"}
_NO = {"no", "n", "0", "false", "không", "khong", "k"}


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    help: Promise
    required: bool = False
    max_length: int | None = None
    width: int = 18


UNIT_COLUMNS = (
    Column(
        "abbreviation",
        _("Abbreviation"),
        _("Required. Unique within the agency, e.g. VP or HTQT. A unit that already has it is updated."),
        True,
        30,
        14,
    ),
    Column("name", _("Full name"), _("Required, e.g. Phòng Hợp tác quốc tế."), True, 255, 40),
    Column("short_name", _("Short name"), _("Optional, e.g. Phòng HTQT."), False, 100, 24),
    Column(
        "is_coordinator",
        _("Coordinates reform"),
        _("Yes for the unit that coordinates administrative reform (usually the Office), otherwise No."),
        width=18,
    ),
    Column("order", _("Display order"), _("Optional whole number: smaller numbers are listed first."), width=14),
)

PEOPLE_COLUMNS = (
    Column("full_name", pgettext_lazy("person", "Full name"), _("Required, e.g. Nguyễn Văn A."), True, 150, 28),
    Column(
        "username",
        _("Username"),
        _("Required. Letters, digits and @/./+/-/_ only. A person who already has it is updated."),
        True,
        150,
        22,
    ),
    Column("email", _("E-mail"), _("The invitation to set a password is sent here."), False, 254, 30),
    Column("phone", _("Phone"), _("Optional."), False, 30, 16),
    Column("position", _("Position"), _("Optional, e.g. Chuyên viên."), False, 150, 22),
    Column(
        "unit",
        _("Unit abbreviation"),
        _(
            "The abbreviation of a unit of this agency or of the units sheet. "
            "Required for unit heads and civil servants."
        ),
        False,
        30,
        16,
    ),
    Column("role", _("Role"), _("Required: choose from the list."), True, None, 24),
)


@dataclass
class Problem:
    sheet: str
    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return gettext("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    units_created: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    new_people: list[User] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Row:
    line: int
    values: dict[str, Any]  # cells as text, then as checked values
    raw: dict[str, Any]  # cells as openpyxl read them


class Rejected(Exception):
    """The file as a whole cannot be imported."""

    def __init__(self, message: str, sheet: str = "") -> None:
        super().__init__(message)
        self.problem = Problem(sheet, None, "", message)


# Reading -----------------------------------------------------------------


def _normal(value: Any) -> str:
    """Comparable text: NFC, trimmed, single spaces, case-folded, no required-marker star."""
    text = unicodedata.normalize("NFC", str(value or "")).strip().rstrip("*").strip()
    return " ".join(text.split()).casefold()


def _in_every_language(text: Promise) -> set[str]:
    found = {_normal(str(text))}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(_normal(str(text)))
    return found


def _text(value: Any) -> str:
    """A cell as text: Excel turns 0912… into the number 912…, dates into datetimes."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _open(file: IO[bytes], name: str, size: int | None) -> Any:
    try:
        return xlsx.open_workbook(file, name, size, max_bytes=MAX_BYTES, max_unpacked_bytes=MAX_UNPACKED_BYTES)
    except xlsx.Rejected as exc:
        raise Rejected(str(exc)) from exc


def _read_sheet(workbook: Any, sheet: str, columns: tuple[Column, ...], budget: int) -> list[Row]:
    if sheet not in workbook.sheetnames:
        raise Rejected(
            gettext("The workbook has no sheet named “%(sheet)s”. Start from the template.") % {"sheet": sheet}
        )
    rows = workbook[sheet].iter_rows(max_col=len(columns), values_only=True)
    header = next(rows, None) or ()
    for index, column in enumerate(columns):
        found = header[index] if index < len(header) else None
        if _normal(found) not in _in_every_language(column.label):
            raise Rejected(
                gettext(
                    "Sheet “%(sheet)s”: column %(letter)s should be headed “%(expected)s” but is headed "
                    "“%(found)s”. Start from the template and do not move its columns."
                )
                % {
                    "sheet": sheet,
                    "letter": get_column_letter(index + 1),
                    "expected": column.label,
                    "found": found or "",
                },
                sheet,
            )
    examples = _example_rows(sheet)
    found_rows: list[Row] = []
    for line, cells in enumerate(rows, start=2):
        values = [_text(cell) for cell in cells] + [""] * (len(columns) - len(cells))
        if not any(values) or tuple(_normal(v) for v in values) in examples:
            continue
        if len(found_rows) >= budget:
            raise Rejected(
                gettext("The workbook has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": number_format(MAX_ROWS, force_grouping=True)}
            )
        raw = dict(zip((c.key for c in columns), cells, strict=False))
        found_rows.append(Row(line, {c.key: v for c, v in zip(columns, values, strict=True)}, raw))
    return found_rows


# Checking ----------------------------------------------------------------


@dataclass
class UnitPlan:
    row: Row
    unit: Unit | None  # None: a new unit


@dataclass
class PersonPlan:
    row: Row
    person: User | None  # None: a new person
    role: str
    unit_key: str  # normalised abbreviation, "" for none


class Checker:
    def __init__(self, agency: Agency, user: User) -> None:
        self.agency = agency
        self.user = user
        self.is_admin = access.is_admin(user)
        self.problems: list[Problem] = []
        self.unit_keys: set[str] = set()  # abbreviations people may refer to, once units() ran

    def problem(self, sheet: str, row: Row, column: Column | None, message: str) -> None:
        self.problems.append(Problem(sheet, row.line, str(column.label) if column else "", message))

    def basic(self, sheet: str, row: Row, columns: tuple[Column, ...]) -> bool:
        """Required cells and lengths; False when the row has such a problem."""
        good = True
        for column in columns:
            value = row.values[column.key]
            if column.required and not value:
                self.problem(sheet, row, column, gettext("This cell is required and is empty."))
                good = False
            elif column.max_length and len(value) > column.max_length:
                self.problem(
                    sheet,
                    row,
                    column,
                    gettext("This cell has %(length)s characters; at most %(limit)s are allowed.")
                    % {"length": len(value), "limit": column.max_length},
                )
                good = False
        return good

    # Units

    def units(self, rows: list[Row]) -> list[UnitPlan]:
        cols = {c.key: c for c in UNIT_COLUMNS}
        existing = {_normal(u.abbreviation): u for u in Unit.objects.current().filter(agency=self.agency)}
        seen: dict[str, int] = {}
        plans: list[UnitPlan] = []
        for row in rows:
            if not self.basic(UNITS_SHEET, row, UNIT_COLUMNS):
                continue
            key = _normal(row.values["abbreviation"])
            if key in seen:
                self.problem(
                    UNITS_SHEET,
                    row,
                    cols["abbreviation"],
                    gettext("The abbreviation “%(abbreviation)s” is also on line %(line)s.")
                    % {"abbreviation": row.values["abbreviation"], "line": seen[key]},
                )
                continue
            seen[key] = row.line
            raw = row.raw.get("is_coordinator")
            if raw not in (None, ""):
                flag = _yes_no(raw)
                if flag is None:
                    self.problem(
                        UNITS_SHEET,
                        row,
                        cols["is_coordinator"],
                        gettext("“%(value)s” is not Yes or No.") % {"value": row.values["is_coordinator"]},
                    )
                    continue
                row.values["is_coordinator"] = flag
            else:
                row.values["is_coordinator"] = None
            order = row.values["order"]
            if order:
                try:
                    number = float(order.replace(",", "."))
                    if number < 0 or not number.is_integer() or number > 2**31 - 1:
                        raise ValueError
                    row.values["order"] = int(number)
                except ValueError:
                    self.problem(
                        UNITS_SHEET,
                        row,
                        cols["order"],
                        gettext("“%(value)s” is not a whole number of zero or more.") % {"value": order},
                    )
                    continue
            else:
                row.values["order"] = None
            plans.append(UnitPlan(row, existing.get(key)))
        self.unit_keys = set(existing) | set(seen)
        return plans

    # People

    def people(self, rows: list[Row]) -> list[PersonPlan]:
        cols = {c.key: c for c in PEOPLE_COLUMNS}
        roles = _role_lookup()
        usernames: dict[str, int] = {}
        emails: dict[str, int] = {}
        checked: list[tuple[Row, str]] = []
        for row in rows:
            values = row.values
            good = self.basic(PEOPLE_SHEET, row, PEOPLE_COLUMNS)
            values["username"] = values["username"].lower()
            values["email"] = values["email"].lower()
            username, email = values["username"], values["email"]
            if username:
                try:
                    UnicodeUsernameValidator()(username)
                except ValidationError:
                    self.problem(
                        PEOPLE_SHEET,
                        row,
                        cols["username"],
                        gettext("The username “%(username)s” may only hold letters, digits and @/./+/-/_.")
                        % {"username": username},
                    )
                    good = False
                if username in usernames:
                    self.problem(
                        PEOPLE_SHEET,
                        row,
                        cols["username"],
                        gettext("The username “%(username)s” is also on line %(line)s.")
                        % {"username": username, "line": usernames[username]},
                    )
                    good = False
                else:
                    usernames[username] = row.line
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    self.problem(
                        PEOPLE_SHEET,
                        row,
                        cols["email"],
                        gettext("“%(email)s” is not a valid e-mail address.") % {"email": email},
                    )
                    good = False
                if email in emails:
                    self.problem(
                        PEOPLE_SHEET,
                        row,
                        cols["email"],
                        gettext("The e-mail “%(email)s” is also on line %(line)s.")
                        % {"email": email, "line": emails[email]},
                    )
                    good = False
                else:
                    emails[email] = row.line
            role = roles.get(_normal(values["role"])) if values["role"] else None
            if values["role"] and role is None:
                self.problem(
                    PEOPLE_SHEET,
                    row,
                    cols["role"],
                    gettext("Unknown role “%(role)s”. Use one of: %(roles)s.")
                    % {"role": values["role"], "roles": ", ".join(str(label) for _v, label in self.grantable())},
                )
                good = False
            elif role in ADMIN_ONLY_ROLES and not self.is_admin:
                self.problem(
                    PEOPLE_SHEET,
                    row,
                    cols["role"],
                    gettext("Only system administrators may grant the role “%(role)s”.") % {"role": Role(role).label},
                )
                good = False
            unit_key = _normal(values["unit"])
            if unit_key and unit_key not in self.unit_keys:
                self.problem(
                    PEOPLE_SHEET,
                    row,
                    cols["unit"],
                    gettext("The unit “%(unit)s” does not exist in this agency or in the units sheet.")
                    % {"unit": values["unit"]},
                )
                good = False
            elif not unit_key and role in UNIT_ROLES:
                self.problem(
                    PEOPLE_SHEET,
                    row,
                    cols["unit"],
                    gettext("Unit heads and civil servants belong to a unit: fill in the unit abbreviation."),
                )
                good = False
            if good and role is not None:
                checked.append((row, role))
        return self._against_database(checked, cols)

    def _against_database(self, checked: list[tuple[Row, str]], cols: dict[str, Column]) -> list[PersonPlan]:
        usernames = [row.values["username"] for row, _role in checked]
        people = User.objects.filter(username__in=usernames).annotate(
            is_admin_person=Exists(Membership.objects.filter(user=OuterRef("pk"), role=Role.ADMIN)),
            is_managed=Exists(
                Membership.objects.filter(user=OuterRef("pk"), agency__in=access.managed_agencies(self.user))
            ),
        )
        by_username = {p.username.lower(): p for p in people}
        emails = [row.values["email"] for row, _role in checked if row.values["email"]]
        email_owner = dict(
            User.objects.annotate(lower_email=Lower("email"))
            .filter(lower_email__in=emails)
            .values_list("lower_email", "username")
        )
        plans: list[PersonPlan] = []
        for row, role in checked:
            username, email = row.values["username"], row.values["email"]
            person = by_username.get(username)
            if person is not None and not self.is_admin and (person.is_superuser or person.is_admin_person):
                self.problem(
                    PEOPLE_SHEET,
                    row,
                    cols["username"],
                    gettext(
                        "The username “%(username)s” belongs to a system administrator; "
                        "only administrators may change administrators."
                    )
                    % {"username": username},
                )
                continue
            if person is not None and not self.is_admin and not person.is_managed:
                self.problem(
                    PEOPLE_SHEET,
                    row,
                    cols["username"],
                    gettext(
                        "The username “%(username)s” is already used by a person of another agency. "
                        "Choose another username, or ask a system administrator to add that person."
                    )
                    % {"username": username},
                )
                continue
            owner = email_owner.get(email) if email else None
            if owner is not None and owner.lower() != username:
                self.problem(
                    PEOPLE_SHEET,
                    row,
                    cols["email"],
                    gettext("The e-mail “%(email)s” is already used by another person.") % {"email": email},
                )
                continue
            plans.append(PersonPlan(row, person, role, _normal(row.values["unit"])))
        return plans

    def grantable(self) -> list[tuple[str, Any]]:
        return grantable_roles(self.is_admin)


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return {1: True, 0: False}.get(int(value)) if float(value).is_integer() else None
    yes, no = _yes_no_words()
    text = _normal(value)
    return True if text in yes else False if text in no else None


@functools.cache
def _yes_no_words() -> tuple[set[str], set[str]]:
    return _YES | _in_every_language(_("Yes")), _NO | _in_every_language(_("No"))


def _role_lookup() -> dict[str, str]:
    found: dict[str, str] = {}
    for role in Role:
        found[_normal(role.value)] = role.value
        for text in _in_every_language(role.label):
            found[text] = role.value
    return found


# Writing -----------------------------------------------------------------


def _apply(agency: Agency, unit_plans: list[UnitPlan], person_plans: list[PersonPlan], result: ImportResult) -> None:
    units = {_normal(u.abbreviation): u for u in Unit.objects.current().filter(agency=agency)}
    for plan in unit_plans:
        v = plan.row.values
        unit = plan.unit or Unit(agency=agency, abbreviation=v["abbreviation"])
        before = _snapshot(unit, ("abbreviation", "name", "short_name", "is_coordinator", "order"))
        unit.abbreviation = v["abbreviation"]
        unit.name = v["name"]
        if v["short_name"]:
            unit.short_name = v["short_name"]
        if v["is_coordinator"] is not None:
            unit.is_coordinator = v["is_coordinator"]
        if v["order"] is not None:
            unit.order = v["order"]
        if plan.unit is None:
            unit.save()
            result.units_created += 1
        elif _snapshot(unit, tuple(before)) != before:
            unit.save()
            result.units_updated += 1
        else:
            result.units_unchanged += 1
        units[_normal(unit.abbreviation)] = unit

    existing = [p.person for p in person_plans if p.person is not None]
    open_roles = {
        (m.user_id, m.role): m
        for m in Membership.objects.filter(agency=agency, user__in=existing, valid_to__isnull=True)
    }
    for pplan in person_plans:
        v = pplan.row.values
        unit_or_none = units[pplan.unit_key] if pplan.unit_key else None
        if pplan.person is None:
            person = User.objects.create_user(
                v["username"],
                v["email"],
                None,
                full_name=v["full_name"],
                phone=v["phone"],
                position=v["position"],
            )
            Membership.objects.create(user=person, agency=agency, unit=unit_or_none, role=pplan.role)
            result.people_created += 1
            result.new_people.append(person)
            continue
        person = pplan.person
        changed = False
        fields = {"full_name": v["full_name"], "email": v["email"], "phone": v["phone"], "position": v["position"]}
        # Empty optional cells keep what is stored: a roster rarely knows everything.
        updates = {name: value for name, value in fields.items() if value and getattr(person, name) != value}
        if updates:
            for name, value in updates.items():
                setattr(person, name, value)
            person.save(update_fields=list(updates))
            changed = True
        membership = open_roles.get((person.pk, pplan.role))
        if membership is None:
            Membership.objects.create(user=person, agency=agency, unit=unit_or_none, role=pplan.role)
            changed = True
        elif unit_or_none is not None and membership.unit_id != unit_or_none.pk:
            membership.unit = unit_or_none
            membership.save(update_fields=["unit"])
            changed = True
        if changed:
            result.people_updated += 1
        else:
            result.people_unchanged += 1


def _snapshot(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


# Entry points ------------------------------------------------------------


def import_workbook(file: IO[bytes], *, agency: Agency, user: User, name: str, size: int | None = None) -> ImportResult:
    """Check the whole workbook, then store it all or nothing."""
    result = ImportResult()
    try:
        workbook = _open(file, name, size)
        try:
            unit_rows = _read_sheet(workbook, UNITS_SHEET, UNIT_COLUMNS, MAX_ROWS)
            people_rows = _read_sheet(workbook, PEOPLE_SHEET, PEOPLE_COLUMNS, MAX_ROWS - len(unit_rows))
        except Rejected:
            raise
        except Exception as exc:  # openpyxl reads lazily: damage can surface only now
            raise Rejected(
                gettext("The file “%(name)s” could not be read as an Excel workbook: it may be damaged.")
                % {"name": name}
            ) from exc
        finally:
            workbook.close()
    except Rejected as rejected:
        result.problems.append(rejected.problem)
        return result
    if not unit_rows and not people_rows:
        result.problems.append(Problem("", None, "", gettext("The workbook has no rows to import.")))
        return result
    checker = Checker(agency, user)
    unit_plans = checker.units(unit_rows)
    person_plans = checker.people(people_rows)
    if checker.problems:
        result.problems = sorted(checker.problems, key=lambda p: (p.sheet != UNITS_SHEET, p.line or 0))
        return result
    try:
        with transaction.atomic():
            _apply(agency, unit_plans, person_plans, result)
    except IntegrityError:
        return ImportResult(
            problems=[
                Problem(
                    "",
                    None,
                    "",
                    gettext(
                        "Someone changed the same units or people while the file was being imported, "
                        "so nothing was stored. Import the file again."
                    ),
                )
            ]
        )
    return result


def _example_rows(sheet: str) -> set[tuple[str, ...]]:
    found = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(tuple(_normal(_text(v)) for v in _example(sheet)))
    return found


def _example(sheet: str) -> list[Any]:
    if sheet == UNITS_SHEET:
        return ["TCCB", gettext("Example: Organisation and Personnel Division"), "Phòng TCCB", gettext("No"), 9]
    return [
        gettext("Example: Nguyễn Văn A"),
        "nguyenvana.example",
        "nguyenvana@example.org",
        "0912345678",
        "Chuyên viên",
        "TCCB",
        str(Role.STAFF.label),
    ]


def build_template(*, is_admin: bool) -> bytes:
    """The workbook people fill in: headers with comments, an example row, lists to pick from."""
    workbook = openpyxl.Workbook()
    units = workbook.active
    assert units is not None
    units.title = UNITS_SHEET
    people = workbook.create_sheet(PEOPLE_SHEET)
    lists = workbook.create_sheet(gettext("Lists"))
    lists.sheet_state = "hidden"
    roles = [str(label) for _value, label in grantable_roles(is_admin)]
    for index, label in enumerate(roles, start=1):
        lists.cell(index, 1, label)
    lists.cell(1, 2, gettext("Yes"))
    lists.cell(2, 2, gettext("No"))

    _sheet(units, UNIT_COLUMNS, _example(UNITS_SHEET))
    _sheet(people, PEOPLE_COLUMNS, _example(PEOPLE_SHEET))
    last = MAX_ROWS + 1
    list_title = lists.title.replace("'", "''")
    yes_no = DataValidation(type="list", formula1=f"'{list_title}'!$B$1:$B$2", allow_blank=True)
    yes_no.error = gettext("Choose Yes or No.")
    yes_no.add(f"D2:D{last}")
    order = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    order.error = gettext("Enter a whole number of zero or more.")
    order.add(f"E2:E{last}")
    units.add_data_validation(yes_no)
    units.add_data_validation(order)
    role = DataValidation(type="list", formula1=f"'{list_title}'!$A$1:$A${len(roles)}", allow_blank=False)
    role.error = gettext("Choose a role from the list.")
    role.add(f"G2:G{last}")
    people.add_data_validation(role)
    for letter in ("A", "C"):
        units.column_dimensions[letter].number_format = "@"
    for letter in ("B", "C", "D", "F"):
        people.column_dimensions[letter].number_format = "@"  # keep leading zeros of phone numbers

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(sheet: Any, columns: tuple[Column, ...], example: list[Any]) -> None:
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="A4161A")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(1, index, str(column.label))
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        note = str(column.help)
        if index == 1:
            note += "\n" + gettext(
                "Line 2 is an example: it is skipped while it stays unchanged. Replace it or leave it."
            )
        cell.comment = Comment(note, "CCHC", width=300, height=120)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        example_cell = sheet.cell(2, index, example[index - 1])
        example_cell.font = Font(italic=True, color="566173")
    sheet.freeze_panes = "A2"
