"""Table definitions, full-text search and views.

Table and column names here are a public interface: researchers write SQL
against them, so rename nothing without a migration note in the README.
"""

import sqlite_utils

from common.kinds import TRACKABLE, sql_list
from db import rows

# What marks a file as this project's store, in its SQLite header (PRAGMA
# application_id, "CmTr"), and which shape it has (PRAGMA user_version). Readers
# refuse a file without the mark, and a store of another version: bump
# SCHEMA_VERSION whenever TABLES, FOREIGN_KEYS, FTS or VIEWS change, so that a
# reader asks for `commitments migrate` instead of failing on a missing column.
APPLICATION_ID = 0x436D5472
SCHEMA_VERSION = 6
# Tables every store had before the mark existed (version 0, the first commit on):
# a file with all of them and no mark is an older store, any other file is not ours.
UNMARKED_STORE_TABLES = {"documents", "mentions", "commitments", "extraction_state", "crawl_runs"}

TABLES: dict[str, dict] = {
    "documents": dict(
        columns={
            "id": str, "source": str, "source_id": str, "source_url": str, "title": str,
            "date": str, "house": str, "body": str, "body_id": int, "person": str,
            "person_id": int, "text": str, "text_truncated": int, "content_hash": str,
            # 0 for words that cannot be government commitments: a committee member's
            # question, a witness from outside government, a committee's own report.
            "government": int, "role": str,
        },
        pk="id",
    ),
    "committees": dict(
        columns={"id": int, "name": str, "house": str, "category": str, "start_date": str, "end_date": str,
                 "parent_id": int, "name_history": str, "raw": str},
        pk="id",
    ),
    "oral_evidence": dict(
        columns={"id": int, "meeting_date": str, "publication_date": str, "committee_id": int, "committee": str,
                 "business_id": int, "business": str, "witnesses": str, "turns": int, "transcript_status": str,
                 "url": str, "api_url": str, "raw": str},
        pk="id",
    ),
    "witnesses": dict(
        columns={"id": str, "session_id": int, "name": str, "role": str, "organisation": str, "body": str,
                 "government": int},
        pk="id",
    ),
    "written_evidence": dict(
        columns={"id": int, "reference": str, "publication_date": str, "committee_id": int, "committee": str,
                 "business_id": int, "business": str, "submitter": str, "organisation": str, "role": str,
                 "body": str, "government": int, "text_format": str, "text_status": str, "url": str,
                 "api_url": str, "raw": str},
        pk="id",
    ),
    "publications": dict(
        columns={"id": int, "type": str, "description": str, "publication_date": str, "committee_id": int,
                 "committee": str, "hc_number": str, "hl_paper": str, "response_deadline": str,
                 "responds_to": int, "responding_department": str, "document_status": str, "url": str,
                 "api_url": str, "raw": str},
        pk="id",
    ),
    "articles": dict(
        columns={"url": str, "fetched_url": str, "aliases": str, "feed": str, "outlet": str, "title": str,
                 "author": str, "published": str, "text": str, "content_hash": str, "duplicate_of": str,
                 "relevant": int, "relevance": str},
        pk="url",
    ),
    "recommendations": dict(
        columns={"id": str, "report_id": int, "number": int, "text": str, "response_id": int,
                 "response_status": str, "response_text": str, "response_document_id": str},
        pk="id",
    ),
    "written_questions": dict(
        columns={
            "id": int, "uin": str, "house": str, "heading": str, "date_tabled": str,
            "date_for_answer": str, "date_answered": str, "date_holding_answer": str,
            "date_answer_corrected": str, "question_text": str, "answer_html": str,
            "original_answer_html": str, "answering_body_id": int, "answering_body": str,
            "asking_member_id": int, "answering_member_id": int, "correcting_member_id": int,
            "is_withdrawn": int, "is_named_day": int, "answer_is_holding": int,
            "answer_is_correction": int, "answer_truncated": int, "question_truncated": int, "grouped_questions": str,
            "attachment_count": int, "attachments": str, "url": str, "api_url": str, "raw": str,
        },
        pk="id",
    ),
    "written_statements": dict(
        columns={
            "id": int, "uin": str, "house": str, "title": str, "date_made": str,
            "member_id": int, "member_role": str, "answering_body_id": int,
            "answering_body": str, "text_html": str, "text_truncated": int,
            "notice_number": str, "linked_statements": str, "attachments": str,
            "url": str, "api_url": str, "raw": str,
        },
        pk="id",
    ),
    "govuk": dict(
        # GOV.UK content items: `id` is the page's base_path; `owner` the publishing organisation.
        columns={"id": str, "url": str, "content_id": str, "locale": str, "title": str, "description": str,
                 "document_type": str, "schema_name": str, "date": str, "first_published_at": str,
                 "public_updated_at": str, "organisations": str, "owner": str, "speaker": str, "role": str,
                 "location": str, "government_name": str, "political": int, "withdrawn": int, "body_html": str},
        pk="id",
    ),
    "hansard": dict(
        # ParlParse (TheyWorkForYou) written answers and statements: `id` is ParlParse's.
        columns={"id": str, "kind": str, "house": str, "date": str, "department": str, "heading": str,
                 "speaker": str, "questions": str, "text_html": str, "url": str},
        pk="id",
    ),
    "members": dict(
        columns={
            "id": int, "name": str, "list_as": str, "party": str, "party_abbreviation": str,
            "party_colour": str, "member_from": str, "thumbnail_url": str,
        },
        pk="id",
    ),
    "bodies": dict(
        columns={"id": int, "name": str, "aliases": str},
        pk="id",
    ),
    "rejections": dict(
        columns={
            "id": str, "source": str, "url": str, "record_id": str, "reason": str,
            "excerpt": str, "first_seen": str,
        },
        pk="id",
    ),
    "crawl_runs": dict(
        columns={
            "id": str, "spider": str, "started": str, "finished": str, "status": str,
            "params": str, "items_stored": int, "rejections": int,
            # which process runs it, and when it last stored a batch: a run left `running` by a
            # killed process is marked `interrupted` by the next run
            "pid": int, "host": str, "updated": str,
        },
        pk="id",
    ),
    "mentions": dict(
        columns={
            "id": str, "document_id": str, "commitment_id": str, "source": str,
            "source_id": str, "source_url": str, "date": str, "sentence": str,
            "sentence_start": int, "sentence_end": int, "action_start": int,
            "action_end": int, "kind": str, "action": str, "owner": str, "person": str,
            # deadline: the end of the period the time phrase names (ISO); deadline_precision: how
            # exact that end is (day, week, month, quarter, season, year); deadline_text: as written.
            "deadline": str, "deadline_precision": str, "deadline_text": str, "extractor_version": str,
            # 1 when a press article states it in the journalist's words, not in a quote
            "reported": int,
        },
        pk="id",
    ),
    "reports": dict(
        # A sentence that reports on a deed: done (delivered), under way (progress), put back
        # (delayed, with the new date) or given up (dropped). Linked to commitments by tracking.
        columns={
            "id": str, "document_id": str, "source": str, "source_id": str, "source_url": str,
            "date": str, "event": str, "verb": str, "object": str, "action": str, "owner": str,
            "person": str, "event_date": str, "event_date_text": str, "new_deadline": str,
            "new_deadline_text": str, "partial": int, "sentence": str, "sentence_start": int,
            "sentence_end": int, "action_start": int, "action_end": int, "reported": int,
            "extractor_version": str,
        },
        pk="id",
    ),
    "extraction_state": dict(
        columns={"document_id": str, "content_hash": str, "extractor_version": str, "mentions": int,
                 "reports": int},
        pk="document_id",
    ),
    # Documents added or changed since their last extraction, written by the triggers of
    # PENDING_TRIGGERS and emptied as extraction saves them: a daily run finds its new documents here
    # instead of comparing every document with its extraction_state (a minute on 1,000,000 documents).
    "extraction_pending": dict(columns={"document_id": str}, pk="document_id"),
    # Derived by tracking on every run (see DERIVED): a commitment, its status explained.
    "commitments": dict(
        columns={
            "id": str, "title": str, "owner": str, "person": str, "kind": str, "action": str,
            "status": str, "status_date": str, "status_event_id": str, "status_reason": str,
            "first_made": str, "last_mentioned": str,
            # the earliest deadline given, and the latest when it moved
            "deadline": str, "deadline_latest": str,
            # sentences, and the distinct documents they and the reports linked to it come from
            "mention_count": int, "source_count": int,
            # the as-of date the status was derived for
            "checked": str,
            # 1 when the reviewed overrides file changed it; `review` says who, when and why
            "reviewed": int, "review": str,
        },
        pk="id",
    ),
    # What happened to each commitment: made, restated, progress, delayed, delivered,
    # partly_delivered, dropped, reviewed; each a dated sentence with its source.
    "commitment_events": dict(
        columns={
            "id": str, "commitment_id": str, "sequence": int, "date": str, "event": str,
            "document_id": str, "source": str, "source_id": str, "source_url": str, "sentence": str,
            "sentence_start": int, "sentence_end": int, "mention_id": str, "report_id": str,
            # automatic (with the match score) or reviewed (with the reviewer and note)
            "link": str, "score": float, "deadline": str, "deadline_text": str, "reviewer": str,
            "note": str,
        },
        pk="id",
    ),
    # Tracking's memory: the commitment id each mention (document:sentence start) had, so
    # ids survive regrouping; and where merged ids now point.
    "commitment_ids": dict(columns={"mention_key": str, "commitment_id": str}, pk="mention_key"),
    "commitment_redirects": dict(columns={"old_id": str, "new_id": str, "since": str}, pk="old_id"),
    # What an incremental tracking run needs (extract/incremental.py), written by every run:
    # mentions and reports added, changed or deleted since the last run (TRACKING_TRIGGERS), so
    # a run finds what is new without reading the store; what the last run was (version, overrides
    # file hash, as-of date, the last mention it grouped); and the object words of each grouped
    # mention, report and negative mention, so that the commitments a new one may join or link to
    # are found by index look-ups.
    "tracking_changes": dict(columns={"seq": int, "item": str, "item_id": str, "change": str}, pk="seq"),
    "tracking_state": dict(columns={"key": str, "value": str}, pk="key"),
    # one row a grouped mention: its automatic group (commitment_ids) and commitment after review;
    # generic: its object is generic words only; order: the commitment's place in the tracker's order
    "tracking_units": dict(columns={"mention_id": str, "group_id": str, "commitment_id": str, "owner": str,
                                    "generic": int}, pk="mention_id"),
    # one row a grouped mention and object word (or "<verb>" for an empty object); single: the
    # mention has this one key; alone: its object is this one word
    "unit_stems": dict(columns={"stem": str, "mention_id": str, "group_id": str, "commitment_id": str,
                                "owner": str, "single": int, "alone": int}, pk=("stem", "mention_id")),
    # one row a report or negative mention (item) and word of what it reports; particular: its
    # object's one particular word, if it has exactly one
    "row_stems": dict(columns={"stem": str, "row_id": str, "item": str, "owner": str, "words": int,
                               "particular": str, "generic": int}, pk=("stem", "row_id")),
    "tracking_order": dict(columns={"commitment_id": str, "rank": str}, pk="commitment_id"),
}

