"""The agency's consolidated report drafted from the data: text sections and figures.

`draft(period, user)` makes the period's `AgencyReport` (not saved) from
`prefill.agency_data(period)` (every unit's tasks with their state at the
cut-off, the progress posted in the period, the targets) and the units'
reports (the narrative of those submitted or accepted). The text is the
Vietnamese a department signs, in the structure of a Báo cáo kết quả cải cách
hành chính: I. chỉ đạo, điều hành; II. kết quả by reform area; III. tồn tại,
hạn chế; IV. nhiệm vụ kỳ tới; V. đề xuất. Headings are plain lines ("1. …",
"a) …", "- …") that `documents.builders.text_blocks` turns into blocks.
`figures` holds the tables (by area, by unit, targets, submissions) that the
page shows and the documents print as appendices.

The text stays Vietnamese whatever the interface language: it is the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from accounts.models import Agency, AgencyKind, User
from documents import builders
from lib.nd30 import spec
from lib.text import fold
from plans.models import Comparator, MetricKind, Plan, ReformArea, Target, Task, TaskState, TaskStatus
from reports import calendar, prefill
from reports.models import AgencyReport, Frequency, ReportingPeriod, ReportStatus, UnitReport

# "Nơi nhận" of a report sent upward, as the regimes ask (the file copy last).
DEFAULT_RECIPIENTS = ("UBND tỉnh (b/c)", "Sở Nội vụ (b/c)", "Lãnh đạo Sở", "Lưu: VT, VP.")
# The head's title when the leader has no position recorded.
HEAD_POSITIONS = {
    AgencyKind.PROVINCE: "Chủ tịch",
    AgencyKind.DISTRICT: "Chủ tịch",
    AgencyKind.COMMUNE: "Chủ tịch",
    AgencyKind.DEPARTMENT: "Giám đốc",
}
# The columns of the task tables: what each task state counts as.
COLUMNS = ("total", "done_on_time", "done_late", "open", "overdue", "cancelled")
BUCKETS = {
    TaskState.DONE_EARLY: "done_on_time",
    TaskState.DONE_ON_TIME: "done_on_time",
    TaskState.DONE: "done_on_time",
    TaskState.DONE_LATE: "done_late",
    TaskState.IN_PROGRESS: "open",
    TaskState.NOT_STARTED: "open",
    TaskState.OVERDUE: "overdue",
    TaskState.CANCELLED: "cancelled",
}
# How a sentence names each column ("hoàn thành đúng hạn 3, …").
BUCKET_WORDS = {
    "done_on_time": "hoàn thành đúng hạn",
    "done_late": "hoàn thành trễ hạn",
    "open": "đang thực hiện",
    "overdue": "quá hạn",
    "cancelled": "dừng thực hiện",
}
TARGET_WORDS = {
    "met": "đạt",
    "at_risk": "có nguy cơ không đạt",
    "not_met": "không đạt",
    "not_measured": "chưa có số liệu",
}
TIMING_WORDS = {"on_time": "Đúng hạn", "late": "Trễ hạn", "missing": "Chưa gửi", "pending": "Chưa đến hạn"}
REPORTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
DIRECTION = "direction"
OTHER = "other"
# Notable results listed per area; the rest are counted in one line.
MAX_NOTABLE = 8
MAX_LISTED = 15


# Small formatting helpers ------------------------------------------------------


def short_date(value: str | date | None) -> str:
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return spec.short_date(day)


def number(value: Decimal | str | None) -> str:
    """ "97", "97,5", "1.250": the Vietnamese way."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    if amount == amount.to_integral():
        amount = amount.quantize(Decimal(1))
    whole, _dot, fraction = f"{amount:f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    text = sign + ".".join(groups)
    return f"{text},{fraction}" if fraction else text


def with_unit(value: str, unit: str) -> str:
    if not unit:
        return value
    return f"{value}{unit}" if unit == "%" else f"{value} {unit}"


def sentence(text: str) -> str:
    """One line of text, without the final punctuation (the caller ends it)."""
    return spec.strip_end(" ".join(str(text).split()))


def lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def join_words(items: list[str]) -> str:
    """ "a, b và c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def counts_phrase(counts: dict[str, int]) -> str:
    """ "hoàn thành đúng hạn 3, hoàn thành trễ hạn 1, quá hạn 1" (columns with none left out)."""
    return ", ".join(f"{BUCKET_WORDS[key]} {counts[key]}" for key in COLUMNS[1:] if counts.get(key))


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(COLUMNS, 0)


def add(counts: dict[str, int], state: str) -> None:
    counts["total"] += 1
    counts[BUCKETS.get(TaskState(state), "open")] += 1


def goal_text(target: Target) -> str:
    """ "≥ 98%", "từ 3 đến 5 sáng kiến", "có"."""
    unit = target.unit_of_measure
    if target.metric_kind == MetricKind.BOOLEAN:
        return "có"
    if target.comparator == Comparator.RANGE:
        return f"từ {number(target.value)} đến {with_unit(number(target.value_max), unit)}"
    symbol = {Comparator.GTE: "≥ ", Comparator.LTE: "≤ ", Comparator.EQ: ""}.get(Comparator(target.comparator), "")
    return symbol + with_unit(number(target.value), unit)


# The unit reports ----------------------------------------------------------------


@dataclass
class Submission:
    unit_id: int
    unit: str
    status: str
    submitted_at: str | None
    timing: str  # on_time, late, missing, pending
    narrative: dict[str, str] = field(default_factory=dict)


def submissions(period: ReportingPeriod, today: date) -> list[Submission]:
    found = []
    reports = UnitReport.objects.filter(period=period).select_related("unit").order_by("unit__order", "unit__name")
    for report in reports:
        if report.first_submitted_at is not None:
            first = timezone.localdate(report.first_submitted_at)
            timing = "late" if first > period.unit_due else "on_time"
        else:
            timing = "missing" if today > period.unit_due else "pending"
        narrative = {}
        if report.status in REPORTED_STATUSES:
            narrative = {
                name: getattr(report, name).strip()
                for name in ("results", "limitations", "proposals", "next_tasks")
                if getattr(report, name).strip()
            }
        submitted = timezone.localtime(report.submitted_at).isoformat() if report.submitted_at else None
        found.append(Submission(report.unit_id, report.unit.name, report.status, submitted, timing, narrative))
    return found


def unit_lines(items: Iterable[Submission], name: str) -> list[str]:
    """What the units wrote under one heading, each line led by a dash and the unit named first."""
    lines: list[str] = []
    for item in items:
        text = item.narrative.get(name, "")
        parts = [re.sub(r"^\s*(?:[-–•+]|\d+(?:\.\d+)*[.)]|[a-zđ]\))\s*", "", line) for line in text.splitlines()]
        parts = [sentence(part) for part in parts if part.strip()]
        parts = [part for part in parts if part]
        if not parts:
            continue
        if len(parts) == 1:
            lines.append(f"- {item.unit}: {lower_first(parts[0])}.")
        else:
            lines.append(f"- {item.unit}: {'; '.join(lower_first(p) for p in parts)}.")
    return lines


# The draft --------------------------------------------------------------------------


@dataclass
class Area:
    code: str
    name: str
    order: int
    tasks: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = empty_counts()
        for task in self.tasks:
            add(counts, task["state"])
        return counts


class Drafter:
    """Reads the period's data once and writes each section from it."""

    def __init__(self, period: ReportingPeriod, today: date | None = None) -> None:
        self.period = period
        self.agency: Agency = period.agency
        self.today = today or timezone.localdate()
        self.data = prefill.agency_data(period, self.today)
        self.tasks: list[dict[str, Any]] = self.data["tasks"]
        self.as_of = date.fromisoformat(self.data["as_of"])
        self.submissions = submissions(period, self.today)
        self.reported = [s for s in self.submissions if s.narrative]
        self.plans = list(
            Plan.objects.filter(agency=self.agency, year=period.year, status__in=prefill.IN_FORCE).order_by(
                "issued_on", "pk"
            )
        )
        targets = {t.pk: t for t in Target.objects.filter(pk__in=[row["id"] for row in self.data["targets"]])}
        self.targets = []
        for row in self.data["targets"]:
            target = targets.get(row["id"])
            unit = target.unit_of_measure if target else ""
            self.targets.append(
                {
                    **row,
                    "goal_text": goal_text(target) if target else row["goal"],
                    "actual_text": with_unit(number(row["actual"]), unit) if row["actual"] is not None else "",
                }
            )
        self.areas = self._areas()

    def _areas(self) -> list[Area]:
        known = {a.code: Area(a.code, a.name, a.order) for a in ReformArea.objects.order_by("order", "pk")}
        other = known.get(OTHER) or Area(OTHER, "Nhiệm vụ khác", 10_000)
        known.setdefault(OTHER, other)
        for task in self.tasks:
            known.get(task["area"] or OTHER, other).tasks.append(task)
        for target in self.targets:
            known.get(target["area"] or OTHER, other).targets.append(target)
        return sorted((a for a in known.values() if a.tasks or a.targets), key=lambda a: (a.order, a.code))

    # Sections ----------------------------------------------------------------

    @property
    def phrase(self) -> str:
        return calendar.period_phrase(self.period)

    @property
    def window(self) -> str:
        return f"từ ngày {short_date(self.period.start)} đến ngày {short_date(self.as_of)}"

    def title(self) -> str:
        if self.period.frequency == Frequency.AD_HOC:
            return self.period.title or f"Kết quả thực hiện công tác cải cách hành chính năm {self.period.year}"
        return f"Kết quả thực hiện công tác cải cách hành chính {self.phrase}"

    def plan_sentence(self, plan: Plan) -> str:
        name = "Kế hoạch"
        if plan.symbol:
            name += f" số {plan.symbol}"
        if plan.issued_on:
            name += f" ngày {short_date(plan.issued_on)}"
        title = sentence(plan.title)
        about = title if title.lower().startswith(("về ", "v/v")) else f"về {lower_first(title)}"
        return f"{name} {about}"

    def overview(self) -> str:
        who = self.agency.short_name or self.agency.name
        lines: list[str] = []
        if self.plans:
            issued = join_words([self.plan_sentence(plan) for plan in self.plans])
            lines.append(
                f"{who} đã ban hành {issued}, xác định rõ nhiệm vụ, chỉ tiêu, đơn vị chủ trì và thời hạn hoàn "
                f"thành; giao Văn phòng theo dõi, đôn đốc và tổng hợp kết quả thực hiện."
            )
        else:
            lines.append(
                f"Trong năm {self.period.year}, {who} chưa ban hành kế hoạch cải cách hành chính trên hệ thống."
            )
        units = {task["unit_id"] for task in self.tasks}
        if self.tasks:
            lines.append(
                f"Trong kỳ báo cáo ({self.window}), {who} triển khai {len(self.tasks)} nhiệm vụ do "
                f"{len(units)} đơn vị chủ trì thực hiện và theo dõi {len(self.targets)} chỉ tiêu."
            )
        else:
            lines.append(
                f"Trong kỳ báo cáo ({self.window}), không có nhiệm vụ cải cách hành chính nào được triển khai."
            )
        direction = next((a for a in self.areas if a.code == DIRECTION), None)
        if direction is not None and direction.tasks:
            lines.append(
                f"Về công tác chỉ đạo, điều hành, trong kỳ có {direction.counts['total']} nhiệm vụ: "
                f"{counts_phrase(direction.counts)}."
            )
            lines.extend(self.notable(direction))
        lines.append(self.reporting_sentence())
        return "\n".join(lines)

    def reporting_sentence(self) -> str:
        expected = len(self.submissions)
        if not expected:
            return "Trong kỳ, không có đơn vị nào phải gửi báo cáo về Văn phòng."
        on_time = sum(1 for s in self.submissions if s.timing == "on_time")
        late = [s.unit for s in self.submissions if s.timing == "late"]
        missing = [s.unit for s in self.submissions if s.timing == "missing"]
        pending = [s.unit for s in self.submissions if s.timing == "pending"]
        text = f"Về chế độ báo cáo: có {on_time}/{expected} đơn vị gửi báo cáo đúng hạn"
        if late:
            text += f"; {len(late)} đơn vị gửi trễ hạn ({join_words(late)})"
        if missing:
            text += f"; {len(missing)} đơn vị chưa gửi báo cáo ({join_words(missing)})"
        if pending:
            text += f"; {len(pending)} đơn vị chưa đến hạn gửi"
        return text + "."

    def notable(self, area: Area) -> list[str]:
        """ "- <task>: <last update of the period> (…)" for the tasks that moved in the period."""
        moved = [task for task in area.tasks if task["updates"]]
        lines = []
        for task in moved[:MAX_NOTABLE]:
            last = task["updates"][-1]
            said = sentence(last["text"]) or "có cập nhật tiến độ"
            if task["state"] in (TaskState.DONE_EARLY, TaskState.DONE_ON_TIME, TaskState.DONE, TaskState.DONE_LATE):
                how = "đã hoàn thành" + (f" ngày {short_date(task['completed_on'])}" if task["completed_on"] else "")
            elif task["state"] == TaskState.CANCELLED:
                how = "dừng thực hiện"
            else:
                how = f"đạt {task['progress']}%"
            if "hoan thanh" in fold(said) and how.startswith("đã hoàn thành"):
                how = how.removeprefix("đã hoàn thành").strip()  # "Đã hoàn thành." says it already
            lines.append(f"- {sentence(task['content'])}: {lower_first(said)}" + (f" ({how});" if how else ";"))
        if len(moved) > MAX_NOTABLE:
            lines.append(f"- Và {len(moved) - MAX_NOTABLE} nhiệm vụ khác có cập nhật tiến độ trong kỳ.")
        return lines

    def target_line(self, target: dict[str, Any]) -> str:
        text = f"- {sentence(target['statement'])}: chỉ tiêu {target['goal_text']}"
        if target["actual_text"]:
            text += f", đạt {target['actual_text']} ({TARGET_WORDS[target['status']]})"
        else:
            text += " (chưa có số liệu)"
        return text + ";"

    def results(self) -> str:
        lines: list[str] = []
        index = 0
        for area in self.areas:
            if area.code == DIRECTION and not area.targets:
                continue  # told under I
            index += 1
            lines.append(f"{index}. {area.name}")
            counts = area.counts
            if counts["total"]:
                lines.append(f"Trong kỳ, có {counts['total']} nhiệm vụ: {counts_phrase(counts)}.")
                notable = self.notable(area) if area.code != DIRECTION else []
                if notable:
                    lines.append("Kết quả nổi bật:")
                    lines.extend(notable)
                elif area.code != DIRECTION:
                    lines.append(
                        "Trong kỳ, các đơn vị chưa cập nhật kết quả cụ thể của các nhiệm vụ thuộc lĩnh vực này."
                    )
            if area.targets:
                lines.append("Kết quả thực hiện các chỉ tiêu:")
                lines.extend(self.target_line(target) for target in area.targets)
        if not index:
            lines.append("Trong kỳ, không có nhiệm vụ, chỉ tiêu cải cách hành chính nào phải thực hiện.")
        extra = unit_lines(self.reported, "results")
        if extra:
            index += 1
            lines.append(f"{index}. Kết quả do các đơn vị báo cáo")
            lines.extend(extra)
        return "\n".join(_end_lists(lines))

    def limitations(self) -> str:
        lines = ["1. Tồn tại, hạn chế"]
        overdue = [task for task in self.tasks if task["state"] == TaskState.OVERDUE]
        if overdue:
            lines.append(f"a) Đến ngày {short_date(self.as_of)}, còn {len(overdue)} nhiệm vụ quá hạn chưa hoàn thành:")
            for task in overdue[:MAX_LISTED]:
                due = f"; hạn {short_date(task['due_date'])}" if task["due_date"] else ""
                lines.append(f"- {sentence(task['content'])} ({task['unit']}{due});")
            if len(overdue) > MAX_LISTED:
                lines.append(f"- Và {len(overdue) - MAX_LISTED} nhiệm vụ khác (chi tiết tại Phụ lục).")
        else:
            lines.append("a) Không có nhiệm vụ quá hạn.")
        short = [t for t in self.targets if t["status"] in ("not_met", "at_risk")]
        if short:
            lines.append(f"b) Có {len(short)} chỉ tiêu chưa đạt hoặc có nguy cơ không đạt:")
            lines.extend(self.target_line(target) for target in short)
        elif any(t["status"] == "met" for t in self.targets):
            lines.append("b) Các chỉ tiêu đã có số liệu đều đạt yêu cầu.")
        elif self.targets:
            lines.append("b) Các chỉ tiêu chưa có số liệu đến kỳ báo cáo.")
        else:
            lines.append("b) Không có chỉ tiêu phải theo dõi trong kỳ.")
        late = [s.unit for s in self.submissions if s.timing == "late"]
        missing = [s.unit for s in self.submissions if s.timing == "missing"]
        if missing or late:
            parts = []
            if missing:
                parts.append(f"{join_words(missing)} chưa gửi báo cáo")
            if late:
                parts.append(f"{join_words(late)} gửi báo cáo trễ hạn")
            lines.append(f"c) Chế độ báo cáo chưa được thực hiện nghiêm: {'; '.join(parts)}.")
        elif self.submissions:
            lines.append("c) Các đơn vị đã thực hiện chế độ báo cáo đúng quy định.")
        lines.append("2. Nguyên nhân")
        causes = unit_lines(self.reported, "limitations")
        if causes:
            lines.append("Các đơn vị nêu những hạn chế và nguyên nhân sau:")
            lines.extend(causes)
        else:
            lines.append("Các đơn vị chưa nêu nguyên nhân của những tồn tại, hạn chế trong báo cáo gửi Văn phòng.")
        return "\n".join(_end_lists(lines))

    def next_window(self) -> tuple[date, date]:
        start = self.period.cutoff + timedelta(days=1)
        length = max((self.period.cutoff - self.period.start).days, 27)
        return start, start + timedelta(days=length)

    def next_tasks(self) -> str:
        start, end = self.next_window()
        due = list(
            Task.objects.filter(
                agency_id=self.agency.pk,
                plan__status__in=prefill.IN_FORCE,
                children__isnull=True,
                status__in=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS],
                due_date__range=(start, end),
            )
            .select_related("lead_unit")
            .order_by("due_date", "pk")[: MAX_LISTED + 1]
        )
        overdue = sum(1 for task in self.tasks if task["state"] == TaskState.OVERDUE)
        lines = [f"1. Các nhiệm vụ đến hạn trong kỳ tới (đến ngày {short_date(end)})"]
        if due:
            for task in due[:MAX_LISTED]:
                lines.append(f"- {sentence(task.content)} ({task.lead_unit.name}; hạn {short_date(task.due_date)});")
            if len(due) > MAX_LISTED:
                lines.append("- Và các nhiệm vụ khác theo Kế hoạch.")
        else:
            lines.append("Không có nhiệm vụ nào đến hạn trong kỳ tới.")
        if overdue:
            lines.append(f"Khẩn trương hoàn thành {overdue} nhiệm vụ còn quá hạn nêu tại Mục III.")
        lines.append("2. Nhiệm vụ do các đơn vị đề ra")
        planned = unit_lines(self.reported, "next_tasks")
        lines.extend(planned or ["Các đơn vị tiếp tục thực hiện các nhiệm vụ được giao theo Kế hoạch."])
        return "\n".join(_end_lists(lines))

    def proposals(self) -> str:
        proposed = unit_lines(self.reported, "proposals")
        if not proposed:
            return "Không có đề xuất, kiến nghị."
        return "\n".join(_end_lists(["Tổng hợp đề xuất, kiến nghị của các đơn vị:", *proposed]))

    # Figures --------------------------------------------------------------------

    def figures(self) -> dict[str, Any]:
        by_area = []
        total = empty_counts()
        for area in self.areas:
            if area.tasks:
                by_area.append({"code": area.code, "name": area.name, **area.counts})
        for task in self.tasks:
            add(total, task["state"])
        units: dict[int, dict[str, Any]] = {}
        for task in self.tasks:
            row = units.setdefault(
                task["unit_id"], {"unit_id": task["unit_id"], "name": task["unit"], **empty_counts()}
            )
            add(row, task["state"])
        order = {s.unit_id: i for i, s in enumerate(self.submissions)}
        by_unit = sorted(units.values(), key=lambda r: (order.get(r["unit_id"], len(order)), r["name"]))
        targets = [
            {
                "statement": t["statement"],
                "goal": t["goal_text"],
                "actual": t["actual_text"],
                "period": t["period_label"],
                "status": t["status"],
            }
            for t in self.targets
        ]
        reports = [
            {"unit": s.unit, "status": s.status, "submitted_at": s.submitted_at, "timing": s.timing}
            for s in self.submissions
        ]
        timing = {key: sum(1 for s in self.submissions if s.timing == key) for key in TIMING_WORDS}
        return {
            "as_of": self.data["as_of"],
            "start": self.data["start"],
            "cutoff": self.data["cutoff"],
            "by_area": by_area,
            "by_unit": by_unit,
            "total": total,
            "targets": targets,
            "submissions": reports,
            "submission_counts": {"expected": len(self.submissions), **timing},
        }


