"""One-stop-shop fixtures shared by the services tests and the access matrix.

On top of the reporting fixtures: the Saturday 04/05/2024 declared a working
day; the procedure 1.001234 (Lãnh sự) handled by the personas' agency, in 5
working days with a fee; an unclassified procedure without agency; a saved
mapping of Vietnamese headers for procedure imports; a dossier received online on
07/02/2024, due 19/02 and finished early on 16/02, from an import run of the coordinator.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from accounts.models import Agency, User
from cchc.test import BaseTestCase
from reports.tests.base import ReportFixtures
from services.models import (
    CalendarException,
    Channel,
    ColumnMapping,
    Dossier,
    DossierImport,
    DossierStatus,
    ExceptionKind,
    ImportStatus,
    MappingTarget,
    OnlineLevel,
    Procedure,
    TimeUnit,
)


class ServiceFixtures(ReportFixtures):
    agency: Agency
    admin: User
    exception: CalendarException
    procedure: Procedure
    unclassified: Procedure
    mapping: ColumnMapping
    dossier: Dossier
    dossier_import: DossierImport

    @classmethod
    def create_services(cls) -> None:
        cls.exception = CalendarException.objects.create(
            day=date(2024, 5, 4), kind=ExceptionKind.WORKING, name="Làm bù cho ngày nghỉ 29/04/2024"
        )
        cls.procedure = Procedure.objects.create(
            code="1.001234",
            name="Cấp công hàm đề nghị cấp thị thực",
            field="Lãnh sự",
            agency=cls.agency,
            online_level=OnlineLevel.FULL,
            time_limit=Decimal(5),
            time_unit=TimeUnit.WORKING_DAYS,
            fee=Decimal(50000),
            published_on=date(2023, 6, 1),
        )
        cls.unclassified = Procedure.objects.create(code="2.000999", name="2.000999", unclassified=True)
        cls.mapping = ColumnMapping.objects.create(
            name="Cổng DVC tỉnh",
            target=MappingTarget.PROCEDURES,
            columns={"code": "MaTTHC", "name": "TenTTHC", "field": "LinhVuc"},
            created_by=cls.admin,
        )
        zone = ZoneInfo("Asia/Ho_Chi_Minh")
        cls.dossier = Dossier.objects.create(
            agency=cls.agency,
            code="000.00.12.H10-240207-0001",
            procedure=cls.procedure,
            channel=Channel.ONLINE,
            received_at=datetime(2024, 2, 7, 9, 30, tzinfo=zone),
            due_date=date(2024, 2, 19),
            finished_at=datetime(2024, 2, 16, 15, 0, tzinfo=zone),
            status=DossierStatus.PROCESSED,
            fee=Decimal(50000),
            paid_online=True,
        )
        cls.dossier_import = DossierImport.objects.create(
            agency=cls.agency,
            original_name="ho-so-thang-02.csv",
            status=ImportStatus.DONE,
            rows=1,
            created_count=1,
            created_by=cls.coordinator,
        )


class ServicesTestCase(ServiceFixtures, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
        cls.create_documents()
        cls.create_reports()
        cls.create_services()
