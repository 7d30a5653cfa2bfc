from kpi.cli import run

run()
