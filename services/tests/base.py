"""One-stop-shop fixtures shared by the services tests and the access matrix.

On top of the reporting fixtures: the Saturday 04/05/2024 declared a working
day; the procedure 1.001234 (Lãnh sự) handled by the personas' agency, in 5
working days with a fee; an unclassified procedure without agency; a saved
mapping of Vietnamese headers for procedure imports.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounts.models import Agency, User
from cchc.test import BaseTestCase
from reports.tests.base import ReportFixtures
from services.models import (
    CalendarException,
    ColumnMapping,
    ExceptionKind,
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


class ServicesTestCase(ServiceFixtures, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.create_plans()
        cls.create_documents()
        cls.create_reports()
        cls.create_services()
