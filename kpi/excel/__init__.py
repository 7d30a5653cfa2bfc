"""Excel formats: the plan workbook (and, later, report templates and uploads)."""
