"""The plan catalogue: read plan workbooks and transcriptions, check them, store and show them."""