# table -> (its tally, the columns its Datasette page facets by): how many rows have each combination of
# those columns, kept by FACET_COUNT_TRIGGERS as rows are written, changed or deleted. Datasette's page of
# the table counts its facets in the tally (hundreds of rows) instead of in the table (a million), when
# the page is filtered by nothing but those columns (db/datasette_plugins/commitments_facets.py, told of
# the tallies by commitments/serve.py). A tally's count column is named after its table.
FACET_TALLIES = {
    "documents": ("document_facet_counts", ("source", "house", "body")),
    "written_questions": ("written_question_facet_counts", ("house", "answering_body", "answer_is_holding")),
    "mentions": ("mention_facet_counts", ("kind", "owner", "source", "person", "reported")),
    "commitments": ("commitment_facet_counts", ("status", "owner", "kind", "person")),
    "commitment_events": ("commitment_event_facet_counts", ("event", "source", "link")),
}
# Views whose rows are a tallied table's rows, or those of them a clause selects: their pages' facets
# read the table's tally too (the view's columns of those names are the table's). A view faceted by a
# few of the tally's columns names them: the tally's combinations of those are summed first, in one
# pass, and each facet counted from those few rows. Without `person` the mentions' tally of 37,000
# combinations (1,000,000 generated documents) is 270: 37 ms to 8.
VIEW_TALLIES = {
    "written_answers": ("written_questions", None, None),
    "trackable_mentions": ("mentions", f"kind in {sql_list(TRACKABLE)}", ("owner", "kind", "source")),
}
for _table, (_tally, _columns) in FACET_TALLIES.items():
    # the table's own column types, so that a filter's value compares with the tally as with the table
    TABLES[_tally] = dict(columns={**{c: TABLES[_table]["columns"][c] for c in _columns}, _table: int}, pk=_columns)

