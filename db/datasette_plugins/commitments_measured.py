"""The about page's accuracy figures: `commitments serve` puts the last measured figures
(extract/model/measured.json) in this plugin's configuration, and templates read them as
`measured`. A plugin folder stands alone in a published instance, so it imports nothing of ours."""

from datasette import hookimpl

PLUGIN = "commitments-measured"


@hookimpl
def extra_template_vars(datasette):
    return {"measured": datasette.plugin_config(PLUGIN) or {}}
