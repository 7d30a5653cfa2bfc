"""Text of any length in an export: a target of a few thousand characters flows over pages in the PDF
(fpdf2 cannot break one table row over two pages; it used to fail with "row too high")."""
from __future__ import annotations

import datetime as dt
import subprocess

from kpi.meetings.export import build_report, export
from kpi.db.connection import transaction
from tests.export.conftest import LARGEST
from tests.helpers import scope

LONG = " ".join(f"Nội dung chỉ tiêu rất dài phần {i}." for i in range(1, 301)) + " HẾT-CT01"  # ~10.000 characters


def test_a_target_text_of_thousands_of_characters_flows_over_pages(demo_db, tmp_path):
    with transaction(demo_db):  # as every product write: figures remembered per data version see the change
        demo_db.execute("UPDATE target SET text = ? WHERE plan_id = ? AND code = 'CT01'", [LONG, LARGEST])
    report = build_report(demo_db, now=dt.datetime(2023, 10, 12, 9, 0), scope=scope(LARGEST, "2023-Q3"))
    assert LONG in set(report.targets.frame["text"])  # the report carries the text whole
    path = tmp_path / "long.pdf"
    path.write_bytes(export(report, "pdf"))
    shown = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    flat = " ".join(shown.split())
    # every part of the text is printed, in order, up to its last word
    positions = [flat.find(f"phần {i}.") for i in (1, 150, 300)]
    assert -1 not in positions and positions == sorted(positions), positions
    assert "HẾT-CT01" in flat
