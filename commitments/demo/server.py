"""A loopback HTTP server that answers like the Parliament APIs, from recorded records.

It filters, pages (`skip`/`take`) and cuts long texts in list responses the
way the real list endpoints do, so the real spiders crawl it through Scrapy's
real download stack. Faults can be queued per path (a 503, a malformed page)
to exercise retries and rejections.
"""

import json
import re
import threading
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from db.documents import html_to_text

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
        return {"totalResults": len(selected), "results": results}

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


class RecordedApi:
    """Serve endpoints on 127.0.0.1 in a background thread; use as a context manager."""

    def __init__(self, endpoints: list[Endpoint] | None = None, port: int = 0):
        self.endpoints = endpoints if endpoints is not None else load_endpoints()
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
                status, body = api.respond(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8" if status == 200 else "text/plain")
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
        return 404, b"not found"
