"""A commitment's row in Datasette links to its page on the static site: a Datasette plugin
(`commitments serve` loads this folder with --plugins-dir, and so does a published instance).

The site's address is plugin configuration, set by `commitments serve --site-url URL`:

    plugins: {commitments-site-links: {site_url: https://example.org/tracker}}

Without it nothing changes. Datasette's table page links the id to the row itself (it calls
no plugin for that cell); the row page's id cell becomes the id and a link to the site page.
"""

from urllib.parse import quote

import markupsafe
from datasette import hookimpl

PLUGIN = "commitments-site-links"


@hookimpl
def render_cell(value, column, table, datasette):
    if table != "commitments" or column != "id" or not isinstance(value, str) or not value:
        return None
    site_url = (datasette.plugin_config(PLUGIN) or {}).get("site_url")
    if not site_url:
        return None
    href = f"{site_url.rstrip('/')}/commitment/{quote(value, safe='')}.html"
    return markupsafe.Markup('{} <a href="{}" class="commitment-site-page">site page</a>').format(value, href)
