"""Accuracy and speed of the plan importer over a folder of documents with expected JSON.

For every document (.docx, .pdf, .txt, .md) that has a `<stem>.json` next to it (or in
the second folder), reads it as `import_plan --dry-run --json` does and compares the
result with the expected structure of ../shared/contracts/plan-import.md field by
field: each `document` field, and the items of `legal_bases`, `sections` (flattened
to label paths), `tasks`, `targets`, `reporting` and `budget`. A text file is also
turned into the DOCX and the PDF its author would have made (header and signature
as two-column tables) and read again, so the three ways in are compared on the same
expectations. Then a ~30-page DOCX and PDF (seed 004's body six times and an appendix
of 200 rows) are read and timed. Prints figures only.

    .venv/bin/python bench/import_accuracy.py                       # the seeds and their worked examples
    .venv/bin/python bench/import_accuracy.py FOLDER [EXPECTED]     # any folder of documents
    .venv/bin/python bench/import_accuracy.py --no-derived --no-large
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from common import ROOT, throwaway_database

KINDS = (".docx", ".pdf", ".txt", ".md")
DOCUMENT_FIELDS = (
    "type",
    "number",
    "symbol",
    "issuer",
    "parent_body",
    "place",
    "date",
    "title",
    "year",
    "signer",
    "recipients",
    "digital_signatures",
)
LIST_GROUPS = ("legal_bases", "sections", "tasks", "targets")
TASK_FIELDS = (
    "section",
    "content",
    "area",
    "lead_unit",
    "coordinating_units",
    "due",
    "due_date",
    "recurring",
    "output",
)
TARGET_FIELDS = ("text", "comparator", "value", "value_max", "unit", "section")
GROUPS = ("document", *LIST_GROUPS, "reporting", "budget")


def default_folders() -> tuple[Path, Path]:
    shared = ROOT.parent / "shared"
    if (shared / "seeds").is_dir() and (shared / "contracts" / "examples").is_dir():
        return shared / "seeds", shared / "contracts" / "examples"
    data = ROOT / "documents" / "tests" / "data"
    return data, data


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def flat_sections(sections: list[dict[str, Any]], path: tuple[str, ...] = ()) -> list[Any]:
    found: list[Any] = []
    for section in sections or []:
        here = (*path, str(section.get("label")))
        found.append([list(here), section.get("title")])
        found.extend(flat_sections(section.get("children") or [], here))
    return found


def matched(expected: list[Any], actual: list[Any]) -> tuple[int, int]:
    """Items found in both (as multisets), out of the longer list; (1, 1) when both are empty."""
    if not expected and not actual:
        return 1, 1
    common = Counter(map(canonical, expected)) & Counter(map(canonical, actual))
    return sum(common.values()), max(len(expected), len(actual))


def compare(expected: dict[str, Any], actual: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """(matches, total) per group, and per field of document, tasks and targets."""
    scores: dict[str, tuple[int, int]] = {}
    exp_doc, act_doc = expected.get("document") or {}, actual.get("document") or {}
    for key in DOCUMENT_FIELDS:
        scores[f"document.{key}"] = (int(canonical(exp_doc.get(key)) == canonical(act_doc.get(key))), 1)
    scores["document"] = (sum(scores[f"document.{k}"][0] for k in DOCUMENT_FIELDS), len(DOCUMENT_FIELDS))
    for group in LIST_GROUPS:
        exp, act = expected.get(group) or [], actual.get(group) or []
        if group == "sections":
            exp, act = flat_sections(exp), flat_sections(act)
        scores[group] = matched(exp, act)
    for group, fields in (("tasks", TASK_FIELDS), ("targets", TARGET_FIELDS)):
        exp, act = expected.get(group) or [], actual.get(group) or []
        total = max(len(exp), len(act))
        for key in fields:
            hits = sum(1 for e, a in zip(exp, act, strict=False) if canonical(e.get(key)) == canonical(a.get(key)))
            scores[f"{group}.{key}"] = (hits, total) if total else (1, 1)
    for group in ("reporting", "budget"):
        scores[group] = (int(canonical(expected.get(group)) == canonical(actual.get(group))), 1)
    return scores


def documents_in(folder: Path, expected_folder: Path) -> list[tuple[Path, Path]]:
    pairs = []
    for path in sorted(folder.iterdir()):
        expected = expected_folder / f"{path.stem}.json"
        if path.suffix.casefold() in KINDS and expected.exists():
            pairs.append((path, expected))
    return pairs


def read(name: str, data: bytes, areas: Any) -> tuple[dict[str, Any], float]:
    from documents.reader import read_document

    started = time.perf_counter()
    result, _source = read_document(name, data, areas)
    return result, (time.perf_counter() - started) * 1000


def percent(hits: int, total: int) -> str:
    return f"{100 * hits / total:5.1f}%" if total else "    - "


def run_accuracy(folder: Path, expected_folder: Path, derived: bool, areas: Any) -> None:
    from documents.reader.source import Unreadable
    from documents.tests import samples

    pairs = documents_in(folder, expected_folder)
    if not pairs:
        print(f"No documents with expected JSON in {folder} (expected in {expected_folder}).")
        return
    totals: dict[str, dict[str, list[int]]] = {}
    print(f"{'file':<34} {'kind':<5} {'ms':>7}  " + " ".join(f"{g[:8]:>8}" for g in GROUPS))
    for path, expected_path in pairs:
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        data = path.read_bytes()
        inputs = [(path.suffix.lstrip(".").casefold(), path.name, data)]
        if derived and path.suffix.casefold() in (".txt", ".md"):
            layout = samples.text_layout(
                data.decode("utf-8-sig"), markdown=path.suffix.casefold() == ".md" or "**" in data.decode("utf-8-sig")
            )
            inputs.append(("docx", f"{path.stem}.docx", samples.layout_docx(layout)))
            inputs.append(("pdf", f"{path.stem}.pdf", samples.layout_pdf(layout)))
        for kind, name, content in inputs:
            try:
                actual, ms = read(name, content, areas)
            except Unreadable as error:
                print(f"{path.stem[:34]:<34} {kind:<5} unreadable: {error}")
                continue
            scores = compare(expected, actual)
            row = totals.setdefault(kind, {})
            for key, (hits, total) in scores.items():
                sums = row.setdefault(key, [0, 0])
                sums[0] += hits
                sums[1] += total
            print(
                f"{path.stem[:34]:<34} {kind:<5} {ms:>7.0f}  "
                + " ".join(f"{scores[g][0]:>4}/{scores[g][1]:<3}" for g in GROUPS)
            )
    print()
    print("Accuracy per field (matches / total, all files):")
    keys = [
        *GROUPS,
        *(f"document.{k}" for k in DOCUMENT_FIELDS),
        *(f"tasks.{k}" for k in TASK_FIELDS),
        *(f"targets.{k}" for k in TARGET_FIELDS),
    ]
    kinds = list(totals)
    print(f"{'field':<30} " + " ".join(f"{kind:>16}" for kind in kinds))
    for key in keys:
        cells = []
        for kind in kinds:
            hits, total = totals[kind].get(key, [0, 0])
            cells.append(f"{hits:>5}/{total:<4} {percent(hits, total)}")
        print(f"{key:<30} " + " ".join(f"{cell:>16}" for cell in cells))


def large_layout(repeat: int) -> Any:
    from documents.tests import samples

    seed = next(stem for stem in samples.SEEDS if stem.startswith("004"))
    layout = samples.seed_layout(seed)
    body = list(layout.paragraphs)
    layout.paragraphs = body * repeat
    layout.bold = {i + len(body) * n for i in layout.bold for n in range(repeat)}
    return layout


def office_pdf(docx: bytes) -> bytes | None:
    """The DOCX saved as PDF by LibreOffice (what "Save as PDF" in an office suite gives), if installed."""
    import shutil
    import subprocess
    import tempfile

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return None
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        source = Path(tmp) / "large.docx"
        source.write_bytes(docx)
        subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)],
            capture_output=True,
            timeout=300,
            check=False,
        )
        target = source.with_suffix(".pdf")
        return target.read_bytes() if target.exists() else None


def run_large(areas: Any, repeat: int, body: int, rows: int) -> None:
    import io

    from pypdf import PdfReader

    from documents.tests import samples

    layout = large_layout(body)
    appendix = samples.appendix_rows(rows)
    docx = samples.layout_docx(layout, appendix=appendix)
    pdf = office_pdf(docx)
    maker = "LibreOffice"
    if pdf is None:
        pdf, maker = samples.layout_pdf(layout, appendix=appendix), "WeasyPrint"
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print()
    print(f"Large document: seed 004's body x{body} and an appendix of {rows} rows, {pages} pages ({maker} PDF)")
    for kind, name, data in (("docx", "large.docx", docx), ("pdf", "large.pdf", pdf)):
        timings = []
        result: dict[str, Any] = {}
        for _ in range(repeat):
            result, ms = read(name, data, areas)
            timings.append(ms)
        print(
            f"  {kind:<5} {len(data) / 1024:>7.0f} KB  tasks {len(result.get('tasks', [])):>4}  "
            f"median {statistics.median(timings):>6.0f} ms  max {max(timings):>6.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("expected", nargs="?", type=Path)
    parser.add_argument("--no-derived", action="store_true", help="do not read text files again as DOCX and PDF")
    parser.add_argument("--no-large", action="store_true", help="skip the 30-page documents")
    parser.add_argument("--repeat", type=int, default=3, help="timed reads of each large document")
    parser.add_argument("--body", type=int, default=1, help="copies of seed 004's body in the large document")
    parser.add_argument("--rows", type=int, default=200, help="appendix rows of the large document")
    args = parser.parse_args()
    folder, expected = default_folders()
    if args.folder:
        folder = args.folder
        expected = args.expected or args.folder
    with throwaway_database():
        from documents.reader.areas import AreaMatcher

        sys.path.insert(0, str(ROOT))
        areas = AreaMatcher.from_database()
        run_accuracy(folder.resolve(), expected.resolve(), not args.no_derived, areas)
        if not args.no_large:
            run_large(areas, args.repeat, args.body, args.rows)


if __name__ == "__main__":
    main()