# Tables tracking rebuilds whole: an older shape is dropped and made again, not migrated.
DERIVED = {"commitments", "commitment_events"}

FOREIGN_KEYS = {
    # Datasette shows each commitment's mentions, and each mention's document, as links.
    "mentions": [("document_id", "documents", "id"), ("commitment_id", "commitments", "id")],
    "commitment_events": [("commitment_id", "commitments", "id"), ("document_id", "documents", "id")],
    "reports": [("document_id", "documents", "id")],
    # Datasette shows who asked, who answered and which department, by name (label_column).
    "written_questions": [("answering_body_id", "bodies", "id"), ("asking_member_id", "members", "id"),
                          ("answering_member_id", "members", "id"), ("correcting_member_id", "members", "id")],
    "written_statements": [("member_id", "members", "id"), ("answering_body_id", "bodies", "id")],
}

FTS = {
    "commitments": ["title", "action", "owner", "person"],
    "documents": ["title", "text", "body", "person"],
    "mentions": ["sentence", "action", "owner"],
    "reports": ["sentence", "action", "owner"],
    "written_questions": ["heading", "question_text"],
    "hansard": ["heading", "department", "speaker"],
    "govuk": ["title", "description", "owner", "speaker"],
    "recommendations": ["text", "response_text"],
    "articles": ["title", "text"],
}

