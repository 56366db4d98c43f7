"""A loopback HTTP server that answers like the Parliament APIs, from recorded records.

It filters, pages (`skip`/`take`) and cuts long texts in list responses the
way the real list endpoints do, so the real spiders crawl it through Scrapy's
real download stack. Faults can be queued per path (a 503, a malformed page)
to exercise retries and rejections.
"""

import base64
import json
import re
import threading
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from commitments.demo.pdf import text_pdf
from common.text import html_to_text

CORPUS_DIR = Path(__file__).parent / "corpus"
LIST_CUT_AT = 255  # the real list endpoints cut to about 255 characters + "..."


def cut_for_list(text: str | None) -> str | None:
    """What a list endpoint shows of a text: plain, and cut with "..." when long."""
    if text is None:
        return None
    plain = html_to_text(text).replace("\n", " ")
    return plain if len(plain) <= LIST_CUT_AT + 3 else plain[:LIST_CUT_AT] + "..."


class Endpoint:
    """One list endpoint and its detail endpoint over a list of `value` records."""

    def __init__(self, path: str, records: list[dict], date_filters: dict[str, str],
                 cut_fields: tuple[str, ...], search_fields: tuple[str, ...]):
        self.path = path
        self.records = sorted(records, key=lambda r: r["id"])
        self.by_id = {r["id"]: r for r in self.records}
        self.date_filters = date_filters  # query prefix -> record field
        self.cut_fields = cut_fields
        self.search_fields = search_fields
        # Tests set this to make `totalResults` understate the matches, as a buggy API might.
        self.total_cap: int | None = None

    def list(self, query: dict[str, list[str]]) -> dict:
        one = {k: v[-1] for k, v in query.items()}
        selected = [r for r in self.records if self._matches(r, one, query)]
        skip, take = int(one.get("skip", 0)), int(one.get("take", 20))
        page = selected[skip: skip + take]
        results = []
        for record in page:
            value = dict(record)
            for name in self.cut_fields:
                if name in value:
                    value[name] = cut_for_list(value[name])
            results.append({"value": value, "links": [{"rel": "self", "href": f"{self.path}/{record['id']}", "method": "GET"}]})
        total = len(selected) if self.total_cap is None else min(len(selected), self.total_cap)
        return {"totalResults": total, "results": results}

    def detail(self, record_id: int) -> dict | None:
        record = self.by_id.get(record_id)
        return None if record is None else {"value": record, "links": []}

    def _matches(self, record: dict, one: dict, query: dict) -> bool:
        for prefix, field in self.date_filters.items():
            value = (record.get(field) or "")[:10]
            low, high = one.get(prefix + "From"), one.get(prefix + "To")
            if (low or high) and not value:
                return False
            if low and value < low[:10] or high and value > high[:10]:
                return False
        house = one.get("house")
        if house and house != "Bicameral" and record.get("house") != house:
            return False
        bodies = query.get("answeringBodies")
        if bodies and str(record.get("answeringBodyId")) not in bodies:
            return False
        if record.get("isWithdrawn") and one.get("includeWithdrawn", "false").lower() != "true":
            return False
        term = one.get("searchTerm")
        if term:
            haystack = " ".join(str(record.get(f) or "") for f in self.search_fields).lower()
            if term.lower() not in haystack:
                return False
        return True


class ItemsEndpoint:
    """A committees-API list (`{"items", "totalResults"}`) with its documents, base64 in `data`."""

    def __init__(self, path: str, items: list[dict], date_field: str, committee_ids, documents):
        self.path = path
        self.items = sorted(items, key=lambda i: i["id"])
        self.date_field = date_field
        self.committee_ids = committee_ids  # item -> the committee ids it belongs to
        self.documents = documents  # (item id, rest of path) -> (file name, bytes) or None

    def list(self, query: dict[str, list[str]]) -> dict:
        one = {k.lower(): v[-1] for k, v in query.items()}
        selected = [i for i in self.items if self._matches(i, one)]
        skip, take = int(one.get("skip", 0)), int(one.get("take", 30))
        return {"items": selected[skip: skip + take], "totalResults": len(selected), "itemsPerPage": take}

    def _matches(self, item: dict, one: dict) -> bool:
        committee = one.get("committeeid")
        if committee and int(committee) not in self.committee_ids(item):
            return False
        date = (item.get(self.date_field) or "")[:10] if self.date_field else ""
        if one.get("startdate") and date and date < one["startdate"][:10]:
            return False
        if one.get("enddate") and date and date > one["enddate"][:10]:
            return False
        return True

    def document(self, item_id: int, rest: str) -> dict | None:
        found = self.documents(item_id, rest)
        if found is None:
            return None
        name, content = found
        return {"fileName": name, "fileSize": len(content), "data": base64.b64encode(content).decode()}


