"""AppTest of the meeting page's «Tạo báo cáo định kỳ (Word)»: the button, then the download of the draft."""
from __future__ import annotations

import datetime as dt

from kpi import db
from kpi.meetings import snapshots
from tests.app.conftest import open_app
from tests.helpers import scope

PLAN = "syt-dong-nai-2023"


def test_the_meeting_page_makes_the_word_report_of_the_snapshot(monkeypatch, demo_path):
    con = db.connect(demo_path)
    snapshots.create(con, scope(PLAN, "2023-Q3"), name="Họp Quý III", by="Văn phòng", now=dt.datetime(2023, 10, 10))
    con.close()
    at = open_app(monkeypatch, demo_path, "pages/meeting.py", org="syt-dong-nai", year="2023", period="2023-Q3")
    button = at.button(key="make_docx")
    assert button.label == "Tạo báo cáo định kỳ (Word)"
    button.click().run()
    assert not at.exception, at.exception
    download = next(b for b in at.get("download_button") if b.proto.label.startswith("Tải báo cáo Word"))
    assert download.proto.label.endswith(" KB)")
    assert "anh-chup-1.docx" in download.proto.help
