"""The static site publishes scraped values: only http(s) addresses become links."""

import re

import db
from commitments.site import build_site, web_url


def test_web_url_keeps_only_http_and_https():
    assert web_url("https://questions-statements.parliament.uk/x") == "https://questions-statements.parliament.uk/x"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>", "file:///etc/passwd", "", None):
        assert web_url(bad) is None


def test_a_javascript_source_url_is_shown_as_a_date_not_a_link(tmp_path):
    database = db.open_db(tmp_path / "s.db")
    database["documents"].insert({"id": "article:x", "source": "article", "source_id": "x", "text": "t", "title": "T"})
    database["commitments"].insert({"id": "c1", "owner": "Cabinet Office", "action": "publish a review", "kind": "firm",
                                    "title": "Publish a review", "status": "made", "first_made": "2020-01-01",
                                    "last_mentioned": "2020-01-01", "mention_count": 1})
    database["mentions"].insert({"id": "m1", "document_id": "article:x", "commitment_id": "c1", "source": "article",
                                 "source_id": "x", "source_url": "javascript:alert(document.cookie)",
                                 "date": "2020-01-01", "sentence": "We will publish a review.", "kind": "firm",
                                 "action": "publish a review", "owner": "Cabinet Office"})
    database["commitment_events"].insert({"id": "e1", "commitment_id": "c1", "sequence": 0, "date": "2020-01-01",
                                          "event": "made", "document_id": "article:x", "source": "article",
                                          "source_url": "javascript:alert(document.cookie)",
                                          "sentence": "We will publish a review.", "link": "automatic"})
    out = tmp_path / "site"
    build_site(database, out)
    pages = [p.read_text() for p in out.rglob("*.html")]
    hrefs = [h for page in pages for h in re.findall(r'href="([^"]*)"', page)]
    assert hrefs and not [h for h in hrefs if "javascript" in h.lower()]
    assert any("2020-01-01" in page and "We will publish a review." in page for page in pages)
