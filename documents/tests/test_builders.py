from __future__ import annotations

from datetime import date
from decimal import Decimal

from accounts.models import AgencyKind, Unit
from documents import builders
from documents.tests.base import DocumentsTestCase
from lib.nd30 import spec
from plans.models import LegalBasis, Plan, PlanStatus, ReformArea, Section, SignerAuthority, Task

PURPOSE = "Nâng cao Chỉ số CCHC của Sở.\nĐẩy mạnh chuyển đổi số."
REQUIREMENTS = "a) Công tác CCHC phải được tiến hành đồng bộ;\nb) Gắn trách nhiệm của người đứng đầu."
ORGANISATION = (
    "1. Văn phòng Sở\n"
    "Văn phòng Sở có trách nhiệm theo dõi việc triển khai Kế hoạch.\n"
    "2. Các phòng Nghiệp vụ\n"
    "Phối hợp Văn phòng Sở thực hiện các nhiệm vụ CCHC."
)


def texts(blocks: tuple[spec.Block, ...] | list[spec.Block]) -> list[str]:
    result = []
    for block in blocks:
        if isinstance(block, spec.Heading):
            result.append(block.text)
        elif isinstance(block, spec.Paragraph):
            result.append(block.full_text)
        elif isinstance(block, spec.BulletList):
            result.extend(f"- {item}" for item in block.items)
    return result


def table_of(document: spec.Document) -> spec.Table:
    (appendix,) = document.appendices
    (table,) = appendix.blocks
    assert isinstance(table, spec.Table)
    return table


