"""The generated plan DOCX as a person sees it: rendered by LibreOffice, then to pictures.

The demo's plan 41/KH-SNgV (seed 002: outline, free texts, 43 tasks with units
and deadlines) is written as DOCX, converted to PDF by LibreOffice headless
(with a throwaway profile, so runs in parallel do not clash) and to PNG pages
with pdftoppm. The facts a picture shows are asserted from the PDF: A4
portrait then landscape for the appendix, the page count, the fonts (Times New
Roman or its metric twin Liberation Serif, never a fallback such as DejaVu),
page numbers at the top centre from page 2, the header lines. The pictures
land in test-artifacts/ for a human to look at.

Skipped when LibreOffice is missing, unless REQUIRE_VISUAL is set (then it fails).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from unittest import skipIf

import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from pypdf import PdfReader

from documents import builders
from lib.nd30 import docx, spec
from plans.models import Plan

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
MM = 72 / 25.4
TOOLS = ("soffice", "pdftoppm", "pdffonts", "pdftotext")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]
# Pages of the body and of the appendix as LibreOffice lays them out (pinned: a change is worth a look).
BODY_PAGES = 7
APPENDIX_PAGES = 10


def run(*command: str, timeout: int = 120) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise AssertionError(f"{command[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
    return result.stdout


def words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """The words of one page with their boxes (xMin, yMin, xMax, yMax in points from the top left)."""
    html = run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(pattern, html)]


@skipIf(MISSING and not os.environ.get("REQUIRE_VISUAL"), f"missing {', '.join(MISSING)} (set REQUIRE_VISUAL to fail)")
class VisualTestCase(TestCase):
    plan: Plan
    tmp: Path
    pdf: Path
    reader: PdfReader

    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel("2026-05-04 09:00 +07:00"):
            call_command("load_demo", stdout=io.StringIO())
        cls.plan = Plan.objects.select_related("agency").get(year=2022)

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.tmp = Path(tempfile.mkdtemp(prefix="nd30-visual-"))
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        source = cls.tmp / "ke-hoach.docx"
        source.write_bytes(docx.render(builders.plan_document(cls.plan)))
        run(
            "soffice",
            f"-env:UserInstallation=file://{cls.tmp}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(cls.tmp),
            str(source),
        )
        cls.pdf = cls.tmp / "ke-hoach.pdf"
        cls.reader = PdfReader(cls.pdf)
        run("pdftoppm", "-r", "60", "-png", str(cls.pdf), str(cls.tmp / "page"))
        ARTIFACTS.mkdir(exist_ok=True)
        for picture in cls.tmp.glob("page-*.png"):
            shutil.copy(picture, ARTIFACTS / f"ke-hoach-{picture.name}")

    def test_it_is_a4_portrait_then_landscape_for_the_appendix(self) -> None:
        sizes = [(round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM)) for p in self.reader.pages]
        self.assertEqual(len(sizes), BODY_PAGES + APPENDIX_PAGES)
        self.assertEqual(sizes, [(210, 297)] * BODY_PAGES + [(297, 210)] * APPENDIX_PAGES)
        self.assertTrue(self.reader.pages[BODY_PAGES].extract_text().startswith("Phụ lục"))
        self.assertEqual(len(list(self.tmp.glob("page-*.png"))), BODY_PAGES + APPENDIX_PAGES)

    def test_it_uses_times_new_roman_or_liberation_serif_only(self) -> None:
        lines = run("pdffonts", str(self.pdf)).splitlines()[2:]
        names = [line.split()[0].split("+")[-1] for line in lines if line.strip()]
        self.assertTrue(names)
        for line, name in zip(lines, names, strict=True):
            with self.subTest(font=name):
                # Liberation Serif 1.x has no Vietnamese letters: install fonts-liberation2 (2.x) or Times New Roman.
                self.assertRegex(name, r"^(TimesNewRoman|LiberationSerif)")
                self.assertNotIn("DejaVu", name)
                self.assertIn(" yes ", line)  # embedded
        self.assertTrue(any("Bold" in name for name in names))
        self.assertTrue(any("Italic" in name for name in names))

    def test_page_numbers_are_at_the_top_centre_from_page_two(self) -> None:
        top = spec.MARGIN_TOP_MM * MM
        centre = (spec.MARGIN_LEFT_MM + spec.TEXT_WIDTH_MM / 2) * MM
        self.assertEqual([w for w in words(self.pdf, 1) if w[4] < top], [])
        for page in (2, BODY_PAGES):
            ((number, x_min, _y, x_max, _y2),) = [w for w in words(self.pdf, page) if w[4] < top]
            self.assertEqual(number, str(page))
            self.assertAlmostEqual((x_min + x_max) / 2, centre, delta=3 * MM)
        # The appendix is numbered on its own, from its second page.
        first, second = BODY_PAGES + 1, BODY_PAGES + 2
        self.assertEqual([w for w in words(self.pdf, first) if w[4] < top], [])
        ((number, x_min, _y, x_max, _y2),) = [w for w in words(self.pdf, second) if w[4] < top]
        self.assertEqual(number, "2")
        landscape_centre = (spec.MARGIN_LEFT_MM + spec.LANDSCAPE_TEXT_WIDTH_MM / 2) * MM
        self.assertAlmostEqual((x_min + x_max) / 2, landscape_centre, delta=3 * MM)

    def test_the_first_page_has_the_header_lines_in_two_columns(self) -> None:
        text = run("pdftotext", "-layout", "-f", "1", "-l", "1", str(self.pdf), "-")
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        self.assertEqual(lines[0], "UBND TỈNH BÌNH PHƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        self.assertEqual(lines[1], "SỞ NGOẠI VỤ Độc lập - Tự do - Hạnh phúc")
        self.assertEqual(lines[2], "Số: 41/KH-SNgV Bình Phước, ngày 28 tháng 12 năm 2021")
        self.assertEqual(lines[3:5], ["KẾ HOẠCH", "Cải cách hành chính Nhà nước của Sở Ngoại vụ năm 2022"])
        # The issuer's block sits in the left third, the motto's in the right two thirds.
        placed = {w[0]: w for w in words(self.pdf, 1)}
        split = (spec.MARGIN_LEFT_MM + spec.HEADER_LEFT_MM) * MM
        self.assertLess(placed["NGOẠI"][3], split)
        self.assertGreater(placed["Hạnh"][1], split)

    def test_the_signature_block_and_recipients_end_the_body(self) -> None:
        text = run("pdftotext", "-layout", "-f", str(BODY_PAGES), "-l", str(BODY_PAGES), str(self.pdf), "-")
        self.assertRegex(text, r"Nơi nhận:\s+GIÁM ĐỐC")
        self.assertIn("- Lưu: VT.", text)
        self.assertIn("Phạm Thị Anh Thư", text)
        self.assertIn("đúng quy định./.", text)
