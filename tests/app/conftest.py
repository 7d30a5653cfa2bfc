"""Opening the dashboard in AppTest the way a person does: through app.py, then the page."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_app(monkeypatch, db_path, page: str | None = None, **params) -> AppTest:
    """Run app.py with URL parameters; AppTest (Streamlit 1.67) draws the sidebar frame on this first run only,
    so its state is kept in `at.sidebar_state` before switching to `page`."""
    monkeypatch.setenv("KPI_DATABASE", str(db_path))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    at.sidebar_state = {box.key: (box.value, box.options) for box in at.sidebar.selectbox}
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def frame_with(at: AppTest, column: str):
    """The table that has `column` (st.dataframe elements carry no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)
