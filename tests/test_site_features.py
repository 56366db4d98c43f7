"""The progress site's chart, search and filter pages, and its accessibility: checked on the
HTML and CSS, and (when Chromium and axe-core are at hand) in the browser. Reuses the small
tracked store of tests/test_site.py."""

import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from commitments import site_chart
from commitments.site_search import INDEX_PATH, read_index
from tests.test_site import CHROMIUM, by_title, served_site, site, store  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent
STYLE = ROOT / "site" / "style.css"


def rows_of(text: str, table_class: str) -> list[list[str]]:
    table = text.split(f'class="{table_class}"')[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


# -- the chart --------------------------------------------------------------------------

def test_home_page_chart_is_inline_svg_with_a_text_alternative_and_its_numbers(site):
    text = (site / "index.html").read_text()
    svg = re.search(r"<svg[^>]*>.*?</svg>", text, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">Commitments made and delivered, by quarter</title>' in svg
    assert "3 commitments made and 1 delivered between 2019 Q3 and 2020 Q1" in svg
    assert "href=" not in svg and "<image" not in svg  # nothing fetched
    # The span is under three years, so quarters; an empty quarter would show as a row of zeros.
    assert rows_of(text, "chart-numbers") == [["2019 Q3", "1", "0"], ["2019 Q4", "1", "0"], ["2020 Q1", "1", "1"]]


def test_chart_counts_by_year_over_a_long_span_and_keeps_empty_years():
    commitments = [{"first_made": "2015-03-01", "events": []},
                   {"first_made": "2015-09-01", "events": [{"event": "delivered", "date": "2019-02-01"}]},
                   {"first_made": "2019-01-05", "events": [{"event": "partly_delivered", "date": "2019-06-01"}]},
                   {"first_made": None, "events": []}]
    chart = site_chart.made_and_delivered(commitments)
    assert chart.period_name == "Year"
    assert chart.rows == [("2015", 2, 0), ("2016", 0, 0), ("2017", 0, 0), ("2018", 0, 0), ("2019", 1, 2)]
    assert chart.svg.count("<rect x=") >= 3
    assert site_chart.made_and_delivered([{"first_made": None, "events": []}]) is None


# -- search ------------------------------------------------------------------------------

def test_search_index_holds_each_commitment_with_its_quotes_and_no_raw_markup(site, store):
    script = (site / INDEX_PATH).read_text()
    assert "<" not in script  # a quoted </script> cannot end the script
    entries = {e["id"]: e for e in read_index(script)}
    assert set(entries) == {c["id"] for c in store["commitments"].rows}
    delivered = entries[by_title(store, "voter identification")["id"]]
    assert delivered["owner"] == "Cabinet Office" and delivered["person"] == "Chloe Smith"
    assert delivered["status"] == "Delivered"
    assert "The consultation on voter identification was launched today." in delivered["quotes"]
    assert any("<img src=x onerror=" in q for q in entries[by_title(store, "imprints")["id"]]["quotes"])


def test_without_javascript_the_search_box_is_hidden_and_every_commitment_listed(site, store):
    text = (site / "index.html").read_text()
    assert re.search(r'<form id="search"[^>]* hidden>', text)
    assert len(re.findall(r'data-commitment="', text)) == store["commitments"].count
    assert '<script src="data/search-index.js"></script>' in text and '<script src="assets/search.js"></script>' in text
    assert (site / "assets" / "search.js").is_file()
    assert not re.search(r'(src|href)="(https?:)?//', text.split("</footer>")[1])  # scripts are the site's own


SEARCH_PROBE = """<!doctype html><html><body>
<iframe title="index" src="index.html" style="width:1280px;height:900px" onload="search(this)"></iframe>
<script>
function search(frame) {
  var d = frame.contentDocument, input = d.getElementById("search-terms"), results = {};
  results.shown = !d.getElementById("search").hidden;
  [["TERMS_A", "a"], ["TERMS_B", "b"]].forEach(function (pair) {
    input.value = pair[0];
    d.getElementById("search").requestSubmit();
    results[pair[1]] = Array.prototype.filter.call(d.querySelectorAll("[data-commitment]"),
      function (row) { return !row.hidden; }).map(function (row) { return row.getAttribute("data-commitment"); });
  });
  results.count = d.getElementById("search-count").textContent;
  results.pwned = d.body.getAttribute("data-pwned");
  document.documentElement.setAttribute("data-probe", JSON.stringify(results));
}
</script></body></html>"""


def dump_dom(url: str) -> str:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--virtual-time-budget=10000", "--dump-dom", url],
                          capture_output=True, text=True, timeout=90).stdout


def probe_result(dom: str) -> dict:
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found, dom[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_in_chromium_the_search_box_shows_and_filters_by_title_words_and_quotes(site, served_site, store):
    # "launched today" is only in the delivery's quote; "howe" is only the minister's name.
    (site / "search-probe.html").write_text(SEARCH_PROBE.replace("TERMS_A", "launched TODAY")
                                            .replace("TERMS_B", "howe"))
    try:
        found = probe_result(dump_dom(f"{served_site}/search-probe.html"))
    finally:
        (site / "search-probe.html").unlink()
    assert found["shown"] is True
    assert found["a"] == [by_title(store, "voter identification")["id"]]
    assert found["b"] == [by_title(store, "imprints")["id"]]
    assert found["count"] == "1 of 3 commitments match “howe”." and found["pwned"] is None


# -- filter pages ------------------------------------------------------------------------

def test_kind_and_year_pages_list_their_commitments_and_the_home_page_links_them(site, store):
    overdue, ongoing = by_title(store, "imprints")["id"], by_title(store, "platforms")["id"]
    assert f"commitment/{overdue}.html" in (site / "kind/firm.html").read_text()
    assert f"commitment/{ongoing}.html" not in (site / "kind/firm.html").read_text()
    assert f"commitment/{ongoing}.html" in (site / "kind/ongoing.html").read_text()
    assert f"commitment/{overdue}.html" in (site / "year/2019.html").read_text()
    assert f"commitment/{overdue}.html" not in (site / "year/2020.html").read_text()
    home = (site / "index.html").read_text()
    for href in ("status/overdue.html", "kind/firm.html", "kind/ongoing.html", "year/2019.html", "year/2020.html",
                 "department/index.html", "person/index.html"):
        assert f'href="{href}"' in home, href
    assert '<a href="2020.html">2020</a>: 1 commitment' in (site / "year/index.html").read_text()


# -- accessibility on the HTML -------------------------------------------------------------

class Controls(HTMLParser):
    """Images, SVGs, form controls, labels and links of a page."""

    def __init__(self, text: str):
        super().__init__()
        self.images, self.svgs, self.controls, self.labels, self.ids = [], [], [], set(), set()
        self.links, self._link, self._in_svg, self.svg_texts = [], None, 0, {}
        self._text_of = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "img":
            self.images.append(attrs)
        if tag == "svg":
            self.svgs.append(attrs)
        if tag in ("title", "desc") and attrs.get("id"):
            self._text_of = attrs["id"]
            self.svg_texts[self._text_of] = ""
        if tag in ("input", "textarea", "select") and attrs.get("type") != "hidden":
            self.controls.append(attrs)
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag == "a" and "href" in attrs:
            self._link = [attrs["href"], ""]

    def handle_data(self, data):
        if self._link:
            self._link[1] += data
        if self._text_of:
            self.svg_texts[self._text_of] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link:
            self.links.append((self._link[0], " ".join(self._link[1].split()).lower()))
            self._link = None
        if tag in ("title", "desc"):
            self._text_of = None


VAGUE_LINK_TEXTS = {"click here", "here", "more", "read more", "link", "this", "read the source", "source"}


def test_every_image_and_svg_has_a_text_alternative_and_every_control_a_label(site):
    for path in site.rglob("*.html"):
        page = Controls(path.read_text())
        assert all(img.get("alt") is not None for img in page.images), path
        for svg in page.svgs:
            if svg.get("aria-hidden") == "true":
                continue
            assert svg.get("role") == "img", path
            names = (svg.get("aria-labelledby") or "").split()
            assert names and all(page.svg_texts.get(n, "").strip() for n in names), (path, svg)
        for control in page.controls:
            assert control.get("id") in page.labels or control.get("aria-label"), (path, control)


def test_link_texts_are_meaningful_and_one_text_never_leads_to_two_places(site):
    for path in site.rglob("*.html"):
        targets: dict[str, str] = {}
        for href, text in Controls(path.read_text()).links:
            assert text not in VAGUE_LINK_TEXTS and len(text) > 1, (path, href, text)
            href = href if re.match(r"https?:", href) else os.path.normpath(path.parent / href)
            assert targets.setdefault(text, href) == href, f"{path}: “{text}” leads to {href} and {targets[text]}"


def hex_colour(value: str) -> tuple[float, float, float] | None:
    value = value.strip().lower()
    if not re.fullmatch(r"#[0-9a-f]{3}|#[0-9a-f]{6}", value):
        return None
    digits = value[1:] if len(value) == 7 else "".join(c * 2 for c in value[1:])
    return tuple(int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two hex colours."""
    def luminance(colour):
        r, g, b_ = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in hex_colour(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def css_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, {property: value}) for each rule, media queries flattened."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        props = dict((k.strip(), v.strip()) for k, v in
                     (d.split(":", 1) for d in body.split(";") if ":" in d))
        rules.append((" ".join(selector.split()), props))
    return rules


def test_css_text_colours_reach_aa_contrast_on_their_backgrounds():
    rules = css_rules(STYLE.read_text())
    body = next(p for s, p in rules if s == "body")
    text_colour, page = body["color"], "#ffffff"
    checked = []
    for selector, props in rules:
        colour, background = props.get("color"), props.get("background")
        if colour and not hex_colour(colour) or background and not hex_colour(background):
            continue  # inherit, currentColor: checked where the colour is set
        if colour or background:
            ratio = contrast(colour or text_colour, background or page)
            checked.append(selector)
            assert ratio >= 4.5, f"{selector}: {colour or text_colour} on {background or page} is {ratio:.2f}:1"
    # Every status badge was among them, each with its own pair of colours.
    statuses = [s for s in checked if s.startswith(".status-")]
    assert {s.removeprefix(".status-") for s in statuses} >= {"delivered", "partly_delivered", "in_progress", "made",
                                                               "delayed", "overdue", "dropped", "unclear"}
    assert all("background" in p and "color" in p for s, p in rules if s in statuses)


def test_chart_bars_and_focus_outline_stand_out_from_the_page():
    for colour in (site_chart.MADE_COLOUR, site_chart.DELIVERED_COLOUR):
        assert contrast(colour, "#ffffff") >= 3, colour  # WCAG non-text contrast
    focus = [(s, p) for s, p in css_rules(STYLE.read_text()) if ":focus" in s]
    covered = ",".join(s for s, _ in focus)
    for element in ("a", "input", "textarea", "summary"):
        assert f"{element}:focus" in covered, element
    for selector, props in focus:
        if "outline" in props:
            width, _, colour = props["outline"].split()
            assert float(width.removesuffix("px")) >= 2 and contrast(colour, "#ffffff") >= 3, selector


# -- axe-core in Chromium ------------------------------------------------------------------

def axe_script() -> Path | None:
    for candidate in (os.environ.get("AXE_CORE_JS"), ROOT / "node_modules/axe-core/axe.min.js"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


AXE_RUN = """<script src="/axe-for-test.js"></script><script>
axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
  document.documentElement.setAttribute("data-probe", JSON.stringify(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(function (n) { return n.html; })};
  })));
});
</script></body>"""


@pytest.mark.skipif(CHROMIUM is None or axe_script() is None,
                    reason="needs chromium and axe-core (npm install axe-core, or AXE_CORE_JS=path/to/axe.min.js)")
def test_axe_core_finds_no_violations_on_the_main_pages(site, served_site, store):
    (site / "axe-for-test.js").write_bytes(axe_script().read_bytes())
    overdue = by_title(store, "imprints")["id"]
    pages = ["index.html", f"commitment/{overdue}.html", "kind/firm.html", "year/index.html", "method.html",
             "department/index.html"]
    found = {}
    try:
        for relative in pages:
            probe = (site / relative).with_name("axe-probe.html")
            probe.write_text((site / relative).read_text().replace("</body>", AXE_RUN))
            found[relative] = probe_result(dump_dom(f"{served_site}/{probe.relative_to(site).as_posix()}"))
            probe.unlink()
    finally:
        (site / "axe-for-test.js").unlink()
    assert found == {relative: [] for relative in pages}
