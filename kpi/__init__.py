"""KPI core for CCHC plans: database, plan catalogue, deadlines, Excel formats.

Nothing in this package imports Streamlit: pages, the command line and exports all call
the same functions.
"""
import os
from pathlib import Path

# The project's data folder (areas, periods, scoring, bundled plans, fonts): every module asks here.
DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def read_data(name: str):
    """A YAML file of the data folder (data/areas.yaml, periods.yaml, scoring.yaml, ...), parsed."""
    import yaml
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


# openpyxl parses with lxml when it is installed (python-pptx brings it), and lxml resolves XML entities;
# with this set before openpyxl is first imported, openpyxl keeps to defusedxml. kpi.excel.safety also
# refuses any DTD in a workbook, whatever the parser.
os.environ.setdefault("OPENPYXL_LXML", "False")

__all__ = ["text", "problems", "periods", "db", "plans", "rules", "engine", "cycle", "meetings", "presentation", "excel"]