class PlanDocumentTestCase(DocumentsTestCase):
    def test_it_takes_the_header_from_the_agency_and_the_register(self) -> None:
        document = builders.plan_document(self.plan)
        header = document.header
        self.assertEqual(header.parent_lines, ["UBND TỈNH BÌNH PHƯỚC"])
        self.assertEqual(header.issuer_lines, ["SỞ NGOẠI VỤ"])
        self.assertEqual(header.number_line, "Số: 01/KH-SNgV")
        self.assertEqual(header.date_line, "Bình Phước, ngày 20 tháng 12 năm 2025")
        self.assertFalse(header.draft)
        self.assertEqual(document.type_name, "Kế hoạch")
        self.assertEqual(document.summary, "Cải cách hành chính năm 2026")
        self.assertEqual(document.author, "Sở Ngoại vụ tỉnh Bình Phước")

    def test_it_cites_the_legal_bases_before_the_body(self) -> None:
        LegalBasis.objects.create(
            plan=self.plan,
            order=2,
            doc_type="NĐ",
            symbol="61/2018/NĐ-CP",
            issued_on=date(2018, 4, 23),
            issuer="Chính phủ",
            summary="Thực hiện cơ chế một cửa",
        )
        document = builders.plan_document(self.plan)
        self.assertEqual(
            document.preamble,
            (
                "Thực hiện Kế hoạch số 520/KH-UBND ngày 01/12/2025 của UBND tỉnh;",
                "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/04/2018 của Chính phủ về Thực hiện cơ chế một cửa;",
                "Sở Ngoại vụ ban hành Kế hoạch cải cách hành chính năm 2026 như sau:",
            ),
        )

    def test_it_prints_the_outline_and_tasks_and_refers_to_the_appendix(self) -> None:
        document = builders.plan_document(self.plan)
        self.assertEqual(
            texts(document.body),
            [
                "II. NHIỆM VỤ",
                "1. Rà soát, công bố thủ tục hành chính.",
                "Nhiệm vụ cụ thể, đơn vị chủ trì, đơn vị phối hợp và thời gian hoàn thành tại Phụ lục kèm theo "
                "Kế hoạch này.",
            ],
        )

    def test_the_appendix_lists_the_tasks_with_their_units_deadline_and_output(self) -> None:
        document = builders.plan_document(self.plan)
        (appendix,) = document.appendices
        self.assertTrue(appendix.landscape)
        self.assertEqual(appendix.title, "Nhiệm vụ cải cách hành chính năm 2026")
        self.assertEqual(
            appendix.reference, "(Kèm theo Kế hoạch số 01/KH-SNgV ngày 20 tháng 12 năm 2025 của Sở Ngoại vụ)"
        )
        table = table_of(document)
        self.assertEqual(
            [c.header for c in table.columns],
            ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"],
        )
        self.assertEqual(
            [(row.kind, row.cells) for row in table.rows],
            [
                ("group", ("I", "NHIỆM VỤ")),
                (
                    "data",
                    (
                        "1",
                        "Rà soát, công bố thủ tục hành chính",
                        "Phòng Hợp tác quốc tế",
                        "Văn phòng Sở",
                        "Quý II/2026",
                        "Quyết định công bố",
                    ),
                ),
            ],
        )

    def test_signer_and_recipients_come_from_the_plan_with_the_file_copy_added(self) -> None:
        document = builders.plan_document(self.plan)
        self.assertEqual(document.signature.lines, ["GIÁM ĐỐC"])
        self.assertEqual(document.signature.name, "Nguyễn Thị Hà")
        self.assertEqual(document.recipient_lines, ["- Lưu: VT, VP."])
        self.plan.recipients = "Nơi nhận:\n- UBND tỉnh (b/c);\nSở Nội vụ (b/c)\n- Lưu: VT."
        self.plan.signer_authority = SignerAuthority.KT
        self.plan.signer_position = "Phó Giám đốc"
        document = builders.plan_document(self.plan)
        self.assertEqual(document.recipient_lines, ["- UBND tỉnh (b/c);", "- Sở Nội vụ (b/c);", "- Lưu: VT."])
        self.assertEqual(document.signature.lines, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"])

    def test_a_draft_has_no_number_nor_day_and_its_loose_tasks_get_a_heading(self) -> None:
        document = builders.plan_document(self.draft_plan, today=date(2026, 11, 3))
        header = document.header
        self.assertTrue(header.draft)
        self.assertEqual(header.number_line, "Số:      /KH-SNgV")
        self.assertEqual(header.date_line, "Bình Phước, ngày      tháng      năm 2026")
        self.assertEqual(texts(document.body)[:2], ["I. NHIỆM VỤ", "Tuyên truyền cải cách hành chính."])
        self.assertEqual(
            document.appendices[0].reference,
            "(Kèm theo Kế hoạch số      /KH-SNgV ngày      tháng      năm 2026 của Sở Ngoại vụ)",
        )
        # Without sections the appendix is grouped by reform area.
        self.assertEqual(table_of(document).rows[0].cells, ("I", self.area.name.upper()))

    def test_it_can_group_the_appendix_by_reform_area(self) -> None:
        other = ReformArea.objects.exclude(pk=self.area.pk).order_by("order").first()
        assert other is not None
        Task.objects.create(plan=self.plan, section=self.section, label="2", content="Khác", lead_unit=self.office)
        Task.objects.create(plan=self.plan, label="3", content="Việc A", area=other, lead_unit=self.office)
        rows = table_of(builders.plan_document(self.plan, group_by="area")).rows
        groups = [row.cells[1] for row in rows if row.kind == "group"]
        areas = sorted([self.area, other], key=lambda a: a.order)
        self.assertEqual(groups, [areas[0].name.upper(), areas[1].name.upper(), "NHIỆM VỤ KHÁC"])

    def test_a_task_heading_that_merely_mentions_a_free_text_keeps_its_tasks(self) -> None:
        one_stop = Section.objects.create(
            plan=self.plan, parent=self.section, label="1", title="Tổ chức thực hiện cơ chế một cửa", order=2
        )
        Task.objects.create(plan=self.plan, section=one_stop, label="a", content="Niêm yết TTHC", lead_unit=self.unit)
        self.plan.organisation = "Văn phòng Sở theo dõi, đôn đốc."
        body = texts(builders.plan_document(self.plan).body)
        self.assertEqual(
            body[:4], ["I. NHIỆM VỤ", "1. Rà soát, công bố thủ tục hành chính.", "1. Tổ chức thực hiện cơ chế một cửa",
                       "a) Niêm yết TTHC."],
        )  # fmt: skip
        self.assertEqual(body[-2:], ["II. TỔ CHỨC THỰC HIỆN", "Văn phòng Sở theo dõi, đôn đốc."])

    def test_it_reads_in_few_queries(self) -> None:
        plan = Plan.objects.select_related("agency").get(pk=self.plan.pk)
        # document type, tasks, coordinating units, sections, legal bases, the office for "Lưu".
        with self.assertNumQueries(6):
            builders.plan_document(plan)


class Seed002ShapeTestCase(DocumentsTestCase):
    """A plan shaped like seed 002: free texts under the headings that name them."""

    shaped: Plan

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        plan = cls.shaped = Plan.objects.create(
            agency=cls.agency,
            year=2022,
            title="Cải cách hành chính Nhà nước của Sở Ngoại vụ năm 2022",
            status=PlanStatus.CLOSED,
            number=41,
            register_year=2021,
            symbol="41/KH-SNgV",
            issued_on=date(2021, 12, 28),
            signer_position="Giám đốc",
            signer_name="Phạm Thị Anh Thư",
            purpose=PURPOSE,
            requirements=REQUIREMENTS,
            budget="Lập dự toán trình Sở Tài chính.",
            budget_amount=Decimal(450_000_000),
            organisation=ORGANISATION,
        )

        def section(label: str, title: str, order: int, parent: Section | None = None) -> Section:
            return Section.objects.create(plan=plan, label=label, title=title, order=order, parent=parent)

        aims = section("I", "MỤC ĐÍCH, YÊU CẦU", 1)
        section("1", "Mục đích", 2, aims)
        section("2", "Yêu cầu", 3, aims)
        tasks = section("II", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", 4)
        institutions = section("1", "Cải cách thể chế", 5, tasks)
        section("IV", "KẾ HOẠCH CỤ THỂ (Có phụ lục kèm theo)", 6)
        section("V", "KINH PHÍ THỰC HIỆN", 7)
        organisation = section("VI", "TỔ CHỨC THỰC HIỆN", 8)
        office = section("1", "Văn phòng Sở", 9, organisation)

        def task(content: str, label: str, where: Section, order: int, **extra: object) -> Task:
            return Task.objects.create(
                plan=plan, section=where, label=label, content=content, order=order, lead_unit=cls.office, **extra
            )

        task("Đổi mới tư duy trong xây dựng thể chế;", "a", institutions, 1)
        task("Đảm bảo 95% hồ sơ được xử lý trên môi trường mạng", "a", institutions, 2)
        parent = task("Nâng cao chất lượng văn bản QPPL", "b", institutions, 3, due_text="Quý II/2022")
        Task.objects.create(
            plan=plan, parent=parent, section=institutions, content="Rà soát văn bản", lead_unit=cls.unit, order=1
        )
        recurring = task("Báo cáo tháng", "", office, 4, recurrence="monthly", due_text="Hằng tháng")
        recurring.generate_occurrences()

    def test_free_texts_go_under_the_headings_that_name_them(self) -> None:
        body = texts(builders.plan_document(self.shaped).body)
        self.assertEqual(
            body,
            [
                "I. MỤC ĐÍCH, YÊU CẦU",
                "1. Mục đích",
                "Nâng cao Chỉ số CCHC của Sở.",
                "Đẩy mạnh chuyển đổi số.",
                "2. Yêu cầu",
                "a) Công tác CCHC phải được tiến hành đồng bộ;",
                "b) Gắn trách nhiệm của người đứng đầu.",
                "II. NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
                "1. Cải cách thể chế",
                "a) Đổi mới tư duy trong xây dựng thể chế.",
                # The second paragraph of item a) carries its label in the data, printed once.
                "Đảm bảo 95% hồ sơ được xử lý trên môi trường mạng.",
                "b) Nâng cao chất lượng văn bản QPPL.",
                "- Rà soát văn bản.",
                "IV. KẾ HOẠCH CỤ THỂ (Có phụ lục kèm theo)",
                "V. KINH PHÍ THỰC HIỆN",
                "Lập dự toán trình Sở Tài chính.",
                "Tổng kinh phí dự kiến: 450.000.000 đồng.",
                # The organisation text is what was written for VI; its tasks are in the appendix.
                "VI. TỔ CHỨC THỰC HIỆN",
                "1. Văn phòng Sở",
                "Văn phòng Sở có trách nhiệm theo dõi việc triển khai Kế hoạch.",
                "2. Các phòng Nghiệp vụ",
                "Phối hợp Văn phòng Sở thực hiện các nhiệm vụ CCHC.",
            ],
        )

    def test_the_appendix_groups_by_section_numbers_sub_tasks_and_lists_a_recurring_task_once(self) -> None:
        rows = table_of(builders.plan_document(self.shaped)).rows
        self.assertEqual(
            [(row.kind, row.cells[0], row.cells[1], row.level) for row in rows],
            [
                ("group", "I", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", 0),
                ("subgroup", "1", "Cải cách thể chế", 0),
                ("data", "1.1", "Đổi mới tư duy trong xây dựng thể chế", 0),
                ("data", "1.2", "Đảm bảo 95% hồ sơ được xử lý trên môi trường mạng", 0),
                ("data", "1.3", "Nâng cao chất lượng văn bản QPPL", 0),
                ("data", "1.3.1", "Rà soát văn bản", 1),
                ("group", "II", "TỔ CHỨC THỰC HIỆN", 0),
                ("subgroup", "1", "Văn phòng Sở", 0),
                ("data", "1.1", "Báo cáo tháng", 0),
            ],
        )
        self.assertEqual(rows[8].cells[4], "Hằng tháng")

    def test_texts_without_a_heading_of_their_own_get_one(self) -> None:
        self.shaped.sections.all().delete()
        document = builders.plan_document(self.shaped)
        headings = [b.text for b in document.body if isinstance(b, spec.Heading) and b.level == 1]
        self.assertEqual(
            headings, ["I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ", "III. KINH PHÍ THỰC HIỆN", "IV. TỔ CHỨC THỰC HIỆN"]
        )
        body = texts(document.body)
        self.assertEqual(body[1:3], ["1. Mục đích", "Nâng cao Chỉ số CCHC của Sở."])


class OrganisationDataTestCase(DocumentsTestCase):
    def test_a_body_without_parent_prints_its_name_on_two_lines(self) -> None:
        self.assertEqual(builders.issuer_name(self.province), "Ủy ban nhân dân\ntỉnh Bình Phước")
        self.assertEqual(builders.issuer_name(self.agency), "Sở Ngoại vụ")

    def test_a_collegial_body_signs_on_behalf_of_the_committee(self) -> None:
        self.assertEqual(self.province.kind, AgencyKind.PROVINCE)
        signature = builders.signature(self.province, position="Phó Chủ tịch", name="Trần Văn A", authority="TM.")
        self.assertEqual(signature.lines, ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"])
        signature = builders.signature(self.agency, position="Chánh Văn phòng", authority="TL.")
        self.assertEqual(signature.lines, ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"])

    def test_the_file_copy_names_the_coordinating_unit(self) -> None:
        Unit.objects.filter(pk=self.office.pk).update(abbreviation="VPS")
        self.assertEqual(builders.recipients_with_file_copy(["Sở Nội vụ"], self.agency), ("Sở Nội vụ", "Lưu: VT, VPS"))
        # The other agency has no unit marked as the reform coordinator.
        self.assertEqual(builders.recipients_with_file_copy([], self.other_agency), ("Lưu: VT",))


class ReportDocumentTestCase(DocumentsTestCase):
    def test_a_numbered_report_of_the_agency(self) -> None:
        table = spec.Table(
            columns=(spec.Column("STT", 1), spec.Column("Nhiệm vụ", 4), spec.Column("Kết quả", 2)),
            rows=(spec.Row(("1", "Rà soát TTHC", "Hoàn thành")),),
        )
        document = builders.report_document(
            self.agency,
            title="Kết quả thực hiện công tác cải cách hành chính quý I năm 2026",
            body=["I. KẾT QUẢ ĐẠT ĐƯỢC\nĐã hoàn thành 10 nhiệm vụ.\n- Rà soát TTHC;\n- Tuyên truyền"],
            number=5,
            issued_on=date(2026, 3, 20),
            signer=builders.signature(self.agency, position="Giám đốc", name="Nguyễn Thị Hà"),
            recipients=["Sở Nội vụ"],
            tables=[("Kết quả chi tiết", table), ("Chỉ tiêu", table)],
            addressees=["Sở Nội vụ tỉnh Bình Phước"],
        )
        self.assertEqual(document.header.number_line, "Số: 05/BC-SNgV")
        self.assertEqual(document.header.date_line, "Bình Phước, ngày 20 tháng 3 năm 2026")
        self.assertFalse(document.header.draft)
        self.assertEqual(document.type_name, "Báo cáo")
        self.assertEqual(
            texts(document.body),
            ["I. KẾT QUẢ ĐẠT ĐƯỢC", "Đã hoàn thành 10 nhiệm vụ.", "- Rà soát TTHC;", "- Tuyên truyền"],
        )
        self.assertEqual(document.recipient_lines, ["- Sở Nội vụ;", "- Lưu: VT, VP."])
        self.assertEqual(document.addressee_lines, [("Kính gửi: Sở Nội vụ tỉnh Bình Phước.", None)])
        self.assertEqual([a.label for a in document.appendices], ["Phụ lục I", "Phụ lục II"])
        self.assertEqual(
            document.appendices[0].reference,
            "(Kèm theo Báo cáo số 05/BC-SNgV ngày 20 tháng 3 năm 2026 của Sở Ngoại vụ)",
        )
        self.assertFalse(document.appendices[0].landscape)

    def test_an_unnumbered_report_is_a_draft(self) -> None:
        document = builders.report_document(self.agency, title="Báo cáo nhanh", body=[], today=date(2026, 4, 2))
        self.assertTrue(document.header.draft)
        self.assertEqual(document.header.number_line, "Số:      /BC-SNgV")
        self.assertEqual(document.header.date_line, "Bình Phước, ngày      tháng      năm 2026")
        self.assertEqual(document.signature.lines, [])
