"""The demo province's one-stop data (loaded by `manage.py load_demo` after the plans).

A small procedure catalogue for Sở Ngoại vụ (Lãnh sự, Hợp tác quốc tế, Biên
giới) and Sở Tư pháp, then seeded synthetic dossiers (`services.synthetic.rows`):
this year's up to `today` for both agencies and the year 2022 for Sở Ngoại vụ,
whose plan of that year carries the seed-004 targets. Dossiers are classified
(`rollups.classify`) and inserted in batches, each given the unit that handles
its procedure's field; the rollups are then recomputed and the targets linked
to indicators computed (`services.targets.refresh_plan`) for both plans.

Nothing happens when Sở Ngoại vụ has dossiers already, so loading twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from accounts.models import Agency, Unit
from plans.models import Plan
from services import calendar, rollups, synthetic, targets
from services.models import Channel, Dossier, DossierStatus, OnlineLevel, Procedure, TimeUnit

SNGV = "sngv-binhphuoc"
STP = "stp-binhphuoc"
PAST_YEAR = 2022
BATCH = 1000

# code, name, field, working days, fee (VND), online level
PROCEDURES: dict[str, list[tuple[str, str, str, int, int, str]]] = {
    SNGV: [
        ("1.012301", "Hợp pháp hóa lãnh sự, chứng nhận lãnh sự giấy tờ, tài liệu", "Lãnh sự", 3, 30000, "full"),
        ("1.012302", "Đề nghị cấp, gia hạn hộ chiếu ngoại giao, hộ chiếu công vụ", "Lãnh sự", 5, 0, "full"),
        ("1.012303", "Cấp công hàm đề nghị phía nước ngoài cấp thị thực", "Lãnh sự", 3, 0, "partial"),
        ("1.012304", "Cho phép sử dụng thẻ đi lại của doanh nhân APEC (ABTC)", "Lãnh sự", 10, 0, "full"),
        ("1.012305", "Xác nhận thông tin hộ tịch, quốc tịch có yếu tố nước ngoài", "Lãnh sự", 5, 20000, "partial"),
        ("1.012306", "Cho phép tổ chức hội nghị, hội thảo quốc tế tại địa phương", "Hợp tác quốc tế", 15, 0, "full"),
        (
            "1.012307",
            "Tiếp nhận, thẩm định khoản viện trợ phi dự án của tổ chức phi chính phủ nước ngoài",
            "Hợp tác quốc tế",
            15,
            0,
            "none",
        ),
        ("1.012308", "Đón tiếp đoàn khách nước ngoài vào làm việc tại địa phương", "Hợp tác quốc tế", 7, 0, "partial"),
        ("1.012309", "Cấp giấy phép vào khu vực biên giới cho người nước ngoài", "Biên giới", 5, 50000, "partial"),
        ("1.012310", "Cho phép tổ chức hoạt động giao lưu hữu nghị biên giới", "Biên giới", 10, 0, "none"),
    ],
    STP: [
        ("1.012401", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "Lý lịch tư pháp", 10, 200000, "full"),
        ("1.012402", "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng", "Lý lịch tư pháp", 10, 0, "partial"),
        ("1.012403", "Đăng ký tập sự hành nghề công chứng", "Công chứng", 7, 0, "partial"),
        ("1.012404", "Đăng ký hoạt động Văn phòng công chứng", "Công chứng", 10, 1000000, "partial"),
        ("1.012405", "Ghi vào sổ hộ tịch việc hộ tịch đã giải quyết ở nước ngoài", "Hộ tịch", 5, 50000, "none"),
    ],
}
# Who handles each field: Sở Ngoại vụ by its specialised offices, the rest by the Office.
UNITS = {
    SNGV: {"Lãnh sự": "LS", "Hợp tác quốc tế": "HTQT", "Biên giới": "QLBG"},
    STP: {"Lý lịch tư pháp": "HCTP", "Hộ tịch": "HCTP"},
}
# agency code, seed, dossiers, year (None: this year up to today)
BATCHES: list[tuple[str, int, int, int | None]] = [
    (SNGV, 2022, 2500, PAST_YEAR),
    (SNGV, 6, 3000, None),
    (STP, 7, 2000, None),
]


@transaction.atomic
def load(agencies: dict[str, Agency], units: dict[tuple[str, str], Unit], today: date) -> int:
    """Create the catalogue and dossiers; returns how many dossiers (0 when they were there already).

    `agencies` maps agency codes to agencies, `units` (agency code, unit abbreviation) to units.
    """
    if Dossier.objects.filter(agency=agencies[SNGV]).exists():
        return 0
    work = calendar.current()
    made = 0
    for code, seed, count, year in BATCHES:
        agency = agencies[code]
        procedures = _catalogue(agency, PROCEDURES[code])
        default = next((u for (c, _abbr), u in units.items() if c == code and u.is_coordinator), None)
        unit_of = {p.code: units.get((code, UNITS[code].get(p.field, "")), default) for p in procedures.values()}
        start, end = (date(year, 1, 1), date(year, 12, 31)) if year else (date(today.year, 1, 1), today)
        items = synthetic.rows(
            seed=seed,
            count=count,
            agencies=[agency.abbreviation or agency.code],
            procedures=[_spec(p) for p in procedures.values()],
            start=start,
            end=end,
            calendar=work,
            now=today,
        )
        made += _insert(agency, items, procedures, unit_of, work)
    rollups.recompute()
    for plan in Plan.objects.filter(agency=agencies[SNGV]):
        targets.refresh_plan(plan, today)
    return made


def _catalogue(agency: Agency, specs: list[tuple[str, str, str, int, int, str]]) -> dict[str, Procedure]:
    procedures = {}
    for code, name, field, days, fee, level in specs:
        procedures[code], _created = Procedure.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "field": field,
                "agency": agency,
                "online_level": OnlineLevel(level),
                "time_limit": Decimal(days),
                "time_unit": TimeUnit.WORKING_DAYS,
                "fee": Decimal(fee),
                "published_on": date(2021, 12, 15),
            },
        )
    return procedures


def _spec(procedure: Procedure) -> synthetic.ProcedureSpec:
    return synthetic.ProcedureSpec(
        code=procedure.code,
        limit=procedure.time_limit or Decimal(5),
        fee=int(procedure.fee),
        online=procedure.online_level != OnlineLevel.NONE,
    )


def _moment(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _insert(
    agency: Agency,
    items: Iterable[dict[str, Any]],
    procedures: dict[str, Procedure],
    unit_of: dict[str, Unit | None],
    work: Any,
) -> int:
    batch: list[Dossier] = []
    made = 0
    for item in items:
        procedure = procedures[item["procedure_code"]]
        received = datetime.fromisoformat(item["received_at"])
        due = date.fromisoformat(item["due_at"]) if item["due_at"] else None
        dossier = Dossier(
            agency=agency,
            unit=unit_of[procedure.code],
            code=item["code"],
            procedure=procedure,
            channel=Channel(item["channel"]),
            received_at=received,
            due_date=due
            or work.due(
                received, procedure.time_limit, procedure.time_unit, extra_working_days=item["supplement_days"]
            ),
            due_computed=due is None,
            finished_at=_moment(item["finished_at"]),
            returned_at=_moment(item["returned_at"]),
            status=DossierStatus(item["status"]),
            supplement_requests=item["supplement_requests"],
            supplement_days=item["supplement_days"],
            fee=Decimal(item["fee"]),
            paid_online=item["paid_online"] == "true",
            digitised=item["digitised"] == "true",
            electronic_result=item["electronic_result"] == "true",
        )
        batch.append(rollups.classify(dossier))
        if len(batch) >= BATCH:
            Dossier.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    Dossier.objects.bulk_create(batch)
    return made + len(batch)