def _end_lists(lines: list[str]) -> list[str]:
    """A dash list ends with "." where the next line is not another dash (Decree 30 lists: "…;" then "….")."""
    result = list(lines)
    for index, line in enumerate(result):
        following = result[index + 1] if index + 1 < len(result) else ""
        if line.startswith("- ") and line.endswith(";") and not following.startswith("- "):
            result[index] = line[:-1] + "."
    return result


TEXT_FIELDS = ("overview", "results", "limitations", "next_tasks", "proposals")


def signer(agency: Agency) -> tuple[str, str]:
    """(position, full name) of the agency's leader who signs: the first one today."""
    from reports.actions import leaders

    people = leaders(agency)
    default = HEAD_POSITIONS.get(AgencyKind(agency.kind), "Thủ trưởng cơ quan")
    if not people:
        return default, ""
    return people[0].position or default, people[0].full_name


def draft(period: ReportingPeriod, user: User | None, today: date | None = None) -> AgencyReport:
    """The period's consolidated report as drafted from the data (not saved)."""
    drafter = Drafter(period, today)
    position, name = signer(period.agency)
    return AgencyReport(
        period=period,
        agency_id=period.agency_id,
        title=drafter.title()[:500],
        overview=drafter.overview(),
        results=drafter.results(),
        limitations=drafter.limitations(),
        next_tasks=drafter.next_tasks(),
        proposals=drafter.proposals(),
        figures=drafter.figures(),
        recipients="\n".join(DEFAULT_RECIPIENTS),
        signer_position=position,
        signer_full_name=name,
        drafted_by=user,
    )


