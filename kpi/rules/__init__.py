"""Rules as tables: comparators, status bands, period aggregation; Python and SQL side by side."""
