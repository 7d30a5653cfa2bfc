"""KPI core for CCHC plans: database, plan catalogue, deadlines, Excel formats.

Nothing in this package imports Streamlit: pages, the command line and exports all call
the same functions.
"""
__all__ = ["text", "problems", "deadlines", "db", "plans", "areas", "comparators"]