def refresh(report: AgencyReport, *, replace_text: bool = False, today: date | None = None) -> list[str]:
    """Recompute the figures (and the text when asked) on the report; returns the fields changed (not saved)."""
    fresh = draft(report.period, report.drafted_by, today)
    changed = ["figures"]
    report.figures = fresh.figures
    if replace_text:
        for name in ("title", *TEXT_FIELDS):
            setattr(report, name, getattr(fresh, name))
        changed += ["title", *TEXT_FIELDS]
    return changed


# The document ----------------------------------------------------------------------

SECTIONS = (
    ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "overview"),
    ("II", "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", "results"),
    ("III", "TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "limitations"),
    ("IV", "NHIỆM VỤ TRỌNG TÂM KỲ TỚI", "next_tasks"),
    ("V", "ĐỀ XUẤT, KIẾN NGHỊ", "proposals"),
)
STATUS_WORDS = {
    ReportStatus.NOT_STARTED: "Chưa thực hiện",
    ReportStatus.DRAFT: "Đang soạn",
    ReportStatus.SUBMITTED: "Đã gửi",
    ReportStatus.RETURNED: "Bị trả lại để bổ sung",
    ReportStatus.ACCEPTED: "Đã tiếp nhận",
}
COUNT_COLUMNS = (
    spec.Column("Tổng số", 16, "center"),
    spec.Column("Hoàn thành đúng hạn", 22, "center"),
    spec.Column("Hoàn thành trễ hạn", 22, "center"),
    spec.Column("Đang thực hiện", 22, "center"),
    spec.Column("Quá hạn", 18, "center"),
    spec.Column("Dừng thực hiện", 20, "center"),
)


