"""Time how fast read_table refuses a workbook with far more rows than the limit.

Run: .venv/bin/python benchmarks/bench_refuse_workbook.py [ROWS] [--openpyxl]

Builds, once, into a temporary directory, workbooks like survey exports (a few columns of
text and numbers) without a <dimension> element, as openpyxl's write-only mode and other
exporters write them:

- ROWS rows (400,000 by default) with inline strings, as openpyxl writes them;
- the same with a shared strings table, as Excel writes text, with one unique string per
  row so that the table is long too;
- for reference, a normal 10,000-row workbook, which is read in full and accepted.

Then times read_table on each (best of three runs), as the import page calls it. With
--openpyxl it also times openpyxl opening the long workbook in read-only mode, which is
where the time went before read_table parsed sheets itself. The aim is a refusal in under
3 seconds.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHEET = "xl/worksheets/sheet1.xml"
HEADERS = ["village", "age", "household_size"]
VILLAGES = ["Kisumu", "Thiès", "Mopti", "Gulu", "Kibera", "Mwanza", "Tamale", "Bouaké"]


def main(rows: int, *, compare_openpyxl: bool) -> None:
    workdir = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(workdir.name) / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harambee.settings")
    os.environ.setdefault("HARAMBEE_VAR_DIR", workdir.name)

    import django

    django.setup()

    folder = Path(workdir.name)
    files = {
        f"{rows:,} rows, inline strings": write(folder / "long.xlsx", survey(rows), shared=False),
        f"{rows:,} rows, shared strings": write(
            folder / "long-shared.xlsx", survey(rows, respondents=True), shared=True
        ),
        "10,000 rows (accepted)": write(folder / "normal.xlsx", survey(10_000), shared=False),
    }
    for label, path in files.items():
        seconds, outcome = time_read_table(path)
        print(f"{label:<34} {path.stat().st_size / 1e6:5.1f} MB  {seconds:6.2f} s  {outcome}")
    if compare_openpyxl:
        path = files[f"{rows:,} rows, inline strings"]
        label = "openpyxl opening it (before)"
        print(f"{label:<34} {path.stat().st_size / 1e6:5.1f} MB  {time_openpyxl(path):6.2f} s")
    workdir.cleanup()


def survey(rows: int, *, respondents: bool = False):
    yield (["respondent"] if respondents else []) + HEADERS
    for n in range(1, rows + 1):
        row = [VILLAGES[n % 8], 18 + n * 7 % 60, 1 + n % 9]
        yield ([f"R{n:06d}"] if respondents else []) + row


def write(path: Path, rows, *, shared: bool) -> Path:
    """Write the sheet markup of openpyxl's write-only mode (or Excel's shared strings)
    directly: openpyxl itself takes tens of seconds to write 400,000 rows."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    template = io.BytesIO()
    Workbook(write_only=True).save(template)
    strings: dict[str, int] = {}
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        before, after = source.read(SHEET).split(b"<sheetData></sheetData>")
        with target.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(before + b"<sheetData>")
            for number, row in enumerate(rows, start=1):
                cells = []
                for column, value in enumerate(row, start=1):
                    ref = f"{get_column_letter(column)}{number}"
                    if not isinstance(value, str):
                        cells.append(f'<c r="{ref}" t="n"><v>{value}</v></c>')
                    elif shared:
                        index = strings.setdefault(value, len(strings))
                        cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
                    else:
                        cells.append(
                            f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
                        )
                sheet.write(f'<row r="{number}">{"".join(cells)}</row>'.encode())
            sheet.write(b"</sheetData>" + after)
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info, add_shared_strings(info.filename, source.read(info), shared))
        if shared:
            items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
            target.writestr(
                "xl/sharedStrings.xml",
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>',
            )
    return path


def add_shared_strings(name: str, data: bytes, shared: bool) -> bytes:
    """Declare the shared strings part in the manifest and the workbook's relationships."""
    if not shared:
        return data
    if name == "[Content_Types].xml":
        return data.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    if name == "xl/_rels/workbook.xml.rels":
        return data.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
            b"</Relationships>",
        )
    return data


def time_read_table(path: Path, runs: int = 3) -> tuple[float, str]:
    """The best of a few runs, as the import page calls read_table, and what it said."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from harambee.tabular import TableError, read_table

    timings = []
    for _run in range(runs):
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        start = time.perf_counter()
        try:
            table = read_table(upload)
        except TableError as error:
            outcome = f"refused: {error}"
        else:
            outcome = f"accepted: {len(table.rows):,} rows"
        timings.append(time.perf_counter() - start)
    return min(timings), outcome


def time_openpyxl(path: Path) -> float:
    from openpyxl import load_workbook

    start = time.perf_counter()
    load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True).close()
    return time.perf_counter() - start


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if argument != "--openpyxl"]
    main(
        int(arguments[0]) if arguments else 400_000,
        compare_openpyxl="--openpyxl" in sys.argv[1:],
    )
