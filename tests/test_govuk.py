"""GOV.UK content items (`commitments load-govuk`): what departments publish, as government documents."""

import json
from pathlib import Path

import pytest
import sqlite_utils

from common.text import html_to_text
from spiders.govuk import NotContentItem, parse_item, person_name, uk_date
from tests.conftest import run_cli, shared_file

FIXTURE = Path(__file__).parent / "fixtures" / "govuk" / "written-statement-digital-imprints.json"


def fixture_item() -> dict:
    return json.loads(FIXTURE.read_text())


def test_statement_is_dated_when_made_and_owned_by_its_publisher():
    record = parse_item(fixture_item())
    assert record["id"] == "/government/speeches/digital-imprints-example-statement"
    assert record["url"] == "https://www.gov.uk/government/speeches/digital-imprints-example-statement"
    # drafted in March (first_published_at), made on 22 July (delivered_on)
    assert record["date"] == "2019-07-22" and record["document_type"] == "written_statement"
    assert record["organisations"] == ["Cabinet Office", "Department for Digital, Culture, Media & Sport"]
    assert record["owner"] == "Cabinet Office"
    assert (record["speaker"], record["role"]) == ("Jane Example", "Minister for the Constitution")
    assert record["text"].startswith("The Government is committed") and "<" not in record["text"]
    assert "\n- to campaigners who pay to promote material;" in record["text"]


def test_press_release_without_publisher_or_speaker_and_a_multi_format_body():
    item = fixture_item()
    item["document_type"], item["schema_name"] = "press_release", "news_article"
    del item["details"]["delivered_on"], item["links"]["primary_publishing_organisation"], item["links"]["speaker"]
    item["links"]["organisations"].reverse()
    item["details"]["body"] = [{"content_type": "text/govspeak", "content": "We will ^publish^ it."},
                               {"content_type": "text/html", "content": "<p>We will publish it.</p>"}]
    record = parse_item(item)
    assert record["text"] == "We will publish it." and record["speaker"] is None
    # the first organisation tagged, in its canonical name
    assert record["owner"] == "Department for Digital, Culture, Media and Sport"
    assert record["date"] == "2019-07-22"  # first_public_at, in London


@pytest.mark.parametrize("value, date", [
    ("2014-05-08T23:30:00+00:00", "2014-05-09"),  # British Summer Time: already the 9th in London
    ("2016-12-28T00:00:19.000+00:00", "2016-12-28"),
    ("2014-04-01T09:30:00+01:00", "2014-04-01"),
    (None, None),
])
def test_uk_date(value, date):
    assert uk_date(value) == date


@pytest.mark.parametrize("title, name", [
    ("The Rt Hon Elizabeth Truss MP", "Elizabeth Truss"), ("Nick Gibb MP", "Nick Gibb"),
    ("Lord Example of Testford", "Lord Example of Testford"), (None, None),
])
def test_person_name(title, name):
    assert person_name(title) == name


@pytest.mark.parametrize("change, reason", [
    (lambda item: item.pop("base_path"), "no base_path"),
    (lambda item: item["details"].pop("body"), "no body text"),
    (lambda item: item["details"].update(delivered_on="yesterday"), "not an ISO timestamp"),
    (lambda item: item["links"].update(organisations="Cabinet Office"), "links.organisations is not a list"),
])
def test_items_that_cannot_be_read_say_why(change, reason):
    item = fixture_item()
    change(item)
    with pytest.raises(NotContentItem, match=reason):
        parse_item(item)


def test_load_govuk_stores_a_government_document_and_rejects_a_bad_file_alone(tmp_path):
    folder = tmp_path / "items"
    folder.mkdir()
    (folder / "statement.json").write_bytes(FIXTURE.read_bytes())
    (folder / "broken.json").write_text('{"base_path": "/x", ')
    (folder / "not-an-item.json").write_text('{"results": []}')
    db_path = tmp_path / "g.db"
    result = run_cli("load-govuk", str(folder), db=db_path, check=False)
    assert result.returncode == 1 and "3 files: 1 GOV.UK items stored, 2 rejected" in result.stderr
    db = sqlite_utils.Database(db_path)
    (document,) = db.query("select * from documents where source like 'govuk%'")
    assert (document["source"], document["government"], document["body"], document["person"], document["date"]) == (
        "govuk_written_statement", 1, "Cabinet Office", "Jane Example", "2019-07-22")
    assert document["source_url"] == "https://www.gov.uk/government/speeches/digital-imprints-example-statement"
    row = db["govuk"].get("/government/speeches/digital-imprints-example-statement")
    assert json.loads(row["organisations"])[1] == "Department for Digital, Culture, Media & Sport"
    reasons = sorted(r["reason"] for r in db["rejections"].rows)
    assert reasons[0].startswith("broken.json: ") and reasons[1] == "not-an-item.json: no base_path: not a GOV.UK content item"
    run_cli("load-govuk", str(folder / "statement.json"), db=db_path)  # again: nothing doubles
    assert db["govuk"].count == 1 and db["documents"].count == 1


REAL = {  # file -> (document_type, date, owner, speaker)
    "best-practice-government-response": ("government_response", "2014-05-08", "Department of Health and Social Care", None),
    "best-practice-written-statement": ("written_statement", "2014-04-01", "Department for Transport", "Robert Goodwill"),
    "news_article_press_release": ("press_release", "2016-12-28", "UK Health Security Agency", None),
    "speech-oral-statement-parliament": ("oral_statement", "2016-12-19", "Ministry of Justice", "Elizabeth Truss"),
    # first_published_at says May; the statement was made (delivered_on) on 20 December
    "speech-written-statement-parliament": ("written_statement", "2016-12-20", "Department for Education", "Nick Gibb"),
}


def test_real_govuk_items_all_five_load_as_government_documents(tmp_path):
    paths = {name: shared_file(f"real/govuk-contentitem-{name}.json") for name in REAL}
    db_path = tmp_path / "g.db"
    run_cli("load-govuk", *paths.values(), db=db_path)
    db = sqlite_utils.Database(db_path)
    # two of the five share a content_id: the page (base_path) is the identity, so both are kept
    assert db["govuk"].count == 5
    documents = {d["source_url"]: d for d in db.query("select * from documents where source like 'govuk%'")}
    assert len(documents) == 5
    for name, (document_type, date, owner, speaker) in REAL.items():
        item = json.loads(paths[name].read_text())
        document = documents["https://www.gov.uk" + item["base_path"]]
        assert (document["source"], document["date"], document["body"], document["person"], document["government"]) == (
            f"govuk_{document_type}", date, owner, speaker, 1)
        assert document["title"] == item["title"]
        assert document["text"] == html_to_text(item["details"]["body"]) and len(document["text"]) > 500
        row = db["govuk"].get(item["base_path"])
        assert json.loads(row["organisations"]) == [o["title"] for o in item["links"]["organisations"]]
    response = documents["https://www.gov.uk/government/news/improving-food-in-hospitals-and-schools"]
    # tagged with three departments, published by one: that one owns it
    assert len(json.loads(db["govuk"].get("/government/news/improving-food-in-hospitals-and-schools")["organisations"])) == 3
    assert response["body"] == "Department of Health and Social Care"