def _section_blocks(text: str) -> list[spec.Block]:
    """A section's text as blocks: "1. …" headings of the second level, "a) …" of the third."""
    blocks = []
    for block in builders.text_blocks(text, 2):
        if isinstance(block, spec.Heading) and re.fullmatch(r"[a-zđ]", block.label):
            block = spec.Heading(block.label, block.title, 3)
        blocks.append(block)
    return blocks


def _count_table(first: str, rows: list[dict[str, Any]], total: dict[str, int] | None) -> spec.Table:
    body = [
        spec.Row((str(index), row["name"], *(str(row.get(key, 0)) for key in COLUMNS)))
        for index, row in enumerate(rows, start=1)
    ]
    if total:
        body.append(spec.Row(("", "Tổng cộng", *(str(total.get(key, 0)) for key in COLUMNS))))
    return spec.Table(
        columns=(spec.Column("STT", 10, "center"), spec.Column(first, 70), *COUNT_COLUMNS), rows=tuple(body)
    )


def tables(figures: dict[str, Any]) -> list[tuple[str, spec.Table]]:
    """The figures as the report's appendices (those with rows)."""
    found: list[tuple[str, spec.Table]] = []
    total = figures.get("total")
    if figures.get("by_area"):
        found.append(("Kết quả thực hiện nhiệm vụ theo lĩnh vực", _count_table("Lĩnh vực", figures["by_area"], total)))
    if figures.get("by_unit"):
        found.append(
            ("Kết quả thực hiện nhiệm vụ theo đơn vị", _count_table("Đơn vị chủ trì", figures["by_unit"], total))
        )
    if figures.get("targets"):
        rows = [
            spec.Row(
                (
                    str(index),
                    sentence(t["statement"]),
                    t["goal"],
                    t["actual"] or "Chưa có số liệu",
                    TARGET_WORDS.get(t["status"], "").capitalize(),
                )
            )
            for index, t in enumerate(figures["targets"], start=1)
        ]
        columns = (
            spec.Column("STT", 10, "center"),
            spec.Column("Chỉ tiêu", 90),
            spec.Column("Kế hoạch", 28, "center"),
            spec.Column("Kết quả", 28, "center"),
            spec.Column("Đánh giá", 32, "center"),
        )
        found.append(("Kết quả thực hiện các chỉ tiêu", spec.Table(columns=columns, rows=tuple(rows))))
    if figures.get("submissions"):
        rows = [
            spec.Row(
                (
                    str(index),
                    s["unit"],
                    STATUS_WORDS.get(s["status"], s["status"]),
                    _short_datetime(s["submitted_at"]),
                    TIMING_WORDS.get(s["timing"], ""),
                )
            )
            for index, s in enumerate(figures["submissions"], start=1)
        ]
        columns = (
            spec.Column("STT", 10, "center"),
            spec.Column("Đơn vị", 80),
            spec.Column("Tình trạng báo cáo", 40, "center"),
            spec.Column("Ngày gửi", 28, "center"),
            spec.Column("Đánh giá", 30, "center"),
        )
        found.append(("Tình hình gửi báo cáo của các đơn vị", spec.Table(columns=columns, rows=tuple(rows))))
    return found


