from kpi.cli import main

main()
