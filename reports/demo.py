"""Demo reporting for Sở Ngoại vụ: the periods of 2022 and of the current year.

2022 follows the regime of quarter I, 6 months, quarter III and the year: a mix
of reports submitted on time, late, returned and missing; the quarter I
consolidated report approved, numbered, sent and received by Sở Nội vụ; the
6-month one sent late and returned; the yearly one in draft; reminders of
September 2022 in the mail queue. In the current year every period whose
reports were due long ago went smoothly, and the last consolidated report
waits for the Director's approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, Unit, User
from reports import actions, agency_actions, calendar, urging
from reports.models import Frequency, ReportingPeriod, UnitReport

YEAR = 2022
# Who heads each unit of the demo agency (usernames of load_demo's people).
HEADS = {"VP": "vanphong", "TTr": "thanhtra", "QLBG": "biengioi", "HTQT": "truongphong", "LS": "lanhsu"}

# What each unit writes: results, limitations and causes, proposals, next tasks.
NARRATIVES: dict[str, tuple[str, str, str, str]] = {
    "VP": (
        "- Tham mưu Giám đốc Sở ban hành Kế hoạch cải cách hành chính và các văn bản triển khai; theo dõi, "
        "đôn đốc các phòng thực hiện đúng tiến độ.\n"
        "- Cập nhật, công khai đầy đủ thủ tục hành chính thuộc thẩm quyền giải quyết của Sở trên Cổng Dịch vụ "
        "công của tỉnh.\n"
        "- Duy trì hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015.",
        "- Một số phòng gửi báo cáo chậm so với thời hạn.\n"
        "- Việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn chậm do thiếu thiết bị chuyên dụng.",
        "Đề nghị Sở Nội vụ tổ chức tập huấn về Bộ chỉ số cải cách hành chính cho công chức phụ trách.",
        "Tiếp tục đôn đốc các phòng hoàn thành nhiệm vụ còn lại; chuẩn bị số liệu tự đánh giá chỉ số cải cách "
        "hành chính.",
    ),
    "TTr": (
        "- Kiểm tra công tác cải cách hành chính tại 02 phòng chuyên môn theo kế hoạch; không phát hiện sai phạm.\n"
        "- Tiếp nhận và xử lý 03 phản ánh, kiến nghị của tổ chức, cá nhân đúng thời hạn.",
        "Lực lượng thanh tra mỏng, cùng lúc thực hiện nhiều nhiệm vụ.",
        "Không có.",
        "Kiểm tra việc thực hiện quy chế dân chủ và công tác cải cách hành chính tại Phòng Lãnh sự.",
    ),
    "QLBG": (
        "- Rà soát 21 thủ tục hành chính lĩnh vực biên giới, đề xuất đơn giản hóa 02 thủ tục.\n"
        "- Phối hợp Bộ đội Biên phòng tỉnh cập nhật dữ liệu về công tác biên giới.",
        "Việc rà soát thủ tục hành chính phụ thuộc ý kiến của các bộ, ngành trung ương nên còn chậm.",
        "Đề nghị Văn phòng UBND tỉnh sớm công bố danh mục thủ tục hành chính sửa đổi.",
        "Hoàn thành rà soát, đánh giá thủ tục hành chính lĩnh vực biên giới.",
    ),
    "HTQT": (
        "- Đưa 12/20 thủ tục hành chính lên dịch vụ công trực tuyến toàn trình.\n"
        "- Cập nhật cơ sở dữ liệu chuyên ngành đối ngoại; tổ chức 01 đợt xúc tiến hợp tác với địa phương nước bạn.",
        "Tỷ lệ hồ sơ nộp trực tuyến còn thấp do người dân chưa quen sử dụng dịch vụ công trực tuyến.",
        "Đề nghị Sở Thông tin và Truyền thông hỗ trợ cấu hình thanh toán trực tuyến.",
        "Tiếp tục tuyên truyền, hướng dẫn người dân nộp hồ sơ trực tuyến; hoàn thiện cơ sở dữ liệu đối ngoại.",
    ),
    "LS": (
        "- Giải quyết 100% hồ sơ lãnh sự đúng hạn; không có hồ sơ trễ hạn.\n"
        "- Niêm yết công khai thủ tục hành chính tại Bộ phận Một cửa.",
        "Số lượng hồ sơ tăng vào cuối năm gây áp lực cho công chức tiếp nhận.",
        "Đề nghị bổ sung 01 biên chế công chức làm công tác lãnh sự.",
        "Duy trì giải quyết hồ sơ đúng hạn; triển khai tiếp nhận hồ sơ trực tuyến một phần.",
    ),
}


@dataclass(frozen=True)
class Step:
    """How one unit's report went: submitted this many days from the units' due date, then reviewed."""

    outcome: str  # accepted, returned, submitted, draft, missing, resubmitted (returned then accepted)
    days: int = 0


# Keyed by (frequency, number) of the 2022 periods.
STORY: dict[tuple[str, int], dict[str, Step]] = {
    (Frequency.QUARTERLY, 1): {
        "VP": Step("accepted", -1),
        "TTr": Step("accepted", 0),
        "QLBG": Step("accepted", -2),
        "HTQT": Step("accepted", 3),
        "LS": Step("resubmitted", -1),
    },
    (Frequency.HALF_YEARLY, 1): {
        "VP": Step("accepted", 0),
        "TTr": Step("accepted", -1),
        "HTQT": Step("submitted", 2),
        "QLBG": Step("returned", -1),
        "LS": Step("missing"),
    },
    (Frequency.QUARTERLY, 3): {
        "VP": Step("submitted", -1),
        "HTQT": Step("accepted", 0),
        "TTr": Step("draft"),
        "QLBG": Step("missing"),
        "LS": Step("missing"),
    },
    (Frequency.YEARLY, 1): {
        "VP": Step("accepted", 0),
        "TTr": Step("accepted", -1),
        "QLBG": Step("accepted", 1),
        "HTQT": Step("accepted", 0),
        "LS": Step("missing"),
    },
}
RETURN_COMMENT = "Đề nghị bổ sung số liệu cụ thể về kết quả giải quyết thủ tục hành chính trong kỳ."
PROVINCE_COMMENT = (
    "Đề nghị Sở bổ sung kết quả thực hiện của Phòng Lãnh sự và số liệu giải quyết thủ tục hành chính 6 tháng."
)


def _at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def load(agency: Agency, units: dict[str, Unit], people: dict[str, User], today: date) -> list[ReportingPeriod]:
    """Create the demo reporting of 2022 and of the current year when missing; return the periods made."""
    made: list[ReportingPeriod] = []
    schedules = {s.frequency: s for s in calendar.ensure_schedules(agency)}
    calendar.ensure_policy(agency)
    if not ReportingPeriod.objects.filter(agency=agency, year=YEAR).exists():
        quarterly = schedules[Frequency.QUARTERLY]
        quarterly.only = "1, 3"  # quarters II and IV are reported by the 6-month and yearly reports
        quarterly.save(update_fields=["only"])
        made += _play_2022(agency, units, people)
    if today.year > YEAR and not ReportingPeriod.objects.filter(agency=agency, year=today.year).exists():
        made += _play_current_year(agency, units, people, today)
    return made


def _open(agency: Agency, year: int, today: date) -> list[ReportingPeriod]:
    """The year's periods that have opened by `today`, opened as the scheduler would have."""
    calendar.ensure_periods(agency, year)
    periods = list(
        ReportingPeriod.objects.filter(agency=agency, year=year, opens_on__lte=today).order_by("cutoff", "frequency")
    )
    for period in periods:
        period.opened_at = _at(period.opens_on, 7)
        period.save(update_fields=["opened_at"])
        calendar.create_reports(period)
    return periods


