"""Database access: `connection` owns the file; `schema` owns its structure."""
from kpi.db.connection import DatabaseBusy, connect, database_path, transaction

__all__ = ["DatabaseBusy", "connect", "database_path", "transaction"]