def load_committee_endpoints(corpus_dir: Path = CORPUS_DIR / "committees") -> list[ItemsEndpoint]:
    def items(name):
        path = corpus_dir / name
        return json.loads(path.read_text()) if path.exists() else []

    def listed(item):
        return {c["id"] for c in item.get("committees") or []} | ({item["committee"]["id"]} if item.get("committee") else set())

    def file(folder, stem):
        return next((p for p in sorted((corpus_dir / folder).glob(f"{stem}.*"))), None) if (corpus_dir / folder).exists() else None

    def oral_document(item_id, rest):
        path = file("oral_evidence_documents", item_id)
        return (path.name, path.read_bytes()) if path is not None and rest == "Document/Html" else None

    def written_document(item_id, rest):
        path = file("written_evidence_documents", item_id)
        if path is None:
            return None
        if rest == "Document/Html" and path.suffix == ".html":
            return path.name, path.read_bytes()
        if rest == "Document/Pdf" and path.suffix == ".txt":  # PDF-only evidence: made from the shipped text
            return path.with_suffix(".pdf").name, text_pdf(path.read_text())
        return None

    def publication_document(item_id, rest):
        match = re.fullmatch(r"Document/(\d+)/(?:Html|OriginalFormat)", rest)
        path = file("publication_documents", f"{item_id}-{match.group(1)}") if match else None
        return (path.name, path.read_bytes()) if path is not None else None

    return [
        ItemsEndpoint("/api/Committees", items("committees.json"), "", lambda i: {i["id"]}, lambda *_: None),
        ItemsEndpoint("/api/OralEvidence", items("oral_evidence.json"), "meetingDate", listed, oral_document),
        ItemsEndpoint("/api/WrittenEvidence", items("written_evidence.json"), "publicationDate", listed, written_document),
        ItemsEndpoint("/api/Publications", items("publications.json"), "publicationStartDate", listed, publication_document),
    ]


def load_endpoints(corpus_dir: Path = CORPUS_DIR) -> list[Endpoint]:
    def records(name):
        path = corpus_dir / name
        return json.loads(path.read_text()) if path.exists() else []

    return [
        Endpoint(
            "/api/writtenquestions/questions", records("written_questions.json"),
            {"answeredWhen": "dateAnswered", "tabledWhen": "dateTabled", "correctedWhen": "dateAnswerCorrected"},
            ("questionText", "answerText", "originalAnswerText"),
            ("questionText", "answerText", "heading"),
        ),
        Endpoint(
            "/api/writtenstatements/statements", records("written_statements.json"),
            {"madeWhen": "dateMade"}, ("text",), ("title", "text"),
        ),
    ]


class PressSite:
    """Feeds and article pages of the demo's press corpus; `{base}` in them becomes the server's address."""

    CONTENT_TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml", ".html": "text/html; charset=utf-8"}

    def __init__(self, corpus_dir: Path = CORPUS_DIR / "press"):
        self.corpus_dir = corpus_dir

    def feed_urls(self, base: str) -> list[str]:
        folder = self.corpus_dir / "feeds"
        return [f"{base}/feeds/{p.name}" for p in sorted(folder.glob("*"))] if folder.exists() else []

    def respond(self, path: str, base: str) -> tuple[int, bytes, str] | None:
        if path.startswith("/feeds/"):
            file = self.corpus_dir / "feeds" / path.removeprefix("/feeds/")
        else:
            file = self.corpus_dir / "articles" / (path.strip("/").replace("/", "__") + ".html")
        if not file.is_file() or self.corpus_dir not in file.resolve().parents:
            return None
        body = file.read_text(encoding="utf-8").replace("{base}", base).encode("utf-8")
        return 200, body, self.CONTENT_TYPES.get(file.suffix, "application/octet-stream")


class RecordedApi:
    """Serve endpoints on 127.0.0.1 in a background thread; use as a context manager."""

    def __init__(self, endpoints: list[Endpoint] | None = None, port: int = 0,
                 committee_endpoints: list[ItemsEndpoint] | None = None):
        self.endpoints = endpoints if endpoints is not None else load_endpoints()
        self.committee_endpoints = committee_endpoints if committee_endpoints is not None else load_committee_endpoints()
        self.press = PressSite()
        self.faults: dict[str, deque] = defaultdict(deque)
        self.requests: list[str] = []
        self.port = port

    def queue_fault(self, path_pattern: str, status: int, body: bytes = b"", times: int = 1) -> None:
        """Answer the next `times` requests whose path matches `path_pattern` (a regex) with this."""
        for _ in range(times):
            self.faults[path_pattern].append((status, body))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                api.requests.append(self.path)
                page = api.press.respond(urlsplit(self.path).path, api.url)
                status, body = page[:2] if page else api.respond(self.path)
                content_type = page[2] if page else ("application/json; charset=utf-8" if status == 200 else "text/plain")
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # keep test and demo output clean
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def respond(self, raw_path: str) -> tuple[int, bytes]:
        parts = urlsplit(raw_path)
        for pattern, queue in self.faults.items():
            if queue and re.search(pattern, raw_path):
                return queue.popleft()
        if parts.path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n"
        for endpoint in self.endpoints:
            if parts.path == endpoint.path:
                return 200, json.dumps(endpoint.list(parse_qs(parts.query))).encode()
            match = re.fullmatch(re.escape(endpoint.path) + r"/(\d+)", parts.path)
            if match:
                detail = endpoint.detail(int(match.group(1)))
                if detail is not None:
                    return 200, json.dumps(detail).encode()
        for endpoint in self.committee_endpoints:
            if parts.path == endpoint.path:
                return 200, json.dumps(endpoint.list(parse_qs(parts.query))).encode()
            match = re.fullmatch(re.escape(endpoint.path) + r"/(\d+)/(.+)", parts.path)
            if match:
                document = endpoint.document(int(match.group(1)), match.group(2))
                if document is not None:
                    return 200, json.dumps(document).encode()
        return 404, b"not found"
