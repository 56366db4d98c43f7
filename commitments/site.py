"""The static progress site: Jinja2 templates in templates/site/, rendered from the SQLite file.

`render_site` turns the store into {relative path: content}; `write_site` writes those
files, leaves a file whose content is unchanged alone, and deletes the files an earlier
build wrote that this one did not (listed in MANIFEST, so nothing else is ever deleted).
"""

import csv
import io
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
import markupsafe
import sqlite_utils

import db as store
from commitments import site_chart, site_search
from commitments.questions import ASK_ABOUT, follow_up_questions, long_date
from common import resources
from common.kinds import TRACKABLE

TEMPLATES = resources.site_templates()
ASSETS = resources.static_assets()
# Every file the last build wrote, one relative path a line: the only files a rebuild deletes.
MANIFEST = ".commitments-site-files"
# What a build puts at the top of its folder (besides its marks).
TOP_LEVEL_ENTRIES = {"index.html", "method.html", "feed.xml", "commitment", "status", "department", "person",
                     "kind", "year", "data", "assets"}

# Statuses in the order a reader asks about them: what happened, then what is outstanding.
STATUS_ORDER = ("delivered", "partly_delivered", "in_progress", "made", "delayed", "overdue", "dropped", "unclear")
STATUS_LABELS = {"made": "Promised", "in_progress": "In progress", "delivered": "Delivered",
                 "partly_delivered": "Partly delivered", "delayed": "Delayed", "dropped": "Dropped",
                 "overdue": "Overdue", "unclear": "Unclear"}
STATUS_MEANING = {
    "made": "promised, nothing more known yet",
    "in_progress": "a step towards it was reported",
    "delivered": "reported done",
    "partly_delivered": "reported partly done",
    "delayed": "the deadline was put back and has not passed yet",
    "overdue": "the deadline passed with no report of delivery",
    "dropped": "the Government said it would not go ahead",
    "unclear": "nothing said of it for two years",
}
KIND_LABELS = {"firm": "Firm", "conditional": "Conditional", "ongoing": "Ongoing", "negative": "Negative",
               "hedged": "Hedged", "procedural": "Procedural", "none": "Not a commitment"}
KIND_MEANING = {
    "firm": "a plain promise to do something",
    "conditional": "a promise that depends on something else, such as parliamentary time",
    "ongoing": "a promise to keep doing something already under way",
    "negative": "a promise not to do something",
    "hedged": "a softened promise (“we aim to”, “we hope to”)",
    "procedural": "a promise about parliamentary business, such as writing to a member",
}
EVENT_LABELS = {"made": "Promised", "restated": "Restated", "progress": "Progress", "delayed": "Delayed",
                "delivered": "Delivered", "partly_delivered": "Partly delivered", "dropped": "Dropped",
                "reviewed": "Reviewed"}
SOURCE_LABELS = {"written_question": "Written answer", "written_statement": "Written statement",
                 "oral_evidence": "Oral evidence", "written_evidence": "Written evidence",
                 "publication": "Government response to a committee", "article": "Press article",
                 "govuk": "GOV.UK page", "hansard": "Hansard"}
COMMITMENT_COLUMNS = ("id", "title", "status", "status_date", "status_reason", "owner", "person", "kind", "action",
                      "first_made", "last_mentioned", "deadline", "deadline_latest", "mention_count",
                      "source_count", "checked", "reviewed", "review")
EVENT_COLUMNS = ("commitment_id", "sequence", "date", "event", "source", "source_id", "source_url", "document_id",
                 "sentence", "deadline", "deadline_text", "link", "score", "reviewer", "note")
# Left in every built site: a later build may write over a folder that has it.
BUILD_MARK = ".commitments-site"
BUILT_ENTRIES = TOP_LEVEL_ENTRIES | {BUILD_MARK, MANIFEST}


class OutFolderError(ValueError):
    """The --out folder cannot take the site; the message says why in one line."""


def check_out_folder(out: str | Path, option: str = "--out") -> Path:
    """The folder to write the site into. Refused: an empty name (it would mean the
    current folder), a path under a file, a file, and a folder holding anything but
    an earlier build of the site (which is written over)."""
    if not str(out).strip():
        raise OutFolderError(f"{option} is empty: name a folder for the site")
    out = Path(out)
    for parent in out.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutFolderError(f"{option} {out}: {parent} is a file, not a folder")
            break
    if out.exists() and not out.is_dir():
        raise OutFolderError(f"{option} {out} is a file, not a folder")
    if out.is_dir():
        try:
            entries = {entry.name for entry in out.iterdir()}
        except OSError as exc:
            raise OutFolderError(f"{option} {out} cannot be read: {exc.strerror}") from None
        # A build from before the mark existed has the same entries, index.html and commitment/ among them.
        earlier_build = entries <= BUILT_ENTRIES and (BUILD_MARK in entries or {"index.html", "commitment"} <= entries)
        if entries and not earlier_build:
            raise OutFolderError(f"{option} {out} is a folder with other files in it, not an earlier build of "
                                 "the site: give a new or empty folder")
    return out


