"""The store: the only code that writes the SQLite file (through sqlite-utils)."""

from db.schema import ensure_db_shape, open_db
from db.store import save_records, save_rejection

__all__ = ["ensure_db_shape", "open_db", "save_records", "save_rejection"]
