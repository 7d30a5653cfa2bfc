"""What users see: the figures a page shows (dashboard) and the charts (plotly)."""
