"""Criteria sets: copies and new versions, publishing, the edit guard, Excel both ways, the example set.

A set in use is never changed in place (`CriteriaSet.is_locked`): the keepers
make a new version of the same year (`copy_set` without a year), edit the
draft and publish it, which marks the version it replaces. Last year's set is
carried into a new year the same way (`copy_set` with the year).

The workbook has one sheet of criteria, one row per area, criterion or
sub-criterion, and a sheet "Thông tin" with the set's own fields (or the same
label/value rows above the criteria's header row). Its headers and the labels
of kinds, methods and applicability are the file's own, in Vietnamese, as the
provinces print them; they are data here, not interface text, and the English
names and the codes are recognised too. Reading checks every row before
anything is stored and names each problem with its line; a set is imported
whole or not at all, as a draft. The example set (`data/example_departments.json`)
goes through the same reader.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import openpyxl
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.models import Agency, AgencyKind, User
from indices.models import (
    Applicability,
    CriteriaSet,
    Criterion,
    CriterionKind,
    Method,
    SetStatus,
    default_bands,
)
from indices.scoring import check_set
from lib import numbers, xlsx
from lib.text import fold

EXAMPLE_FILE = Path(__file__).parent / "data" / "example_departments.json"
CRITERIA_SHEET = "Tiêu chí"
FIELDS_SHEET = "Thông tin"
MAX_ROWS = 1000
HEADER_SEARCH_ROWS = 20
MAX_POINTS = Decimal("99999.99")
MAX_STEP = Decimal("999.99")


class Refused(Exception):
    """The action is not possible; `messages` say why, for the person."""

    def __init__(self, messages: str | Sequence[str]) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__(" ".join(self.messages))


# The edit guard -------------------------------------------------------------


def locked_reason(criteria_set: CriteriaSet) -> str:
    """Why the set cannot be edited ("" when it can)."""
    if criteria_set.status == SetStatus.IN_USE:
        return _("This set is in use and cannot be changed. Make a new version to change it.")
    if criteria_set.status == SetStatus.RETIRED:
        return _("This set was replaced by a newer version and cannot be changed.")
    if criteria_set.assessments.exists():
        return _("Assessments already use this set, so it cannot be changed. Make a new version to change it.")
    return ""


def ensure_editable(criteria_set: CriteriaSet) -> None:
    reason = locked_reason(criteria_set)
    if reason:
        raise Refused(reason)


# Copies, versions, publishing ------------------------------------------------


def next_version(province: Agency | None, year: int, agency_kind: str) -> tuple[int, CriteriaSet | None]:
    """The next free version number of a province's sets for a year and kind, and the latest set."""
    latest = (
        CriteriaSet.objects.filter(province=province, year=year, agency_kind=agency_kind).order_by("-version").first()
    )
    return (latest.version + 1 if latest else 1), latest


@transaction.atomic
def copy_set(source: CriteriaSet, user: User | None, *, year: int | None = None) -> CriteriaSet:
    """A draft copy of the set's fields and tree.

    Without a year (or with the set's own year): a new version of a set that is
    locked. With another year: the set carried into that year, `previous`
    pointing back to it either way.
    """
    same_year = year is None or year == source.year
    if same_year and not source.is_locked:
        raise Refused(_("This set is a draft: edit it instead of making a new version."))
    target_year = source.year if same_year else int(year or source.year)
    if not 2000 <= target_year <= 2100:
        raise Refused(_("The year must be between 2000 and 2100."))
    version, _latest = next_version(source.province, target_year, source.agency_kind)
    name = source.name if same_year else source.name.replace(str(source.year), str(target_year))
    copy = _create_set(
        name=name,
        year=target_year,
        agency_kind=source.agency_kind,
        province=source.province,
        decision=source.decision,
        decision_date=source.decision_date,
        version=version,
        previous=source,
        status=SetStatus.DRAFT,
        is_example=source.is_example,
        bands=source.bands,
        decimals=source.decimals,
        cap_at_100=source.cap_at_100,
        notes=source.notes,
        created_by=user,
    )
    new: dict[int, Criterion] = {}
    for criterion in tree_order(list(source.criteria.all())):
        new[criterion.pk] = Criterion.objects.create(
            criteria_set=copy,
            parent=new[criterion.parent_id] if criterion.parent_id else None,
            code=criterion.code,
            name=criterion.name,
            order=criterion.order,
            max_points=criterion.max_points,
            kind=criterion.kind,
            method=criterion.method,
            guidance=criterion.guidance,
            evidence_required=criterion.evidence_required,
            step=criterion.step,
            options=criterion.options,
            applicability=criterion.applicability,
            keywords=criterion.keywords,
        )
    return copy


