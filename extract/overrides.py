"""The reviewed overrides file: what a person decided about the automatic tracking.

A YAML list; each entry is one decision with its `reason`, `reviewer` and `date`:

    - action: merge          # these commitments are one: the others fold into `into`
      into: 3f2a9c1d0b7e
      commitments: [9be01c22d4a1]
    - action: split          # these mentions are another commitment
      commitment: 3f2a9c1d0b7e
      mentions: [0c1d2e3f4a5b6c7d]
      title: Publish the review of the Prevent programme
    - action: retitle
      commitment: 3f2a9c1d0b7e
      title: Implement a digital imprints regime for online election material
    - action: status         # set or correct the status, with its evidence
      commitment: 3f2a9c1d0b7e
      status: delivered
      status_date: 2023-11-02
      source_url: https://www.legislation.gov.uk/uksi/2023/1091
      evidence: The digital imprints regime came into force on 2 November 2023.
    - action: unlink         # this mention is not about that commitment
      commitment: 3f2a9c1d0b7e
      mention: 0c1d2e3f4a5b6c7d
    (every entry also has: reason, reviewer, date)

The file is read whole and checked before anything is applied: a malformed entry is an
`OverridesError` naming its line, and nothing is half-applied.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from extract.status import STATUSES

COMMON = {"action", "reason", "reviewer", "date"}
FIELDS = {
    "merge": ({"into", "commitments"}, set()),
    "split": ({"commitment", "mentions"}, {"title"}),
    "retitle": ({"commitment", "title"}, set()),
    "status": ({"commitment", "status"}, {"status_date", "source_url", "evidence"}),
    "unlink": ({"commitment", "mention"}, set()),
}
LISTS = {"commitments", "mentions"}
DATES = {"date", "status_date"}


class OverridesError(ValueError):
    pass


@dataclass
class Override:
    action: str
    line: int
    reason: str
    reviewer: str
    date: str
    fields: dict = field(default_factory=dict)

    def fail(self, path: Path | str, message: str) -> "OverridesError":
        return OverridesError(f"{path}:{self.line}: {self.action}: {message}")

    @property
    def review(self) -> str:
        return f"{self.action} by {self.reviewer} on {self.date}: {self.reason}"


def load_overrides(path: Path) -> list[Override]:
    """The file's entries, checked; [] when there is no file."""
    if not path.exists():
        return []
    if not path.is_file():
        raise OverridesError(f"{path}: not a file")
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise OverridesError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise OverridesError(f"{path}:1: expected a list of entries (each starting with '- action:')")
    return [_entry(path, node, entry) for node, entry in zip(root.value, data)]


def _entry(path: Path, node: yaml.Node, entry) -> Override:
    line = node.start_mark.line + 1
    key_lines = {key.value: key.start_mark.line + 1 for key, _ in node.value} if isinstance(node.value, list) else {}

    def fail(message: str, key: str | None = None) -> OverridesError:
        return OverridesError(f"{path}:{key_lines.get(key, line)}: {message}")

    if not isinstance(entry, dict):
        raise fail("each entry is a mapping with an 'action'")
    action = entry.get("action")
    if action not in FIELDS:
        raise fail(f"unknown action {action!r}: one of {', '.join(FIELDS)}")
    required, optional = FIELDS[action]
    unknown = sorted(set(entry) - COMMON - required - optional)
    if unknown:
        raise fail(f"{action}: unknown field {', '.join(map(str, unknown))}", unknown[0])
    missing = sorted((COMMON | required) - set(entry))
    if missing:
        raise fail(f"{action}: missing {', '.join(missing)}")
    values = {}
    for key, value in entry.items():
        if key in DATES:
            value = _date(value)
            if value is None:
                raise fail(f"{action}: {key} must be a date, YYYY-MM-DD", key)
        elif key in LISTS:
            if isinstance(value, str):
                value = [value]
            if not (isinstance(value, list) and value and all(isinstance(v, str) and v for v in value)):
                raise fail(f"{action}: {key} must be a list of ids", key)
        elif not isinstance(value, str) or not value.strip():
            raise fail(f"{action}: {key} must be a non-empty text", key)
        values[key] = value
    if action == "status" and values["status"] not in STATUSES:
        raise fail(f"status: {values['status']!r} is not a status: one of {', '.join(STATUSES)}", "status")
    if "source_url" in values and not values["source_url"].startswith(("https://", "http://")):
        raise fail(f"{action}: source_url must be an http(s) address", "source_url")
    return Override(action=action, line=line, reason=values.pop("reason"), reviewer=values.pop("reviewer"),
                    date=values.pop("date"), fields={k: v for k, v in values.items() if k != "action"})


def _date(value) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return None
    return None