VIEWS = {
    # One row a trackable commitment mention: the view most readers want before they learn the
    # schema. Datasette shows it newest first (its metadata's sort_desc): an order inside the view
    # made every count and facet of its page sort all its rows first (half a second on 100,000).
    "trackable_mentions": f"""
        select m.date, m.owner, m.person, m.kind, m.action, m.deadline, m.sentence,
               m.source, m.source_url, m.commitment_id, m.document_id
        from mentions m
        where m.kind in {sql_list(TRACKABLE)}
    """,
    # What each committee recommended and what the Government promised in reply.
    "government_responses": """
        select r.report_id, report.description as report, r.number, r.text as recommendation,
               r.response_status, m.kind, m.action, m.owner, m.deadline, m.sentence,
               response.publication_date as response_date, response.url as response_url, m.commitment_id
        from recommendations r
        join publications report on report.id = r.report_id
        left join publications response on response.id = r.response_id
        left join mentions m on m.document_id = r.response_document_id
        order by r.report_id, r.number
    """,
    # The members named by look-ups, not joins: a count of the view (each page of it) is then the
    # questions' count, read from an index (13 ms for 720,000 questions; joined, 760 ms).
    "written_answers": """
        select q.id, q.uin, q.house, q.date_answered, q.answering_body, q.heading,
               (select name from members where id = q.asking_member_id) as asking_member,
               (select name from members where id = q.answering_member_id) as answering_member,
               q.answer_is_holding, q.answer_is_correction, q.is_withdrawn, q.url
        from written_questions q
    """,
}


