"""A table's permission rules are read once, not on every check: a Datasette plugin (`commitments serve`
loads this folder with --plugins-dir, and so does a published instance; it imports nothing of ours).

Datasette 0.65.5 finds the `allow` rules of a table by deep-copying the whole metadata (41 KB here,
most of it column descriptions) and merging it, on each of the three permission checks a table page
makes: a tenth of an HTML page's time on the 1,000,000-document store (bench/README.md). The rules
come from the metadata Datasette was started with, which nothing changes while it runs, unless a
plugin supplies metadata (the get_metadata hook), whose answer may change at any time. So when no
plugin does, each table's rules are kept after the first check; the answer is the same list of rules
Datasette would have found, and the checks themselves (who the actor is, what they may do) still run
on every request.
"""

import functools

from datasette import hookimpl
from datasette.plugins import pm

RULES_KEPT = 4096  # the tables last asked about: any name may be asked for, so the memory is bounded


@hookimpl
def startup(datasette):
    rules = getattr(datasette, "_table_permission_allows", None)
    if rules is None or pm.hook.get_metadata.get_hookimpls():
        return  # another Datasette, or metadata that may change: read the rules afresh each time
    datasette._table_permission_allows = functools.lru_cache(maxsize=RULES_KEPT)(rules)