def web_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None: a scraped `javascript:` or `data:` address
    never becomes a link."""
    return url if isinstance(url, str) and urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unnamed"


def _slugs(names) -> dict[str, str]:
    """A file name for each name, distinct even when two names slugify alike."""
    slugs, taken = {}, set()
    for name in sorted(set(names)):
        slug = base = slugify(name)
        n = 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        slugs[name] = slug
        taken.add(slug)
    return slugs


def _highlight(sentence: str | None, mention: dict | None) -> list[tuple[str, bool]]:
    """The sentence in pieces, (text, is the commitment's words): the template escapes each."""
    sentence = sentence or ""
    if mention and mention.get("action_start") is not None and mention.get("sentence_start") is not None:
        start = mention["action_start"] - mention["sentence_start"]
        end = (mention.get("action_end") or 0) - mention["sentence_start"]
        if 0 <= start < end <= len(sentence):
            return [(piece, marked) for piece, marked in
                    ((sentence[:start], False), (sentence[start:end], True), (sentence[end:], False)) if piece]
    return [(sentence, False)] if sentence else []


def _link_text(event: dict, document: dict) -> str:
    """What a source link says: which record, and the site it is on."""
    label = SOURCE_LABELS.get(event.get("source"), (event.get("source") or "source").replace("_", " ").capitalize())
    uin = document.get("question_uin") or document.get("statement_uin")
    title = document.get("title")
    host = urlsplit(event["url"]).hostname or "its site"
    return f"{label}{' ' + uin if uin else ''}{', “' + title + '”' if title else ''}, on {host}"


def _datasette_row(base: str | None, table: str, pk: str) -> str | None:
    return f"{base}/{table}/{quote(str(pk), safe='')}" if base else None


def _deadline_moves(events: list[dict]) -> list[dict]:
    """Each time a deadline was given or changed, in date order."""
    moves, last = [], None
    for event in events:
        if event.get("deadline") and event["deadline"] != last:
            moves.append({"date": event["date"], "deadline": event["deadline"], "text": event.get("deadline_text"),
                          "event": event["event"]})
            last = event["deadline"]
    return moves


def prepare(commitments: list[dict], documents: dict[str, dict], datasette_url: str | None) -> None:
    """Add to each commitment (in place) what its pages show."""
    base = datasette_url.rstrip("/") if datasette_url else None
    departments = _slugs(c["owner"] for c in commitments if c.get("owner"))
    people = _slugs(c["person"] for c in commitments if c.get("person"))
    for c in commitments:
        c["status_label"] = STATUS_LABELS.get(c["status"], (c["status"] or "unknown").replace("_", " "))
        c["kind_label"] = KIND_LABELS.get(c.get("kind"), (c.get("kind") or "unknown").replace("_", " "))
        c["year"] = (c.get("first_made") or "")[:4] if (c.get("first_made") or "")[:4].isdigit() else None
        c["department_slug"] = departments.get(c.get("owner"))
        c["person_slug"] = people.get(c.get("person"))
        c["datasette"] = _datasette_row(base, "commitments", c["id"])
        mentions = {m["id"]: m for m in c["mentions"]}
        for event in c["events"]:
            document = documents.get(event.get("document_id")) or {}
            event["label"] = EVENT_LABELS.get(event["event"], event["event"].replace("_", " "))
            event["source_label"] = SOURCE_LABELS.get(event.get("source"), (event.get("source") or "").replace("_", " "))
            event["document"] = document
            event["said_by"] = document.get("answering_member") or document.get("person")
            event["said_by_role"] = document.get("member_role") or document.get("role")
            event["url"] = web_url(event.get("source_url"))
            event["link_text"] = _link_text(event, document) if event["url"] else None
            event["pieces"] = _highlight(event.get("sentence"), mentions.get(event.get("mention_id")))
            event["datasette"] = _datasette_row(base, "commitment_events", event["id"]) if event.get("id") else None
            event["long_date"] = long_date(event.get("date"))
        c["status_event"] = next((e for e in c["events"] if e.get("id") == c.get("status_event_id")), None)
        c["deadline_moves"] = _deadline_moves(c["events"])
        first = next((e for e in c["events"] if e["event"] == "made"), c["events"][0] if c["events"] else None)
        c["first_event"] = first
        c["said_by_role"] = first["said_by_role"] if first else None
        c["questions"] = follow_up_questions(c, first["document"] if first else None)


def _csv(rows: list[dict], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _json_lines(rows: list[dict]) -> str:
    """A JSON array with one row a line: readable, diffable, and written by json's fast C encoder
    (indent= falls back to the pure-Python one, a third of a 10,000-commitment build)."""
    return "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n]\n"


def _downloads(commitments: list[dict]) -> dict[str, str]:
    rows = [{k: c.get(k) for k in COMMITMENT_COLUMNS} for c in commitments]
    events = [{k: e.get(k) for k in EVENT_COLUMNS} for c in commitments for e in c["events"]]
    return {
        "data/commitments.csv": _csv(rows, COMMITMENT_COLUMNS),
        "data/events.csv": _csv(events, EVENT_COLUMNS),
        "data/commitments.json": _json_lines(rows),
        "data/events.json": _json_lines(events),
    }


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["web_url"] = web_url
    env.filters["long_date"] = long_date
    env.filters["commitment_row"] = _commitment_row
    env.row_cache = {}
    return env


@jinja2.pass_environment
def _commitment_row(env: jinja2.Environment, commitment: dict, root: str) -> markupsafe.Markup:
    """A commitment's table row, rendered once per folder depth: each commitment is in six lists
    (home, status, department, minister, kind, year), and rendering each row once halves a big build."""
    key = (commitment["id"], root)
    if key not in env.row_cache:
        env.row_cache[key] = markupsafe.Markup(env.get_template("_row.html").render(c=commitment, root=root))
    return env.row_cache[key]


def _kind_rank(kind: str) -> tuple[int, str]:
    order = list(KIND_LABELS)
    return (order.index(kind) if kind in order else len(order), kind)


def _by(commitments: list[dict], key: str) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for c in commitments:
        if c.get(key):
            groups.setdefault(c[key], []).append(c)
    return dict(sorted(groups.items(), key=lambda item: item[0].lower()))


def render_site(db: sqlite_utils.Database, datasette_url: str | None = None) -> dict[str, str]:
    """Every page and download of the site: {path relative to the site's folder: content}."""
    return dict(site_files(db, datasette_url))


def site_files(db: sqlite_utils.Database, datasette_url: str | None = None) -> Iterator[tuple[str, str | bytes]]:
    """Every page and download of the site as (path relative to the site's folder, content),
    one at a time: the build writes each as it comes, never holding the whole site."""
    env = _environment()
    commitments = store.commitments_with_mentions(db)
    prepare(commitments, store.site_documents(db), datasette_url)
    statuses = Counter(c["status"] for c in commitments)
    status_list = [{"status": s, "label": STATUS_LABELS[s], "meaning": STATUS_MEANING[s], "count": statuses[s]}
                   for s in STATUS_ORDER if statuses[s]]
    status_list += [{"status": s, "label": s.replace("_", " "), "meaning": "", "count": n}
                    for s, n in statuses.items() if s not in STATUS_ORDER]
    changes = sorted((c for c in commitments if c.get("status_date")),
                     key=lambda c: (c["status_date"], c["id"]), reverse=True)
    latest_source = max((e["date"] for c in commitments for e in c["events"] if e.get("date")), default=None)
    site = {
        "counts": {**store.table_counts(db, "documents", "mentions"), "commitments": len(commitments),
                   "trackable": sum(c["kind"] in TRACKABLE for c in commitments)},
        "statuses": status_list,
        "updated": store.data_updated(db) or (commitments[0]["checked"] if commitments else None),
        "checked": max((c["checked"] for c in commitments if c.get("checked")), default=None),
        "latest_source": latest_source,
        "datasette_url": datasette_url,
    }
    departments = _by(commitments, "owner")
    people = _by(commitments, "person")
    kinds = {k: chosen for k, chosen in sorted(_by(commitments, "kind").items(), key=lambda item: _kind_rank(item[0]))}
    years = _by(commitments, "year")
    filters = {
        "kinds": [{"kind": k, "slug": slugify(k), "label": KIND_LABELS.get(k, k), "meaning": KIND_MEANING.get(k, ""), "count": len(v)}
                  for k, v in kinds.items()],
        "years": [{"year": y, "count": len(v)} for y, v in years.items()],
        "departments": len(departments),
        "people": len(people),
    }

    def page(template: str, root: str, **context) -> str:
        return env.get_template(template).render(site=site, root=root, **context)

    yield from {
        "index.html": page("index.html", ".", commitments=commitments, changes=changes[:10], filters=filters,
                           chart=site_chart.made_and_delivered(commitments), search_index=site_search.INDEX_PATH),
        site_search.INDEX_PATH: site_search.index_script(commitments),
        "method.html": page("method.html", ".", status_meaning=STATUS_MEANING, status_labels=STATUS_LABELS,
                            ask_about=sorted(ASK_ABOUT), measured=resources.measured_figures()),
        "feed.xml": page("feed.xml", ".", feed_title="Commitments Tracker: status changes", feed_id="all",
                         feed_path="feed.xml", entries=changes),
        "status/index.html": page("status_index.html", "..", commitments=commitments),
        "department/index.html": page("groups.html", "..", kind="department", groups=departments),
        "person/index.html": page("groups.html", "..", kind="person", groups=people),
        "kind/index.html": page("filter_index.html", "..", heading="Commitments by kind", pages=[
            {"href": f"{k['slug']}.html", "label": k["label"], "count": k["count"], "meaning": k["meaning"]}
            for k in filters["kinds"]]),
        "year/index.html": page("filter_index.html", "..", heading="Commitments by the year first made", pages=[
            {"href": f"{y['year']}.html", "label": y["year"], "count": y["count"], "meaning": ""}
            for y in filters["years"]]),
    }.items()
    for kind in filters["kinds"]:
        yield f"kind/{kind['slug']}.html", page("list.html", "..", heading=f"{kind['label']} commitments",
                                                intro=kind["meaning"], commitments=kinds[kind["kind"]])
    for year, chosen in years.items():
        yield f"year/{year}.html", page("list.html", "..", heading=f"Commitments first made in {year}", intro="",
                                        commitments=chosen)
    for status in site["statuses"]:
        chosen = [c for c in commitments if c["status"] == status["status"]]
        yield f"status/{status['status']}.html", page("list.html", "..", heading=f"{status['label']} commitments",
                                                      intro=status["meaning"], commitments=chosen)
    for name, chosen in departments.items():
        slug = chosen[0]["department_slug"]
        yield f"department/{slug}.html", page("list.html", "..", heading=name, intro="", commitments=chosen,
                                              feed=f"{slug}.xml")
        yield f"department/{slug}.xml", page(
            "feed.xml", "..", feed_title=f"Commitments Tracker: {name}", feed_id=f"department/{slug}",
            feed_path=f"department/{slug}.xml",
            entries=[c for c in changes if c.get("owner") == name])
    for name, chosen in people.items():
        yield f"person/{chosen[0]['person_slug']}.html", page(
            "list.html", "..", heading=name, intro="Commitments first given in their words.", commitments=chosen)
    for c in commitments:
        yield f"commitment/{c['id']}.html", page("commitment.html", "..", commitment=c)
    known = {c["id"] for c in commitments}
    for old, new in store.commitment_redirects(db).items():
        if new in known and old not in known:  # a merged commitment's address keeps working
            yield f"commitment/{old}.html", page("moved.html", "..", target=f"{new}.html")
    yield from _downloads(commitments).items()


def _assets() -> dict[str, bytes]:
    if not ASSETS.exists():
        return {}
    return {f"assets/{p.relative_to(ASSETS).as_posix()}": p.read_bytes() for p in sorted(ASSETS.rglob("*"))
            if p.is_file()}


def write_site(out: Path, files: dict[str, str | bytes] | Iterable[tuple[str, str | bytes]]) -> dict[str, int]:
    """Write `files` (a dict, or (path, content) pairs as they are rendered) under `out`: only
    those whose content changed; then delete what the last build listed in MANIFEST and this
    one did not write. Returns {written, unchanged, removed}."""
    out.mkdir(parents=True, exist_ok=True)
    written = unchanged = removed = 0
    names = set()
    for relative, content in (files.items() if isinstance(files, dict) else files):
        names.add(relative)
        path = out / relative
        data = content.encode("utf-8") if isinstance(content, str) else content
        if path.is_file() and path.read_bytes() == data:
            unchanged += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += 1
    manifest = out / MANIFEST
    previous = manifest.read_text().splitlines() if manifest.is_file() else []
    for relative in sorted(set(previous) - names):
        path = out / relative
        # Only plain relative paths inside `out`: a tampered manifest deletes nothing outside it.
        if ".." in Path(relative).parts or Path(relative).is_absolute() or not path.is_file():
            continue
        path.unlink()
        removed += 1
        parent = path.parent
        while parent != out and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    manifest.write_text("".join(f"{relative}\n" for relative in sorted(names)))
    return {"written": written, "unchanged": unchanged, "removed": removed}


def build_site(db: sqlite_utils.Database, out: Path, datasette_url: str | None = None) -> Path:
    """Render the site into `out` (checked by check_out_folder); returns the index path.
    `datasette_url`, the address of this database in a Datasette (e.g.
    https://example.org/commitments), adds links to each row."""
    out = check_out_folder(out)
    # Written as rendered: the site's pages (hundreds of MB for a large store) are never all
    # in memory at once.
    write_site(out, itertools.chain(site_files(db, datasette_url), _assets().items()))
    (out / BUILD_MARK).write_text("Built by `commitments build-site`: a later build writes over this folder.\n")
    return out / "index.html"