# Indexes change no result, only speed: a store without one reads the same (so they are not part of
# SCHEMA_VERSION), and the next write command (or `commitments migrate`) adds a new one.
INDEXES = [
    ("documents", ["source", "date"]),
    # Datasette's documents page sorts by date and facets by source, house and body: on 1,000,000
    # documents the sort read the whole table, and a facet on body or house too (seconds each;
    # bench/README.md). With these the sort walks an index, a facet counts one, and a page filtered
    # by a department or a House comes out in date order.
    ("documents", ["date"]),
    ("documents", ["body", "date"]),
    ("documents", ["house", "date"]),
    # A page filtered by a source and a House (a facet picked, then another) is counted in this index
    # alone and comes out in date order: with the House's index only, the count looked up every one of
    # the House's documents (1.3 s, 200,000 on 1,000,000 documents).
    ("documents", ["source", "house", "date"]),
    ("mentions", ["document_id"]),
    ("mentions", ["commitment_id"]),
    ("mentions", ["kind", "date"]),
    # A minister's commitments (the stored query minister_commitments): the names that match are found in
    # this index, then their mentions by name, instead of testing every mention's name (147 ms to 32 on
    # 100,000 mentions).
    ("mentions", ["person", "commitment_id"]),
    # a department picked on the mentions page or the trackable_mentions view: its rows counted in the
    # index (a whole scan, 75 ms, on 100,000 mentions) and found in date order
    ("mentions", ["owner", "date"]),
    # A search of mentions matching most of them walks this, newest first, and stops after a page
    # (db/datasette_plugins/commitments_search.py) instead of sorting every match.
    ("mentions", ["date"]),
    ("commitment_events", ["commitment_id", "sequence"]),
    # the events page's order (sort: sequence), walked instead of sorting every event (16 ms on 100,000)
    ("commitment_events", ["sequence"]),
    ("reports", ["document_id"]),
    ("reports", ["event", "date"]),
    ("written_questions", ["date_answered"]),
    # a House or a department picked on the written questions page (or the written answers view): its
    # rows counted in the index and found in date order, as the documents' are
    ("written_questions", ["house", "date_answered"]),
    ("written_questions", ["answering_body", "date_answered"]),
    # Whether any document was extracted by another version, in two index look-ups (db/extraction.py).
    ("extraction_state", ["extractor_version"]),
    # Incremental tracking's look-ups (extract/incremental.py)
    ("tracking_units", ["group_id", "owner"]),
    ("tracking_units", ["commitment_id"]),
    ("tracking_units", ["generic", "owner"]),
    ("unit_stems", ["stem", "group_id"]),
    ("unit_stems", ["stem", "owner", "commitment_id"]),
    ("unit_stems", ["stem", "commitment_id"]),
    ("unit_stems", ["mention_id"]),
    ("unit_stems", ["stem", "alone", "owner"]),
    ("unit_stems", ["stem", "single"]),
    ("row_stems", ["row_id"]),
    ("row_stems", ["particular"]),
    ("row_stems", ["stem", "generic", "owner"]),
    ("row_stems", ["stem", "words"]),
    # which statuses a new as-of date may change: events dated or due between the two dates
    ("commitment_events", ["date"]),
    ("commitment_events", ["deadline"]),
]

# A tally's facet groups one column's values: read in order from an index of that column and the count,
# instead of sorting the tally (the five facets of 36,000 combinations of 100,000 mentions: 44 -> 14 ms).
INDEXES += [(tally, [column, table]) for table, (tally, columns) in FACET_TALLIES.items() for column in columns]

# Every document inserted, or whose content hash changes, waits in extraction_pending; a deleted one no longer does.
# Not `insert or ignore`: inside a trigger the writing statement's own conflict rule (an upsert's) wins.
PENDING_TRIGGERS = {
    "documents_pending_insert": """create trigger if not exists documents_pending_insert after insert on documents
        begin insert into extraction_pending (document_id) select new.id where not exists
            (select 1 from extraction_pending where document_id = new.id); end""",
    "documents_pending_update": """create trigger if not exists documents_pending_update after update on documents
        when old.content_hash is not new.content_hash or old.id is not new.id
        begin insert into extraction_pending (document_id) select new.id where not exists
            (select 1 from extraction_pending where document_id = new.id); end""",
    "documents_pending_delete": """create trigger if not exists documents_pending_delete after delete on documents
        begin delete from extraction_pending where document_id = old.id; end""",
}


