"""Meetings: snapshots frozen for a meeting and their exports (PDF, Excel, PowerPoint)."""
