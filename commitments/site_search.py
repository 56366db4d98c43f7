"""The search index behind the home page's search box: one entry per commitment with the words
a reader searches for (title, department, minister, status, kind and every distinct quote).

It is written as a script that sets one global, `window.commitmentsSearch`, rather than as
JSON fetched at run time: a browser reading the site from disk (file://) refuses fetch, and the
site needs no server. The value is plain JSON all the same (json.dumps, with `<` escaped so a
quoted `</script>` can never end the script early).
"""

import json

INDEX_PATH = "data/search-index.js"
GLOBAL = "window.commitmentsSearch"


def entries(commitments: list[dict]) -> list[dict]:
    out = []
    for c in commitments:
        quotes = list(dict.fromkeys(e["sentence"] for e in c.get("events", []) if e.get("sentence")))
        out.append({"id": c["id"], "title": c.get("title") or "", "owner": c.get("owner") or "",
                    "person": c.get("person") or "", "status": c.get("status_label") or c.get("status") or "",
                    "kind": c.get("kind") or "", "quotes": quotes})
    return out


def index_script(commitments: list[dict]) -> str:
    data = json.dumps(entries(commitments), ensure_ascii=False, separators=(",", ":"))
    # `<` as \u003c: the same JSON value, and no `</script>` or `<!--` inside the script.
    return f"{GLOBAL} = {data.replace('<', chr(92) + 'u003c')};\n"


def read_index(script: str) -> list[dict]:
    """The entries back from an index script (for tests and tools)."""
    prefix = f"{GLOBAL} = "
    if not (script.startswith(prefix) and script.endswith(";\n")):
        raise ValueError("not a search index script")
    return json.loads(script[len(prefix):-2])
