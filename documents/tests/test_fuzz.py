"""No input makes the importer fail with anything but `Unreadable` (Hypothesis).

Random bytes and text, and damaged versions of real documents: seed texts with
lines cut, moved and garbled; a sample DOCX with flipped bytes, cut short, or with
its XML rearranged (elements dropped, moved, attributes given odd values, which
reaches the numbering and table code behind python-docx); a sample PDF with flipped
bytes or cut short. Each run is the same (derandomize) and the file stays fast.
"""

from __future__ import annotations

import io
import logging
import random
import zipfile
from functools import cache
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from documents.reader import read_document
from documents.reader.appendix import appendix_tasks
from documents.reader.areas import AreaMatcher
from documents.reader.pdftables import PAGE_BREAK, read_tables, text_lines
from documents.reader.source import Unreadable
from documents.tests import samples
from documents.tests.samples import DocxBuilder, ReaderTestCase

AREAS = AreaMatcher(
    [
        ("institutional", "thể chế"),
        ("procedures", "thủ tục hành chính"),
        ("digital_government", "chính quyền số\nchuyển đổi số"),
        ("direction", "chỉ đạo\ntổ chức thực hiện"),
    ]
)
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Seeds of Python's generator: Hypothesis's own random values lean to 0, which would flip the first byte.
SEEDS = st.integers(0, 2**32)
NAMES = st.sampled_from(["ke-hoach.txt", "ke-hoach.md", "ke-hoach.docx", "ke-hoach.pdf", "ke-hoach", "a.doc", "a.bin"])


@cache
def sample_docx() -> bytes:
    """A small plan with everything the DOCX reader handles: lists, header, appendix and signature tables."""
    builder = DocxBuilder()
    builder.table([["UBND TỈNH BÌNH PHƯỚC\nSỞ NGOẠI VỤ\nSố: 05/KH-SNgV", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]])
    builder.paragraph("KẾ HOẠCH", bold=True)
    builder.paragraph("Cải cách hành chính năm 2026")
    outline = builder.list_definition([("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)")])
    builder.numbered("NHIỆM VỤ", outline, 0)
    builder.numbered("Cải cách thể chế", outline, 1)
    builder.numbered("Rà soát văn bản quy phạm pháp luật; thường xuyên.", outline, 2)
    builder.paragraph("Gạch đầu dòng", style="List Bullet")
    builder.raw_body(
        '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:sdtContent>'
        "<w:p><w:r><w:t>Trong ô nhập liệu</w:t></w:r><w:r><w:tab/><w:t>cột</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    table = builder.table(
        [
            ["STT", "Nội dung", "Đơn vị thực hiện", "", "Thời gian"],
            ["", "", "Chủ trì", "Phối hợp", ""],
            ["I. CẢI CÁCH THỂ CHẾ", "", "", "", ""],
            ["1", "Rà soát", "Văn phòng Sở", "Thanh tra Sở; Các cơ quan liên quan", "Quý II/2026"],
        ]
    )
    builder.merge(table, (0, 2), (0, 3))
    builder.merge(table, (0, 0), (1, 0))
    builder.merge(table, (2, 0), (2, 4))
    builder.table([["Nơi nhận:\n- Sở Nội vụ;\n- Lưu: VT.", "GIÁM ĐỐC\n\n\nPhạm Thị Anh Thư"]], borders=False)
    return builder.save()


@cache
def sample_pdf() -> bytes:
    """A small printed plan with an appendix table, so damaged copies reach the table reader too."""
    layout = samples.text_layout(
        "UBND TỈNH BÌNH PHƯỚC   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nKẾ HOẠCH\nCải cách hành chính năm 2026\n\n"
        "I. NHIỆM VỤ\n\n1. Rà soát văn bản theo Quyết định số 212/2025/QĐ-UBND.\n\nNơi nhận:\n- Sở Nội vụ;\n"
        "GIÁM ĐỐC\nPhạm Thị Anh Thư"
    )
    rows = [
        samples.APPENDIX_HEADER,
        ["I. CẢI CÁCH THỂ CHẾ"] * 7,
        ["1", "Rà soát văn bản", "Văn phòng Sở", "Thanh tra Sở", "Quý II/2026", "Báo cáo", ""],
    ]
    return samples.layout_pdf(layout, appendix=rows)


