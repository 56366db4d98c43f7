"""A file served immutable is asked about its schema once, not on every page: a Datasette plugin
(`commitments serve` loads this folder with --plugins-dir, and so does a published instance; it
imports nothing of ours).

Datasette 0.65.5 asks SQLite about the schema on every page: which tables, views and hidden tables
there are, a table's columns, keys and full-text table, and each database's schema version, to
notice a changed schema. Each question is a trip to a SQL thread; a table page makes about twenty
(bench/README.md: 3-4 ms of a page's work, a sixth of a table page's). A database opened immutable
(`-i`, as `commitments serve` opens the store unless --live) cannot change while it is served, so
its answers are kept (each a copy, as callers may change what they are given), and the schema
versions are looked at again only when the set of databases changes or one of them is mutable.
"""

import collections
import copy
import functools

from datasette import hookimpl

# Database methods that only read the schema (datasette/database.py).
SCHEMA_QUESTIONS = ("attached_databases", "table_exists", "table_names", "view_names", "hidden_table_names",
                    "table_columns", "table_column_details", "primary_keys", "fts_table",
                    "label_column_for_table", "foreign_keys_for_table", "get_all_foreign_keys",
                    "get_table_definition", "get_view_definition")
ANSWERS_KEPT = 4096  # a database's last answers: any table name may be asked about, so memory is bounded


def _kept(question):
    answers = collections.OrderedDict()

    @functools.wraps(question)
    async def ask(*args):
        if args in answers:
            answers.move_to_end(args)
        else:
            answers[args] = await question(*args)
            if len(answers) > ANSWERS_KEPT:
                answers.popitem(last=False)
        return copy.deepcopy(answers[args])
    return ask


@hookimpl
def startup(datasette):
    for database in datasette.databases.values():
        if not database.is_mutable:
            for name in SCHEMA_QUESTIONS:
                if hasattr(database, name):
                    setattr(database, name, _kept(getattr(database, name)))
    refresh = datasette.refresh_schemas
    refreshed = None  # the databases as they were when their schemas were last looked at

    async def refresh_schemas():
        nonlocal refreshed
        databases = dict(datasette.databases)
        if refreshed == databases and not any(database.is_mutable for name, database in databases.items()
                                              if name != "_internal"):
            return  # Datasette's own in-memory catalogue changes only when it refreshes
        await refresh()
        refreshed = databases
    datasette.refresh_schemas = refresh_schemas
