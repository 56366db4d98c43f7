"""The store: the only code that reads or writes the SQLite file (through sqlite-utils).

Every stage calls these functions with a `Database`; none runs its own SQL.
"""

from db.connection import (NewerStore, NotAStore, OlderStore, StoreError, StoreNotFound, check_readable, open_db,
                           read_db, store_version)
from db.crawl_runs import finish_run, last_finished_run, start_run
from db.extraction import pending_count, pending_documents, save_mentions
from db.queries import (answering_bodies, commitment_redirects, commitments_with_mentions, data_updated,
                        earliest_trackable_commitments, mentions, press_context, site_documents, table_counts)
from db.schema import ensure_db_shape
from db.store import save_records, save_rejection
from db.tracking_index import TrackingStore, save_increment, save_index
from db.tracking import (commitment_id_memory, commitment_timeline, commitments_for_export, find_commitments,
                         negative_mentions, reports, resolve_commitment_id, save_tracking, tracked_mentions)

__all__ = [
    "NewerStore", "NotAStore", "TrackingStore", "save_increment", "save_index", "OlderStore", "StoreError", "StoreNotFound", "answering_bodies", "check_readable",
    "commitment_id_memory", "commitment_redirects", "commitment_timeline", "commitments_for_export",
    "commitments_with_mentions", "data_updated", "earliest_trackable_commitments", "ensure_db_shape",
    "find_commitments", "finish_run", "last_finished_run", "mentions", "negative_mentions", "open_db",
    "pending_count", "pending_documents", "press_context", "read_db", "reports", "resolve_commitment_id", "save_mentions",
    "save_records", "save_rejection", "save_tracking", "site_documents", "start_run", "store_version",
    "table_counts", "tracked_mentions",
]