@cache
def classic_pdf() -> bytes:
    """The sample PDF saved again by pypdf: a classic cross-reference table, no object streams."""
    from pypdf import PdfReader, PdfWriter

    out = io.BytesIO()
    PdfWriter(clone_from=PdfReader(io.BytesIO(sample_pdf()))).write(out)
    return out.getvalue()


@cache
def seed_texts() -> list[str]:
    return [samples.seed_text(stem) for stem in samples.SEEDS]


def read(name: str, data: bytes) -> None:
    """Either a result in the contract's shape or `Unreadable` with a message."""
    try:
        result, source = read_document(name, data, AREAS)
    except Unreadable as error:
        assert str(error), "an Unreadable without a message"
        return
    assert isinstance(result, dict)
    assert set(result) >= {"document", "sections", "tasks"}
    assert isinstance(source.text, str)
    appendix_tasks(source.tables, AREAS, 2026)


def flip(rng: random.Random, data: bytes, count: int) -> bytes:
    buffer = bytearray(data)
    for _ in range(count):
        position = rng.randrange(len(buffer))
        buffer[position] = rng.randrange(256)
    return bytes(buffer)


def rezip(archive_bytes: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == member else source.read(item.filename))
    return out.getvalue()


ODD_VALUES = ["", "0", "-1", "1", "2", "9", "99", "999999999999", "abc", "restart", "continue", "bullet", "%1.%9)"]


def rearrange_xml(rng: random.Random, xml: bytes, steps: int) -> bytes:
    """Well-formed XML with elements dropped, moved or duplicated and attributes set to odd values."""
    root = etree.fromstring(xml)
    for _ in range(steps):
        elements = list(root.iter())
        element = rng.choice(elements)
        action = rng.randrange(4)
        parent = element.getparent()
        if action == 0 and parent is not None:
            parent.remove(element)
        elif action == 1 and parent is not None:
            target = rng.choice(elements)
            if element not in target.iterancestors() and element is not target:
                target.append(element)
        elif action == 2 and parent is not None:
            parent.insert(parent.index(element), etree.fromstring(etree.tostring(element)))
        elif element.attrib:
            name = rng.choice(list(element.attrib))
            element.set(name, rng.choice(ODD_VALUES))
    return bytes(etree.tostring(root))