def _short_datetime(value: str | None) -> str:
    if not value:
        return ""
    return short_date(timezone.localdate(datetime.fromisoformat(value)))


def signer_block(report: AgencyReport) -> spec.Signature:
    """A deputy signs for the head ("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC")."""
    position = report.signer_position.strip()
    authority = "KT." if position.lower().startswith("phó ") else ""
    return builders.signature(report.agency, position=position, name=report.signer_full_name, authority=authority)


def document(report: AgencyReport) -> spec.Document:
    """The report as a Decree 30 Báo cáo with its tables as appendices."""
    agency = report.agency
    body: list[spec.Block] = []
    figures = tables(report.figures or {})
    for label, heading, name in SECTIONS:
        body.append(spec.Heading(label, heading, 1))
        body.extend(_section_blocks(getattr(report, name)))
        if name == "results" and figures:
            body.append(spec.Paragraph("Số liệu chi tiết tại các Phụ lục kèm theo Báo cáo này."))
    root = agency.province_root
    outgoing = report.outgoing
    return builders.report_document(
        agency,
        title=report.title,
        body=body,
        number=outgoing.code_number if outgoing else None,
        issued_on=outgoing.issued_date if outgoing else None,
        signer=signer_block(report),
        recipients=report.recipients.splitlines(),
        tables=figures,
        addressees=[root.name] if root.pk != agency.pk else [],
        today=timezone.localdate(),
    )
