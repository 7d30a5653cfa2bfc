"""The periodic CCHC report (báo cáo định kỳ), drafted from the data as a Word document the office edits and
signs (docs/report.md).

    data = build(con, scope=Scope(plan_id, period, as_of))      # or snapshot_id=3
    Path("bao-cao.docx").write_bytes(data)

The outline and phrases come from one data file (kpi/report/outline.yaml, or another: `outline=` /
KPI_REPORT_OUTLINE); the figures from the dashboard's own frames (kpi/report/content.py). python-docx is
imported only when a report is made.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from kpi import text
from kpi.report import outline as outlines
from kpi.report.content import ReportContent, gather
from kpi.scope import Scope

MIME_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def build(con, *, scope: Scope | None = None, snapshot_id: int | None = None, outline: str | Path | None = None,
          now: dt.datetime | None = None) -> bytes:
    """The .docx bytes of the report of a snapshot, or of the current figures of `scope`. The outline is loaded
    and checked first: a broken outline is refused before the database is read."""
    chosen = outlines.load(outline)
    content = gather(con, scope=scope, snapshot_id=snapshot_id, now=now)
    from kpi.report.to_docx import render
    return render(content, chosen)


def file_name(plan_id: str, period_code: str, snapshot_id: int | None, made_at: dt.datetime) -> str:
    """bao-cao-dinh-ky_syt-dong-nai-2023_2023-H1_anh-chup-3.docx (ASCII: safe in every mail client)."""
    source = f"anh-chup-{snapshot_id}" if snapshot_id else text.file_stamp(made_at)
    return f"bao-cao-dinh-ky_{plan_id}_{period_code}_{source}.docx"


__all__ = ["build", "file_name", "gather", "ReportContent", "MIME_TYPE"]