def _write(report: UnitReport, user: User) -> None:
    results, limitations, proposals, next_tasks = NARRATIVES[report.unit.abbreviation]
    actions.save_draft(
        report,
        user,
        {"results": results, "limitations": limitations, "proposals": proposals, "next_tasks": next_tasks},
    )


def _play_unit(report: UnitReport, step: Step, head: User, office: User) -> None:
    due = report.period.unit_due
    if step.outcome == "missing":
        return
    _write(report, head)
    if step.outcome == "draft":
        return
    submitted = _at(due + timedelta(days=step.days), 15, 30)
    actions.submit(report, head, now=submitted)
    reviewed = submitted + timedelta(days=1, hours=-6)
    if step.outcome in ("returned", "resubmitted"):
        actions.return_report(report, office, RETURN_COMMENT, now=reviewed)
        if step.outcome == "returned":
            return
        report.results += "\n- Trong kỳ, tiếp nhận 126 hồ sơ, giải quyết đúng hạn 126 hồ sơ (đạt 100%)."
        actions.save_draft(report, head, {"results": report.results})
        actions.submit(report, head, now=reviewed + timedelta(hours=3))
        actions.accept(report, office, now=reviewed + timedelta(days=1))
    elif step.outcome == "accepted":
        actions.accept(report, office, now=reviewed)