def _create_set(**fields: Any) -> CriteriaSet:
    try:
        with transaction.atomic():
            return CriteriaSet.objects.create(**fields)
    except IntegrityError as error:
        # Two people made a version of the same set at the same moment.
        raise Refused(_("Another version of this set was saved at the same moment. Try again.")) from error


def tree_order(criteria: Sequence[Criterion], key: Callable[[Criterion], Any] | None = None) -> list[Criterion]:
    """Parents before their children, siblings by order: the order the table shows and the file lists."""
    children: dict[int | None, list[Criterion]] = {}
    for criterion in criteria:
        children.setdefault(criterion.parent_id, []).append(criterion)
    for kids in children.values():
        kids.sort(key=key or (lambda c: (c.order, c.pk or 0)))
    ordered: list[Criterion] = []

    def walk(parent_id: int | None) -> None:
        for kid in children.get(parent_id, []):
            ordered.append(kid)
            walk(kid.pk)

    walk(None)
    # Nodes under a parent of another set (never made here) are kept rather than lost.
    seen = {c.pk for c in ordered}
    ordered.extend(c for c in criteria if c.pk not in seen)
    return ordered


def code_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """ "1.2" before "1.10"."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in code.split("."))


def renumber(criteria_set: CriteriaSet) -> None:
    """Siblings in the order of their codes, so that a criterion added by hand takes its place in the tree."""
    nodes = list(criteria_set.criteria.all())
    changed = []
    for position, node in enumerate(tree_order(nodes, key=lambda c: (code_key(c.code), c.pk)), start=1):
        if node.order != position:
            node.order = position
            changed.append(node)
    if changed:
        # The order is presentation only: not worth an audit entry per row.
        Criterion.objects.bulk_update(changed, ["order"])


@transaction.atomic
def publish(criteria_set: CriteriaSet, user: User | None) -> CriteriaSet:
    """Put a draft in use (who and when kept); the version in use of the same province, year and kind is
    marked replaced."""
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if locked.status != SetStatus.DRAFT:
        raise Refused(
            _("Only a draft can be published; this set is already “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    criteria = list(locked.criteria.all())
    if not criteria:
        raise Refused(_("The set has no criteria yet."))
    errors = check_set(criteria)
    if errors:
        raise Refused(errors)
    replaced = CriteriaSet.objects.select_for_update().filter(
        province=locked.province_id, year=locked.year, agency_kind=locked.agency_kind, status=SetStatus.IN_USE
    )
    for other in replaced.exclude(pk=locked.pk):
        # One by one, so the audit trail records each change of status.
        other.status = SetStatus.RETIRED
        other.save(update_fields=["status"])
    locked.status = SetStatus.IN_USE
    locked.published_by = user
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_by", "published_at"])
    return locked


# The file's columns and labels (data: the headers provinces print) --------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...]  # folded
    width: int
    note: str = ""


COLUMNS = (
    Column("code", "Mã", ("ma", "ma so", "ma tieu chi", "stt", "tt", "code"), 9, "1, 1.2 hoặc 1.2.3"),
    Column(
        "parent",
        "Mã cha",
        ("ma cha", "thuoc", "thuoc ma", "parent", "parent code"),
        9,
        "Để trống: suy ra từ mã (3.2.1 thuộc 3.2)",
    ),
    Column("name", "Tên tiêu chí", ("ten tieu chi", "ten", "tieu chi", "noi dung", "name"), 60),
    Column("max_points", "Điểm tối đa", ("diem toi da", "diem", "diem chuan", "max points", "maximum points"), 11),
    Column("kind", "Loại", ("loai", "loai diem", "kind"), 14, "Chấm điểm, Điểm thưởng hoặc Điểm trừ"),
    Column(
        "method",
        "Phương pháp",
        ("phuong phap", "phuong phap danh gia", "cach danh gia", "method", "assessed by"),
        20,
        "Tự đánh giá, thẩm định hoặc Điều tra xã hội học",
    ),
    Column("step", "Bước điểm", ("buoc diem", "buoc", "step", "score step"), 10, "Ví dụ 0,25"),
    Column(
        "options",
        "Phương án điểm",
        ("phuong an diem", "phuong an", "muc diem", "options", "score options"),
        36,
        "Nhãn=điểm; nhãn=điểm",
    ),
    Column(
        "applicability",
        "Áp dụng",
        ("ap dung", "pham vi ap dung", "doi tuong ap dung", "applicability", "applies"),
        18,
        "Mọi cơ quan, Cơ quan có TTHC hoặc Cơ quan tự xác định",
    ),
    Column(
        "guidance",
        "Hướng dẫn chấm điểm",
        ("huong dan cham diem", "huong dan", "cach cham diem", "guidance", "scoring guidance"),
        48,
    ),
    Column(
        "evidence",
        "Tài liệu kiểm chứng",
        ("tai lieu kiem chung", "tlkc", "evidence", "evidence required"),
        40,
    ),
    Column("keywords", "Từ khóa", ("tu khoa", "keywords"), 24),
)
REQUIRED_COLUMNS = ("code", "name", "max_points")


@dataclass(frozen=True)
class SetField:
    key: str
    label: str
    aliases: tuple[str, ...]  # folded


SET_FIELDS = (
    SetField("name", "Tên bộ tiêu chí", ("ten bo tieu chi", "ten", "name")),
    SetField("year", "Năm đánh giá", ("nam danh gia", "nam", "year")),
    SetField("agency_kind", "Loại cơ quan", ("loai co quan", "doi tuong", "kind of agency", "agency kind")),
    SetField(
        "decision", "Quyết định ban hành", ("quyet dinh ban hanh", "quyet dinh", "decision", "issued by decision")
    ),
    SetField("decision_date", "Ngày quyết định", ("ngay quyet dinh", "ngay ban hanh", "decision date")),
    SetField("bands", "Xếp loại", ("xep loai", "nhom xep hang", "bands", "ranking groups")),
    SetField("decimals", "Số chữ số thập phân", ("so chu so thap phan", "lam tron", "decimals", "decimal places")),
    SetField("cap_at_100", "Chỉ số tối đa 100", ("chi so toi da 100", "toi da 100", "cap at 100", "index at most 100")),
    SetField("notes", "Ghi chú", ("ghi chu", "notes")),
)

KIND_LABELS: dict[str, str] = {
    CriterionKind.SCORED: "Chấm điểm",
    CriterionKind.BONUS: "Điểm thưởng",
    CriterionKind.PENALTY: "Điểm trừ",
}
METHOD_LABELS: dict[str, str] = {Method.SELF: "Tự đánh giá, thẩm định", Method.SURVEY: "Điều tra xã hội học"}
APPLICABILITY_LABELS: dict[str, str] = {
    Applicability.ALWAYS: "Mọi cơ quan",
    Applicability.PROCEDURES: "Cơ quan có TTHC",
    Applicability.DECLARED: "Cơ quan tự xác định",
}
AGENCY_KIND_LABELS: dict[str, str] = {
    AgencyKind.DEPARTMENT: "Sở, ban, ngành",
    AgencyKind.COMMUNE: "UBND cấp xã",
    AgencyKind.DISTRICT: "UBND cấp huyện",
    AgencyKind.PROVINCE: "UBND cấp tỉnh",
    AgencyKind.OTHER: "Cơ quan khác",
}
# Other words people write for the same values.
EXTRA_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "kind": {
        CriterionKind.SCORED: ("diem", "tieu chi"),
        CriterionKind.BONUS: ("thuong",),
        CriterionKind.PENALTY: ("tru",),
    },
    "method": {Method.SELF: ("tu danh gia", "tu cham", "tham dinh"), Method.SURVEY: ("xhh", "dieu tra", "khao sat")},
    "applicability": {Applicability.ALWAYS: ("tat ca", "moi")},
    "agency_kind": {AgencyKind.DEPARTMENT: ("so", "so, ban, nganh"), AgencyKind.COMMUNE: ("xa", "cap xa")},
}
YES = {"co", "x", "yes", "true", "1", "dung"}
NO = {"khong", "no", "false", "0", "sai"}


def _choices(key: str) -> tuple[dict[str, str], dict[str, str]]:
    """Folded spellings → value, and the labels written in files, for one column of choices."""
    model_choices: dict[str, Any] = {
        "kind": CriterionKind,
        "method": Method,
        "applicability": Applicability,
        "agency_kind": AgencyKind,
    }
    labels = {
        "kind": KIND_LABELS,
        "method": METHOD_LABELS,
        "applicability": APPLICABILITY_LABELS,
        "agency_kind": AGENCY_KIND_LABELS,
    }[key]
    spellings: dict[str, str] = {}
    with translation.override("en"):
        english = {value: str(label) for value, label in model_choices[key].choices}
    for value, label in labels.items():
        for spelling in (value, label, english[value], *EXTRA_ALIASES.get(key, {}).get(value, ())):
            spellings.setdefault(fold(spelling), value)
    return spellings, labels


def options_text(options: Sequence[dict[str, Any]] | None) -> str:
    """ "Đủ, đúng hạn=6; Trễ hạn=3": the options as the file and the forms write them."""
    return "; ".join(f"{o.get('label', '')}={_plain(o.get('points'))}" for o in options or [])


def parse_options(text: str, max_points: Decimal | None = None) -> tuple[list[dict[str, str]], list[str]]:
    """The options of "label=points; label=points" and what is wrong with them."""
    options: list[dict[str, str]] = []
    errors: list[str] = []
    for part in (p.strip() for p in str(text or "").replace("\n", ";").split(";")):
        if not part:
            continue
        label, sep, raw = part.rpartition("=")
        label = label.strip()
        if not sep or not label:
            errors.append(_("The option “%(option)s” is not written as label=points.") % {"option": part})
            continue
        points, error = parse_points(raw)
        if error:
            errors.append(_("The option “%(option)s”: %(reason)s") % {"option": part, "reason": error})
            continue
        assert points is not None
        if max_points is not None and points > max_points:
            errors.append(
                _("The option “%(option)s” gives more than the maximum of %(max)s points.")
                % {"option": part, "max": _plain(max_points)}
            )
            continue
        if any(o["label"] == label for o in options):
            errors.append(_("The option “%(label)s” is listed twice.") % {"label": label})
            continue
        options.append({"label": label, "points": _plain(points)})
    return options, errors


def parse_points(raw: Any, *, limit: Decimal = MAX_POINTS) -> tuple[Decimal | None, str]:
    """A number of points with at most two decimals (a comma is a decimal separator), or the reason it is not."""
    try:
        value = numbers.decimal(raw)
    except ValueError:
        value = None
    if value is None:
        return None, _("“%(value)s” is not a number.") % {"value": str(raw).strip()}
    if value < 0:
        return None, _("“%(value)s” is negative.") % {"value": _plain(value)}
    if value > limit:
        return None, _("“%(value)s” is more than %(limit)s.") % {"value": _plain(value), "limit": _plain(limit)}
    if value != value.quantize(Decimal("0.01")):
        return None, _("“%(value)s” has more than two decimals.") % {"value": str(raw).strip()}
    return value.quantize(Decimal("0.01")), ""


def bands_text(bands: Sequence[dict[str, Any]] | None) -> str:
    return "; ".join(f"{b.get('label', '')}={_plain(Decimal(str(b.get('min', 0))))}" for b in bands or [])


def parse_bands(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Ranking groups from "A=90; B=80; C=70; D=0"."""
    bands: list[dict[str, Any]] = []
    errors: list[str] = []
    for part in (p.strip() for p in str(text or "").split(";")):
        if not part:
            continue
        label, sep, raw = part.rpartition("=")
        label = label.strip()
        value, error = parse_points(raw, limit=Decimal(1000)) if sep and label else (None, "")
        if not sep or not label or value is None:
            errors.append(_("The group “%(group)s” is not written as label=lowest index, e.g. A=90.") % {"group": part})
            continue
        bands.append({"label": label, "min": float(value) if value != value.to_integral() else int(value)})
    if len({b["label"] for b in bands}) != len(bands):
        errors.append(_("A group label is listed twice."))
    return bands, errors