# Every insert, delete or change (other than the commitment tracking gave it) of a mention or a
# report, and every changed document title (a mention's context), waits in tracking_changes for
# the next tracking run: only inserts let it be incremental.
def _change_trigger(table: str, item: str, event: str) -> str:
    row = "old" if event == "delete" else "new"
    when = ""
    if event == "update":
        columns = [c for c in TABLES[table]["columns"] if c != "commitment_id"]
        when = "when " + " or ".join(f"old.[{c}] is not new.[{c}]" for c in columns)
    return (f"create trigger if not exists {table}_tracking_{event} after {event} on {table} {when} "
            f"begin insert into tracking_changes (item, item_id, change) values ('{item}', {row}.id, '{event}'); end")


TRACKING_TRIGGERS = {
    **{f"{table}_tracking_{event}": _change_trigger(table, item, event)
       for table, item in (("mentions", "mention"), ("reports", "report"))
       for event in ("insert", "update", "delete")},
    "documents_tracking_title": """create trigger if not exists documents_tracking_title after update of title
        on documents when old.title is not new.title
        begin insert into tracking_changes (item, item_id, change) values ('document', new.id, 'update'); end""",
}


# A tally follows every row of its table written, changed or deleted. A null is a value of its own (`is`,
# not `=`), as Datasette's column facet groups it; a combination no row has any more goes.
def _facet_count_triggers(table: str, tally: str, columns: tuple[str, ...]) -> dict[str, str]:
    def row(side: str) -> str:
        return " and ".join(f"[{c}] is {side}.[{c}]" for c in columns)
    names = ", ".join(f"[{c}]" for c in columns)
    add = f"""insert into [{tally}] ({names}, [{table}])
            select {', '.join(f'new.[{c}]' for c in columns)}, 0 where not exists (select 1 from [{tally}] where {row('new')});
        update [{tally}] set [{table}] = [{table}] + 1 where {row('new')};"""
    remove = f"""update [{tally}] set [{table}] = [{table}] - 1 where {row('old')};
        delete from [{tally}] where [{table}] <= 0 and {row('old')};"""
    changed = " or ".join(f"old.[{c}] is not new.[{c}]" for c in columns)
    return {
        f"{table}_facet_counts_insert": f"""create trigger if not exists {table}_facet_counts_insert
            after insert on [{table}] begin {add} end""",
        f"{table}_facet_counts_update": f"""create trigger if not exists {table}_facet_counts_update
            after update of {names} on [{table}] when {changed} begin {remove} {add} end""",
        f"{table}_facet_counts_delete": f"""create trigger if not exists {table}_facet_counts_delete
            after delete on [{table}] begin {remove} end""",
    }


FACET_COUNT_TRIGGERS = {table: _facet_count_triggers(table, tally, columns)
                        for table, (tally, columns) in FACET_TALLIES.items()}


def count_facets(conn, tables=FACET_TALLIES) -> None:
    """The tallies of `tables` counted afresh from their rows, for a store written without the triggers (a
    migrated one, a table tracking made again, or bench/scale_store.py's, which sets every trigger on
    documents aside while it writes)."""
    for table in tables:
        tally, columns = FACET_TALLIES[table]
        names = ", ".join(f"[{c}]" for c in columns)
        conn.execute(f"delete from [{tally}]")
        conn.execute(f"insert into [{tally}] ({names}, [{table}]) select {names}, count(*) from [{table}] group by {names}")


