"""A commitment's row in Datasette links to its page on the static site: a Datasette plugin
(`commitments serve` loads this folder with --plugins-dir, and so does a published instance).

The site's address is plugin configuration, set by `commitments serve --site-url URL`:

    plugins: {commitments-site-links: {site_url: https://example.org/tracker}}

Without it nothing changes, and the plugin takes its per-cell hook off Datasette's render_cell
hook, which Datasette asks about every cell (13,000 on a thousand-row query's page). Datasette's
table page links the id to the row itself (it calls no plugin for that cell); the row page's id cell
becomes the id and a link to the site page.
"""

from urllib.parse import quote

import markupsafe
from datasette import hookimpl
from datasette.plugins import pm

PLUGIN = "commitments-site-links"


def _site_url(datasette) -> str | None:
    return (datasette.plugin_config(PLUGIN) or {}).get("site_url")


@hookimpl
def startup(datasette):
    # Configuration a plugin supplies (the get_metadata hook) may name a site later: then the hook stays.
    if _site_url(datasette) or pm.hook.get_metadata.get_hookimpls():
        return
    for impl in pm.hook.render_cell.get_hookimpls():
        if impl.function is render_cell:
            pm.hook.render_cell._remove_plugin(impl.plugin)  # this hook only: startup stays registered


@hookimpl
def render_cell(value, column, table, datasette):
    if table != "commitments" or column != "id" or not isinstance(value, str) or not value:
        return None
    site_url = _site_url(datasette)
    if not site_url:
        return None
    href = f"{site_url.rstrip('/')}/commitment/{quote(value, safe='')}.html"
    return markupsafe.Markup('{} <a href="{}" class="commitment-site-page">site page</a>').format(value, href)
