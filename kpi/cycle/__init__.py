"""The reporting cycle: who reports, submissions, locks and approval, deadlines, demo data."""
