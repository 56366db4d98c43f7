"""The measured accuracy is kept in one file (extract/model/measured.json); the README, the
site's method page (tests/test_site.py) and Datasette's about page (tests/test_datasette.py) must say the same."""

from common import resources
from tests.conftest import ROOT


def test_the_readme_gives_the_measured_test_figures():
    measured = resources.measured_figures()
    x, g = measured["extraction"], measured["grouping"]
    readme = (ROOT / "README.md").read_text()
    assert f"{x['precision']:.3f} / {x['recall']:.3f} / {x['f1']:.3f}" in readme
    assert f"extractor {measured['extractor_version']}" in readme
    assert f"| pairwise precision | " in readme and f"**{g['precision']:.3f}** |" in readme
    assert f"**{g['recall']:.3f}** |" in readme