def ensure_db_shape(db: sqlite_utils.Database) -> None:
    """Create missing tables, columns, indexes, full-text search and views, then mark the
    file with the schema version. Safe to re-run; on an older store this is its migration."""
    # Marked ours before the first table: a store cut short here is an unfinished store
    # (version 0, completed by the next writer), never a stranger's file.
    db.conn.execute(f"pragma application_id = {APPLICATION_ID}")
    on_disk = bool(db.conn.execute("pragma database_list").fetchone()[2])
    if on_disk:
        # WAL lets Datasette read while a crawl or an extraction writes.
        db.enable_wal()
    # Tables others point at first, so that a new table is made with its foreign keys.
    targets = {other for fks in FOREIGN_KEYS.values() for _column, other, _pk in fks}
    pending_is_new = not db.table("extraction_pending").exists()
    for name in sorted(TABLES, key=lambda name: name not in targets):
        spec, table = TABLES[name], db.table(name)
        if name in DERIVED and table.exists() and set(table.columns_dict) != set(spec["columns"]):
            db.table(f"{name}_fts").drop(ignore=True)
            table.drop()
        if not table.exists():
            table.create(spec["columns"], pk=spec["pk"], foreign_keys=FOREIGN_KEYS.get(name, []))
        else:
            missing = {c: t for c, t in spec["columns"].items() if c not in table.columns_dict}
            for column, col_type in missing.items():
                table.add_column(column, col_type)
    for name, fks in FOREIGN_KEYS.items():
        _add_missing_foreign_keys(db, name, fks)
    for table, columns in INDEXES:
        db.table(table).create_index(columns, if_not_exists=True)
    if pending_is_new:
        # A store from before the queue: what was changed or never extracted waits, found once the long way
        # (documents read by another extractor version are found by db/extraction.py on every run).
        with db.atomic():  # a savepoint inside open_db's transaction; never a transaction left open
            db.conn.execute("""insert or ignore into extraction_pending (document_id)
                select d.id from documents d left join extraction_state s on s.document_id = d.id
                where s.document_id is null or s.content_hash != d.content_hash""")
    for sql in PENDING_TRIGGERS.values():
        db.conn.execute(sql)
    for sql in TRACKING_TRIGGERS.values():
        db.conn.execute(sql)
    # A tally is counted afresh when it or its table is new, or a trigger that keeps it is missing (a table
    # tracking made again lost its triggers with it); then the triggers keep it.
    existing = {name for (name,) in db.conn.execute("select name from sqlite_master where type = 'trigger'")}
    uncounted = [table for table, triggers in FACET_COUNT_TRIGGERS.items() if not set(triggers) <= existing]
    if uncounted:
        with db.atomic():
            count_facets(db.conn, uncounted)
    for triggers in FACET_COUNT_TRIGGERS.values():
        for sql in triggers.values():
            db.conn.execute(sql)
    for table, columns in FTS.items():
        if not db.table(table).detect_fts():
            db.table(table).enable_fts(columns, create_triggers=True, tokenize="porter")
        _reindex_only_on_own_columns(db, table, columns)
    for name, sql in VIEWS.items():
        db.create_view(name, sql, replace=True)
    rows.forget_shape(db)  # columns read before this call may have changed
    # Last: only a store with its whole shape says it has this version.
    db.conn.execute(f"pragma user_version = {SCHEMA_VERSION}")


def _reindex_only_on_own_columns(db: sqlite_utils.Database, table: str, columns: list[str]) -> None:
    """sqlite-utils re-indexes a row's full text on any update of it: tracking's writes of a
    mention's commitment, or of a commitment's status and as-of date, re-indexed words that had
    not changed (a third of a status update's time). The trigger fires on its own columns only."""
    name = f"{table}_au"
    found = db.conn.execute("select sql from sqlite_master where type = 'trigger' and name = ?", [name]).fetchone()
    on_any = f'AFTER UPDATE ON "{table}"'
    if found and on_any in found[0]:
        own = ", ".join(f'"{column}"' for column in columns)
        db.conn.execute(f"drop trigger [{name}]")
        db.conn.execute(found[0].replace(on_any, f'AFTER UPDATE OF {own} ON "{table}"'))


def _add_missing_foreign_keys(db: sqlite_utils.Database, name: str, fks: list[tuple[str, str, str]]) -> None:
    """An older store's table gains the foreign keys it lacks. SQLite cannot add one in place:
    sqlite-utils copies the table (once; later runs find them and do nothing). The copy drops the
    table's triggers, full-text search's among them, so they are made again; and it runs in a
    transaction, where sqlite-utils does not VACUUM the whole store afterwards."""
    table = db.table(name)
    existing = {(fk.column, fk.other_table) for fk in table.foreign_keys}
    wanted = [fk for fk in fks if (fk[0], fk[1]) not in existing]
    if not wanted:
        return
    triggers = table.triggers_dict
    with db.atomic():  # a savepoint inside open_db's transaction, or a transaction of its own
        db.add_foreign_keys([(name, *fk) for fk in wanted])
        for trigger, sql in triggers.items():
            if trigger not in table.triggers_dict:
                db.conn.execute(sql)
