"""Meeting exports: PDF (A4), Excel and PowerPoint (16:9) from one `Report` (kpi/meetings/export/report.py).

    report = build_report(con, snapshot_id=3)            # or scope=Scope(plan_id, period, as_of)
    data = export(report, "pdf", progress=lambda share, step: ...)

Every format prints the numbers the dashboard prints, and no exported text can run as a formula
(kpi/meetings/export/safe.py). Formats are imported lazily: the dashboard does not pay for python-pptx or fpdf2
until someone exports.
"""
from __future__ import annotations

import importlib
from typing import Callable

from kpi import text
from kpi.meetings.export.report import Column, Report, Table, build_report

FORMATS = {"pdf": ("kpi.meetings.export.to_pdf", "application/pdf"),
           "xlsx": ("kpi.meetings.export.to_xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
           "pptx": ("kpi.meetings.export.to_pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")}

Progress = Callable[[float, str], None]


def export(report: Report, fmt: str, progress: Progress | None = None) -> bytes:
    """The file's bytes. `progress(share, step)` is called as parts are made (share 0..1)."""

    progress = progress or (lambda share, step: None)
    data = importlib.import_module(FORMATS[fmt][0]).render(report, progress)
    progress(1.0, text.SNAPSHOT["export_done"].format(fmt=fmt.upper(), size=text.format_number(len(data) / 1024)))
    return bytes(data)


def mime_type(fmt: str) -> str:
    return FORMATS[fmt][1]


def file_name(report: Report, fmt: str) -> str:
    """bao-cao-cchc_syt-dong-nai-2023_2023-Q3_anh-chup-3.pdf (ASCII: safe in every mail client)."""
    source = f"anh-chup-{report.snapshot.id}" if report.snapshot else text.file_stamp(report.made_at)
    return f"bao-cao-cchc_{report.plan_id}_{report.period_code}_{source}.{fmt}"


__all__ = ["Column", "Report", "Table", "build_report", "export", "mime_type", "file_name", "FORMATS"]