def _plain(value: Any) -> str:
    """2.50 → "2.5", 3.00 → "3": points as people write them."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return text or "0"


# Reading ----------------------------------------------------------------------


@dataclass
class Problem:
    line: int | None  # the file's line (row) number; None for the file as a whole
    message: str  # the whole sentence, line included

    def __str__(self) -> str:
        return self.message


@dataclass
class Parsed:
    fields: dict[str, Any] = field(default_factory=dict)
    criteria: list[Criterion] = field(default_factory=list)  # unsaved, parents before children
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _code_text(value: Any) -> str:
    """A code as written; a number cell of 1.2 stays "1.2" (Excel turns "1.2" into a number)."""
    if isinstance(value, float):
        return repr(value).rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
    return _text(value)


class Reader:
    """Checks rows (dicts of the COLUMNS' keys) and set fields; problems name their lines."""

    def __init__(self) -> None:
        self.parsed = Parsed()
        self.kinds = _choices("kind")[0]
        self.methods = _choices("method")[0]
        self.applicabilities = _choices("applicability")[0]
        self.agency_kinds = _choices("agency_kind")[0]
        self.refused: set[str] = set()  # codes of lines with problems: their children are not blamed again

    def problem(self, line: int | None, message: str) -> None:
        text = _("Line %(line)s: %(reason)s") % {"line": line, "reason": message} if line is not None else message
        self.parsed.problems.append(Problem(line, text))

    # The set's fields

    def read_fields(self, raw: dict[str, Any], where: str) -> None:
        fields: dict[str, Any] = {}

        def missing(label: str) -> None:
            self.problem(
                None,
                _("%(where)s: “%(field)s” is required.") % {"where": where, "field": label},
            )

        labels = {f.key: f.label for f in SET_FIELDS}
        name = _text(raw.get("name"))
        if not name:
            missing(labels["name"])
        elif len(name) > 255:
            self.problem(None, _("%(where)s: the name is longer than 255 characters.") % {"where": where})
        fields["name"] = name
        year_text = _text(raw.get("year"))
        try:
            year = int(year_text)
            if not 2000 <= year <= 2100:
                raise ValueError
            fields["year"] = year
        except ValueError:
            if year_text:
                self.problem(
                    None,
                    _("%(where)s: the year “%(value)s” is not a year between 2000 and 2100.")
                    % {"where": where, "value": year_text},
                )
            else:
                missing(labels["year"])
        kind_text = _text(raw.get("agency_kind"))
        if kind_text:
            kind = self.agency_kinds.get(fold(kind_text))
            if kind is None:
                self.problem(
                    None,
                    _("%(where)s: “%(value)s” is not a kind of agency; write one of %(allowed)s.")
                    % {"where": where, "value": kind_text, "allowed": ", ".join(AGENCY_KIND_LABELS.values())},
                )
            fields["agency_kind"] = kind or AgencyKind.DEPARTMENT
        else:
            fields["agency_kind"] = AgencyKind.DEPARTMENT
        decision = _text(raw.get("decision"))
        if len(decision) > 255:
            self.problem(None, _("%(where)s: the decision is longer than 255 characters.") % {"where": where})
        fields["decision"] = decision
        fields["decision_date"] = None
        when = raw.get("decision_date")
        if isinstance(when, datetime):
            fields["decision_date"] = when.date()
        elif isinstance(when, date):
            fields["decision_date"] = when
        elif _text(when):
            try:
                fields["decision_date"] = datetime.strptime(_text(when), "%d/%m/%Y").date()
            except ValueError:
                self.problem(
                    None,
                    _("%(where)s: the decision date “%(value)s” is not a date written dd/mm/yyyy.")
                    % {"where": where, "value": _text(when)},
                )
        bands_raw = _text(raw.get("bands"))
        if bands_raw:
            bands, errors = parse_bands(bands_raw)
            for error in errors:
                self.problem(None, f"{where}: {error}")
            fields["bands"] = bands
        else:
            fields["bands"] = default_bands()
        decimals_text = _text(raw.get("decimals"))
        fields["decimals"] = 2
        if decimals_text:
            try:
                fields["decimals"] = int(decimals_text)
                if not 0 <= fields["decimals"] <= 4:
                    raise ValueError
            except ValueError:
                self.problem(
                    None,
                    _("%(where)s: the decimal places “%(value)s” must be a whole number from 0 to 4.")
                    % {"where": where, "value": decimals_text},
                )
        cap = raw.get("cap_at_100")
        fields["cap_at_100"] = True
        if isinstance(cap, bool):
            fields["cap_at_100"] = cap
        elif _text(cap):
            folded = fold(_text(cap))
            if folded in YES or folded in NO:
                fields["cap_at_100"] = folded in YES
            else:
                self.problem(
                    None,
                    _("%(where)s: “%(value)s” for “%(field)s” must be Có or Không.")
                    % {"where": where, "value": _text(cap), "field": labels["cap_at_100"]},
                )
        fields["notes"] = _text(raw.get("notes"))
        self.parsed.fields = fields

    # The criteria

    def read_rows(self, rows: Iterable[tuple[int, dict[str, Any]]]) -> None:
        by_code: dict[str, tuple[int, Criterion]] = {}
        order = 0
        for line, raw in rows:
            values = {key: raw.get(key) for key in (c.key for c in COLUMNS)}
            if not any(_text(v) for v in values.values()):
                continue
            order += 1
            if order > MAX_ROWS:
                self.problem(None, _("The file has more than %(max)s criteria.") % {"max": MAX_ROWS})
                return
            criterion = self.criterion(line, values, by_code)
            if criterion is None:
                continue
            criterion.order = order
            by_code[criterion.code] = (line, criterion)
            self.parsed.criteria.append(criterion)
        if not by_code and not self.parsed.problems:
            self.problem(None, _("The file has no criteria: fill in at least one row under the headers."))
        self.check_sums(by_code)

    def criterion(
        self, line: int, values: dict[str, Any], by_code: dict[str, tuple[int, Criterion]]
    ) -> Criterion | None:
        before = len(self.parsed.problems)
        code = _code_text(values["code"]).rstrip(".")
        name = _text(values["name"])
        if not code:
            self.problem(line, _("the code is missing."))
        elif len(code) > 20 or " " in code:
            self.problem(line, _("the code “%(code)s” is not a code such as 3.2.1.") % {"code": code})
        elif code in by_code:
            self.problem(
                line,
                _("the code %(code)s is already used on line %(first)s.") % {"code": code, "first": by_code[code][0]},
            )
        if not name:
            self.problem(line, _("the name is missing."))
        max_points: Decimal | None = None
        if _text(values["max_points"]) == "":
            self.problem(line, _("the maximum points are missing."))
        else:
            max_points, error = parse_points(values["max_points"])
            if error:
                self.problem(line, _("maximum points: %(reason)s") % {"reason": error})
        parent: Criterion | None = None
        parent_code = _code_text(values["parent"]).rstrip(".")
        if not parent_code and "." in code:
            parent_code = code.rsplit(".", 1)[0]
        parent_refused = parent_code in self.refused
        if parent_code and not parent_refused:
            if parent_code == code:
                self.problem(line, _("a criterion cannot be its own parent."))
            elif parent_code not in by_code:
                self.problem(
                    line,
                    _("the parent code %(parent)s is not the code of an earlier line.") % {"parent": parent_code},
                )
            else:
                parent = by_code[parent_code][1]
        kind = self.choice(line, values["kind"], self.kinds, KIND_LABELS, _("kind"))
        method = self.choice(line, values["method"], self.methods, METHOD_LABELS, _("method"))
        applicability = self.choice(
            line, values["applicability"], self.applicabilities, APPLICABILITY_LABELS, _("applicability")
        )
        step: Decimal | None = None
        if _text(values["step"]):
            step, error = parse_points(values["step"], limit=MAX_STEP)
            if error:
                self.problem(line, _("score step: %(reason)s") % {"reason": error})
            elif step == 0:
                self.problem(line, _("score step: the step must be more than 0."))
        options, errors = parse_options(_text(values["options"]), max_points)
        for error in errors:
            self.problem(line, error)
        keywords = _text(values["keywords"])
        if len(keywords) > 255:
            self.problem(line, _("the keywords are longer than 255 characters."))
        if len(self.parsed.problems) > before or max_points is None or parent_refused:
            self.refused.add(code)
            return None
        return Criterion(
            parent=parent,
            code=code,
            name=name,
            max_points=max_points,
            # A blank kind, method or applicability is the parent's (an area's rows need not repeat it).
            kind=kind or (parent.kind if parent else CriterionKind.SCORED),
            method=method or (parent.method if parent else Method.SELF),
            applicability=applicability or (parent.applicability if parent else Applicability.ALWAYS),
            step=step,
            options=options,
            guidance=_text(values["guidance"]),
            evidence_required=_text(values["evidence"]),
            keywords=keywords,
        )

    def choice(self, line: int, raw: Any, spellings: dict[str, str], labels: dict[str, str], column: str) -> str | None:
        text = _text(raw)
        if not text:
            return None
        value = spellings.get(fold(text))
        if value is None:
            self.problem(
                line,
                _("“%(value)s” is not a known %(column)s; write one of %(allowed)s.")
                % {"value": text, "column": column, "allowed": ", ".join(labels.values())},
            )
        return value

    def check_sums(self, by_code: dict[str, tuple[int, Criterion]]) -> None:
        """The set's own check (scoring.check_set), parent by parent so that each problem has its line."""
        number = {id(c): n for n, (_line, c) in enumerate(by_code.values(), start=1)}
        shadows = {
            id(c): Criterion(
                pk=number[id(c)],
                parent_id=number.get(id(c.parent)) if c.parent is not None else None,
                code=c.code,
                max_points=c.max_points,
                kind=c.kind,
            )
            for _line, c in by_code.values()
        }
        kids: dict[int, list[Criterion]] = {}
        for _line, criterion in by_code.values():
            if criterion.parent is not None:
                kids.setdefault(id(criterion.parent), []).append(shadows[id(criterion)])
        for line, criterion in by_code.values():
            if id(criterion) in kids:
                for error in check_set([shadows[id(criterion)], *kids[id(criterion)]]):
                    self.problem(line, error)
        self.parsed.problems.sort(key=lambda p: (p.line is not None, p.line or 0))


def read_data(data: dict[str, Any]) -> Parsed:
    """A set written as data ({"set": {...}, "criteria": [{...}, ...]}), checked as a file is."""
    reader = Reader()
    reader.read_fields(data.get("set") or {}, _("Set"))
    reader.read_rows(enumerate(data.get("criteria") or [], start=1))
    return reader.parsed


def read_workbook(file: IO[bytes], name: str, size: int | None = None) -> Parsed:
    """Check the uploaded workbook; nothing is stored."""
    reader = Reader()
    try:
        workbook = xlsx.open_workbook(file, name, size)
        try:
            file.seek(0)
            formulas = openpyxl.load_workbook(file, read_only=True, data_only=False)
        except Exception as exc:  # already opened once: only a truly odd file ends here
            raise xlsx.Rejected(_("The workbook could not be read.")) from exc
        try:
            _read_sheets(reader, workbook, formulas)
        finally:
            workbook.close()
            formulas.close()
    except xlsx.Rejected as rejected:
        return Parsed(problems=[Problem(None, str(rejected))])
    return reader.parsed


def _rows(workbook: Any, formulas: Any, title: str, reader: Reader) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The values of a sheet's rows; a formula without a saved value is refused with its cell."""
    values_sheet, formula_sheet = workbook[title], formulas[title]
    pairs = zip(values_sheet.iter_rows(values_only=True), formula_sheet.iter_rows(values_only=True), strict=False)
    for line, (values, written) in enumerate(pairs, start=1):
        for index, (value, raw) in enumerate(zip(values, written, strict=False)):
            if value is None and isinstance(raw, str) and raw.startswith("="):
                reader.problem(
                    line,
                    _(
                        "cell %(cell)s holds a formula without a saved value. Open the file in Excel, "
                        "save it and import it again, or paste the values instead of the formulas."
                    )
                    % {"cell": f"{get_column_letter(index + 1)}{line}"},
                )
        yield line, values


def _header_key(value: Any) -> str | None:
    folded = fold(_text(value)).rstrip(" *:")
    for column in COLUMNS:
        if folded == fold(column.header) or folded in column.aliases:
            return column.key
    return None


def _field_key(value: Any) -> str | None:
    folded = fold(_text(value)).rstrip(" *:")
    for set_field in SET_FIELDS:
        if folded == fold(set_field.label) or folded in set_field.aliases:
            return set_field.key
    return None


def _read_sheets(reader: Reader, workbook: Any, formulas: Any) -> None:
    names = workbook.sheetnames
    criteria_title = CRITERIA_SHEET if CRITERIA_SHEET in names else next((n for n in names if n != FIELDS_SHEET), None)
    if criteria_title is None:
        raise xlsx.Rejected(_("The workbook has no sheet of criteria."))
    header: dict[str, int] | None = None
    block: dict[str, Any] = {}
    rows: list[tuple[int, dict[str, Any]]] = []
    for line, values in _rows(workbook, formulas, criteria_title, reader):
        if header is None:
            keys = {_header_key(v): i for i, v in enumerate(values) if _header_key(v)}
            if all(k in keys for k in REQUIRED_COLUMNS):
                header = {k: i for k, i in keys.items() if k is not None}
                continue
            # Label/value rows above the headers: the set's fields.
            if len(values) >= 2 and _field_key(values[0]):
                block[str(_field_key(values[0]))] = values[1]
            if line >= HEADER_SEARCH_ROWS:
                break
            continue
        rows.append((line, {key: values[i] if i < len(values) else None for key, i in header.items()}))
    if header is None:
        raise xlsx.Rejected(
            _("No header row with the columns %(columns)s was found in the sheet “%(sheet)s”.")
            % {"columns": ", ".join(c.header for c in COLUMNS if c.key in REQUIRED_COLUMNS), "sheet": criteria_title}
        )
    if FIELDS_SHEET in names:
        for _line, values in _rows(workbook, formulas, FIELDS_SHEET, reader):
            if len(values) >= 2 and _field_key(values[0]):
                block[str(_field_key(values[0]))] = values[1]
    reader.read_fields(block, _("Sheet “%(sheet)s”") % {"sheet": FIELDS_SHEET})
    reader.read_rows(rows)


# Storing ----------------------------------------------------------------------


@transaction.atomic
def create_from(parsed: Parsed, *, province: Agency | None, user: User | None, is_example: bool = False) -> CriteriaSet:
    """A draft set from a checked reading, all or nothing; the latest set of the same year and kind is `previous`."""
    if parsed.problems:
        raise Refused([str(p) for p in parsed.problems])
    fields = parsed.fields
    version, latest = next_version(province, fields["year"], fields["agency_kind"])
    criteria_set = _create_set(
        **fields,
        province=province,
        version=version,
        previous=latest,
        status=SetStatus.DRAFT,
        is_example=is_example,
        created_by=user,
    )
    for criterion in parsed.criteria:  # parents come first
        criterion.criteria_set = criteria_set
        criterion.save()
    return criteria_set


def import_workbook(
    file: IO[bytes], name: str, size: int | None, *, province: Agency | None, user: User | None
) -> CriteriaSet:
    """A draft set from an uploaded workbook; `Refused` lists every problem with its line."""
    return create_from(read_workbook(file, name, size), province=province, user=user)


def load_example(province: Agency | None, year: int, *, publish_it: bool = True) -> CriteriaSet:
    """The example set for departments of the year (made once), through the importer's reader, put in use."""
    existing = CriteriaSet.objects.filter(
        province=province, year=year, agency_kind=AgencyKind.DEPARTMENT, is_example=True
    ).first()
    if existing is not None:
        return existing
    data = json.loads(EXAMPLE_FILE.read_text(encoding="utf-8"))
    data["set"] = {**data["set"], "year": year, "name": data["set"]["name"].replace("{year}", str(year))}
    with transaction.atomic():
        criteria_set = create_from(read_data(data), province=province, user=None, is_example=True)
        if publish_it:
            criteria_set = publish(criteria_set, None)
    return criteria_set


# Writing ----------------------------------------------------------------------


def filename(criteria_set: CriteriaSet) -> str:
    return f"Bo-tieu-chi-CCHC-{criteria_set.year}-{criteria_set.agency_kind}-v{criteria_set.version}.xlsx"


def criterion_row(criterion: Criterion) -> list[Any]:
    parent_code = criterion.parent.code if criterion.parent_id and criterion.parent else ""
    derived = criterion.code.rsplit(".", 1)[0] if "." in criterion.code else ""
    return [
        criterion.code,
        "" if parent_code == derived else parent_code,
        criterion.name,
        float(criterion.max_points),
        KIND_LABELS.get(criterion.kind, criterion.kind),
        METHOD_LABELS.get(criterion.method, criterion.method),
        float(criterion.step) if criterion.step is not None else None,
        options_text(criterion.options),
        APPLICABILITY_LABELS.get(criterion.applicability, criterion.applicability),
        criterion.guidance,
        criterion.evidence_required,
        criterion.keywords,
    ]


def field_values(criteria_set: CriteriaSet | None) -> list[Any]:
    if criteria_set is None:
        return ["", "", AGENCY_KIND_LABELS[AgencyKind.DEPARTMENT], "", None, bands_text(default_bands()), 2, "Có", ""]
    return [
        criteria_set.name,
        criteria_set.year,
        AGENCY_KIND_LABELS.get(criteria_set.agency_kind, criteria_set.agency_kind),
        criteria_set.decision,
        criteria_set.decision_date,
        bands_text(criteria_set.bands),
        criteria_set.decimals,
        "Có" if criteria_set.cap_at_100 else "Không",
        criteria_set.notes,
    ]


def _workbook(criteria_rows: Iterable[Sequence[Any]], fields: Sequence[Any], *, notes: bool) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    sheet = xlsx.add_table_sheet(
        workbook, CRITERIA_SHEET, [c.header for c in COLUMNS], criteria_rows, [c.width for c in COLUMNS]
    )
    last = max(sheet.max_row, 200)
    for key, labels in (("kind", KIND_LABELS), ("method", METHOD_LABELS), ("applicability", APPLICABILITY_LABELS)):
        letter = get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key))
        if any("," in label for label in labels.values()):
            continue  # an inline list cannot hold commas: that column is typed (or copied) instead
        validation = DataValidation(type="list", formula1='"' + ",".join(labels.values()) + '"', allow_blank=True)
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{last}")
    if notes:
        for index, column in enumerate(COLUMNS, start=1):
            if column.note:
                sheet.cell(row=1, column=index).comment = Comment(column.note, "CCHC")
    info = workbook.create_sheet(FIELDS_SHEET)
    for set_field, value in zip(SET_FIELDS, fields, strict=True):
        info.append([set_field.label, value])
    for row in info.iter_rows():
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(row[1].value, date):
            row[1].number_format = "DD/MM/YYYY"
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 70
    return xlsx.save(workbook)