def _play_2022(agency: Agency, units: dict[str, Unit], people: dict[str, User]) -> list[ReportingPeriod]:
    office, director, province = people["vanphong"], people["giamdoc"], people["sonoivu"]
    periods = _open(agency, YEAR, date(YEAR + 1, 12, 31))
    for period in periods:
        story = STORY.get((period.frequency, period.number), {})
        for report in period.unit_reports.select_related("unit", "period"):
            step = story.get(report.unit.abbreviation, Step("accepted", -1))
            _play_unit(report, step, people[HEADS[report.unit.abbreviation]], office)
    by_key = {(p.frequency, p.number): p for p in periods}
    # Quarter I: on time and received.
    q1 = by_key[(Frequency.QUARTERLY, 1)]
    consolidated, _created = agency_actions.create(q1, office, now=_at(q1.unit_due + timedelta(days=1), 8))
    agency_actions.submit(consolidated, office, now=_at(q1.unit_due + timedelta(days=1), 14))
    agency_actions.approve(consolidated, director, now=_at(q1.agency_due - timedelta(days=1), 9))
    agency_actions.send(consolidated, office, now=_at(q1.agency_due - timedelta(days=1), 15))
    agency_actions.receive(consolidated, province, now=_at(q1.agency_due + timedelta(days=2), 10))
    # Six months: sent late and returned for more figures.
    h1 = by_key[(Frequency.HALF_YEARLY, 1)]
    consolidated, _created = agency_actions.create(h1, office, now=_at(h1.agency_due, 8))
    agency_actions.submit(consolidated, office, now=_at(h1.agency_due, 10))
    agency_actions.approve(consolidated, director, now=_at(h1.agency_due + timedelta(days=2), 9))
    agency_actions.send(consolidated, office, now=_at(h1.agency_due + timedelta(days=3), 9))
    agency_actions.return_report(
        consolidated, province, PROVINCE_COMMENT, now=_at(h1.agency_due + timedelta(days=6), 10)
    )
    # The year: drafted, still with the Office.
    year = by_key[(Frequency.YEARLY, 1)]
    agency_actions.create(year, office, now=_at(year.agency_due, 8))
    # Reminders of quarter III in the mail queue: due soon, then late and escalated to the Office.
    q3 = by_key[(Frequency.QUARTERLY, 3)]
    policy = calendar.ensure_policy(agency)
    for day in (q3.unit_due - timedelta(days=1), q3.unit_due + timedelta(days=1), q3.unit_due + timedelta(days=6)):
        urging.send_reminders(agency, _at(day, policy.send_hour), policy)
    return periods


def _play_current_year(
    agency: Agency, units: dict[str, Unit], people: dict[str, User], today: date
) -> list[ReportingPeriod]:
    office, director, province = people["vanphong"], people["giamdoc"], people["sonoivu"]
    periods = _open(agency, today.year, today)
    finished = [p for p in periods if p.agency_due < today]
    for period in finished:
        for report in period.unit_reports.select_related("unit", "period"):
            _play_unit(report, Step("accepted", -1), people[HEADS[report.unit.abbreviation]], office)
    for index, period in enumerate(finished):
        consolidated, _created = agency_actions.create(period, office, now=_at(period.unit_due + timedelta(days=1), 8))
        agency_actions.submit(consolidated, office, now=_at(period.unit_due + timedelta(days=1), 14))
        if index == len(finished) - 1:
            break  # the latest one waits for the Director
        agency_actions.approve(consolidated, director, now=_at(period.agency_due - timedelta(days=1), 9))
        agency_actions.send(consolidated, office, now=_at(period.agency_due - timedelta(days=1), 15))
        agency_actions.receive(consolidated, province, now=_at(period.agency_due + timedelta(days=1), 10))
    return periods