class FuzzTest(ReaderTestCase):
    def setUp(self) -> None:
        super().setUp()
        # No database: the parser's own list of document types instead of the administrators' table.
        self.enterContext(patch("documents.reader.document_types", return_value=None))
        # What the libraries say about damaged files is logged at warning level; not needed here.
        for name in ("documents.reader.extract", "pypdf", "pyhanko"):
            logger = logging.getLogger(name)
            self.addCleanup(logger.setLevel, logger.level)
            logger.setLevel(logging.ERROR)

    @FUZZ
    @given(name=NAMES, data=st.binary(max_size=4096))
    def test_it_survives_random_bytes(self, name: str, data: bytes) -> None:
        read(name, data)

    @FUZZ
    @given(name=st.sampled_from(["a.txt", "a.md", "a"]), text=st.text(max_size=3000))
    def test_it_survives_random_text(self, name: str, text: str) -> None:
        read(name, text.encode("utf-8", "surrogatepass"))

    @FUZZ
    @given(index=st.integers(0, 4), seed=SEEDS, edits=st.integers(1, 12))
    def test_it_survives_damaged_seed_texts(self, index: int, seed: int, edits: int) -> None:
        rng = random.Random(seed)
        lines = seed_texts()[index].split("\n")
        pieces = ["", "I.", "1.", "a)", "- ", "Nơi nhận:", "Số: /KH-", "KẾ HOẠCH", "Quý IV/", "%", "\t", "|", "*"]
        for _ in range(edits):
            position = rng.randrange(len(lines))
            action = rng.randrange(4)
            if action == 0:
                del lines[position]
            elif action == 1:
                lines.insert(rng.randrange(len(lines) + 1), lines[position])
            elif action == 2:
                line = lines[position]
                cut = rng.randrange(len(line) + 1)
                lines[position] = line[:cut] + rng.choice(pieces) + line[cut:]
            else:
                lines[position] = rng.choice(pieces) + " " + rng.choice(pieces)
            if not lines:
                lines = [""]
        read("ke-hoach.txt", "\n".join(lines).encode())

    @FUZZ
    @given(seed=SEEDS, flips=st.integers(1, 20), cut=st.sampled_from([1.0, 0.99, 0.5]))
    def test_it_survives_damaged_docx_bytes(self, seed: int, flips: int, cut: float) -> None:
        rng = random.Random(seed)
        data = flip(rng, sample_docx(), flips)
        read("ke-hoach.docx", data[: max(1, int(len(data) * cut))])

    @FUZZ
    @given(seed=SEEDS, steps=st.integers(1, 30), member=st.sampled_from([0, 1, 2]))
    def test_it_survives_rearranged_docx_xml(self, seed: int, steps: int, member: int) -> None:
        rng = random.Random(seed)
        name = ["word/document.xml", "word/numbering.xml", "word/styles.xml"][member]
        with zipfile.ZipFile(io.BytesIO(sample_docx())) as archive:
            xml = archive.read(name)
        read("ke-hoach.docx", rezip(sample_docx(), name, rearrange_xml(rng, xml, steps)))

    @FUZZ
    @given(seed=SEEDS, classic=st.booleans(), flips=st.integers(0, 6))
    def test_it_survives_pdfs_with_flipped_bytes(self, seed: int, classic: bool, flips: int) -> None:
        rng = random.Random(seed)
        read("ke-hoach.pdf", flip(rng, classic_pdf() if classic else sample_pdf(), flips))

    @FUZZ
    @given(classic=st.booleans(), cut=st.floats(0.0, 1.0))
    def test_it_survives_pdfs_cut_short(self, classic: bool, cut: float) -> None:
        data = classic_pdf() if classic else sample_pdf()
        read("ke-hoach.pdf", data[: int(len(data) * cut)])

    @FUZZ
    @given(
        rows=st.lists(
            st.lists(st.sampled_from(["", "STT", "I", "1", "Nội dung", "Chủ trì", "Quý II", "x" * 3, "Các Sở: A, B"])),
            max_size=12,
        )
    )
    def test_it_survives_any_table(self, rows: list[list[str]]) -> None:
        header = [["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời gian"]]
        for table in (rows, header + rows):
            tasks: list[dict[str, Any]] = appendix_tasks([table], AREAS, 2026)
            self.assertTrue(all(task["content"] for task in tasks))

    @FUZZ
    @given(
        lines=st.lists(
            st.one_of(
                st.sampled_from(
                    [
                        PAGE_BREAK,
                        "",
                        "STT   Nội dung nhiệm vụ    Đơn vị chủ trì   Phối hợp   Thời gian",
                        "      nhiệm vụ             trì",
                        "I. CẢI CÁCH THỂ CHẾ",
                        "Nơi nhận:",
                    ]
                ),
                st.text(alphabet=" IV1.aàđĐQuý/20-;", max_size=90),
            ),
            max_size=30,
        )
    )
    def test_it_survives_any_layout_text(self, lines: list[str]) -> None:
        pages = [text_lines(page) for page in "\n".join(lines).split(PAGE_BREAK)]
        texts, touched, tables = read_tables(pages)
        for table in tables:
            self.assertTrue(all(len(table_row) == len(table[0]) for table_row in table))
        self.assertEqual((len(texts), len(touched)), (len(pages), len(pages)))