def export_set(criteria_set: CriteriaSet) -> bytes:
    criteria = tree_order(list(criteria_set.criteria.select_related("parent")))
    return _workbook((criterion_row(c) for c in criteria), field_values(criteria_set), notes=False)


TEMPLATE_ROWS = [
    [
        "1",
        "",
        "Công tác chỉ đạo, điều hành CCHC",
        10,
        "Chấm điểm",
        "Tự đánh giá, thẩm định",
        None,
        "",
        "Mọi cơ quan",
        "",
        "",
        "",
    ],
    [
        "1.1",
        "",
        "Ban hành kế hoạch CCHC năm đúng hạn",
        4,
        "",
        "",
        0.5,
        "",
        "",
        "Ban hành trước 31/12 năm trước: 4 điểm; trễ hạn: 2 điểm.",
        "Kế hoạch CCHC năm",
        "kế hoạch cải cách hành chính",
    ],
    [
        "1.2",
        "",
        "Báo cáo CCHC định kỳ",
        6,
        "",
        "",
        None,
        "Không đủ=0; Đủ, có báo cáo trễ=3; Đủ, đúng hạn=6",
        "",
        "",
        "Các báo cáo quý, 6 tháng, năm",
        "báo cáo cải cách hành chính",
    ],
]


def build_template() -> bytes:
    """The empty workbook to fill in: the headers with notes, three example rows, the set's fields."""
    return _workbook(TEMPLATE_ROWS, field_values(None), notes=True)
