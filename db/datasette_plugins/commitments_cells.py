"""Table pages render their cells for less: a Datasette plugin (`commitments serve` loads this folder with
--plugins-dir, and so does a published instance; it imports nothing of ours).

The rows of a table, row, stored query or SQL page: Datasette's _table.html and query.html write
each cell through their async Jinja loops, a third of the time an HTML page of documents costs and of
a thousand-row query's. templates/datasette/ has both templates with their row loops replaced by the
filters `rows_html` and `query_rows_html`, which write the same cells, escaped the same way, in one
Python loop each (tests/test_datasette.py compares them with Datasette's own).

datasette-render-markdown, installed for datasette-dashboards' markdown panels, renders a column as
markdown when its configuration names it or the column's name ends in `_markdown`. To find out, it
reads its configuration for every cell of every table page: 1,500 cells a page of documents, a fifth
of the time Datasette takes to render it (bench/README.md). When it is configured for nothing and no
column of any served table or view is named so, no cell could ever be markdown: its per-cell hook is taken
off the render_cell hook (its answer was always None here; Datasette still asks the hook about every cell,
and each plugin asked cost a thousand-row query's page 8 ms), and its template function and filter, which
the dashboards use, stay.
"""

import fnmatch
import json

from datasette import hookimpl
from datasette.plugins import pm
from datasette.utils import to_css_class
from markupsafe import Markup, escape

MARKDOWN_PLUGIN = "datasette-render-markdown"
MARKDOWN_MODULE = "datasette_render_markdown"
MARKDOWN_COLUMNS = "*_markdown"  # that plugin's default pattern


async def _any_markdown_column(datasette) -> bool:
    for database in datasette.databases.values():
        names = await database.execute(
            "select p.name from sqlite_master m join pragma_table_info(m.name) p where m.type in ('table', 'view')")
        if any(fnmatch.fnmatch(row[0], MARKDOWN_COLUMNS) for row in names.rows):
            return True
    return False


def rows_html(display_rows) -> Markup:
    """The <tr> rows of _table.html's body: each cell's column as a CSS class, its type, its value
    escaped unless Datasette or a plugin made it markup, as the template's autoescape does."""
    column_classes = {}
    html = []
    for row in display_rows:
        html.append("<tr>")
        for cell in row:
            column = cell["column"]
            if column not in column_classes:
                column_classes[column] = escape(to_css_class(column))
            html.append(f'<td class="col-{column_classes[column]} type-{escape(cell["value_type"])}">'
                        f'{escape(cell["value"])}</td>')
        html.append("</tr>")
    return Markup("".join(html))


def query_rows_html(display_rows, columns) -> Markup:
    """The <tr> rows of query.html's body: each value under its column's CSS class, escaped as
    the template's autoescape does (Datasette and plugins give markup where they made it)."""
    column_classes = [escape(to_css_class(column)) for column in columns]
    html = []
    for row in display_rows:
        html.append("<tr>")
        html.extend(f'<td class="col-{column_class}">{escape(value)}</td>'
                    for column_class, value in zip(column_classes, row))
        html.append("</tr>")
    return Markup("".join(html))


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["rows_html"] = rows_html
    env.filters["query_rows_html"] = query_rows_html


@hookimpl
def startup(datasette):
    async def inner():
        configured = MARKDOWN_PLUGIN in json.dumps(datasette.metadata())  # at any level: instance, database, table
        if configured or await _any_markdown_column(datasette):
            return
        for impl in pm.hook.render_cell.get_hookimpls():
            if getattr(impl.plugin, "__name__", None) == MARKDOWN_MODULE:
                # pluggy's own removal of one plugin from one hook (unregister would take all its hooks)
                pm.hook.render_cell._remove_plugin(impl.plugin)
    return inner
