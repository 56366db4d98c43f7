"""Reading the API's loosely typed JSON values into the types a record needs.

Each function returns the value in its proper type, or raises ValueError naming
what it got: the record is then rejected with that reason, never stored wrong
(`bool("false")` is True; `list("U1,U2")` is a list of characters).
`reader(record)` reads a record's fields so that the reason names the field.
"""

from collections.abc import Callable

from common.dates import iso_date

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def flag(value) -> bool:
    """A JSON boolean, or its usual spellings as a string or 0/1."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"expected true or false, not {value!r}")


def string_list(value) -> list[str]:
    """A list of strings; a comma-separated string is read as its items."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(item, (str, int)) for item in value):
        return [str(item) for item in value]
    raise ValueError(f"expected a list of strings, not {value!r}")


def json_list(value) -> list:
    """A JSON list (attachments, linked statements), kept as it is."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise ValueError(f"expected a list, not {value!r}")


def reader(record: dict) -> Callable:
    """`read(key, convert)`: `convert(record.get(key))`, an error naming the field it came from."""

    def read(key: str, convert: Callable):
        try:
            return convert(record.get(key))
        except ValueError as exc:
            raise ValueError(f"{key}: {exc}") from None

    return read


def identifier(value) -> int:
    """A record's own id: an integer, never absent."""
    number = integer(value)
    if number is None:
        raise ValueError(f"expected an id, not {value!r}")
    return number


def integer(value) -> int | None:
    """An id or a count: an integer, or a string of digits."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected an integer, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    raise ValueError(f"expected an integer, not {value!r}")


def member(value) -> dict | None:
    """A member object (with expandMember=true), or absent."""
    if value is None:
        return None
    if isinstance(value, dict):
        if value.get("id") is None:
            return value
        try:  # the id keys the members table
            return {**value, "id": integer(value["id"])}
        except ValueError:
            raise ValueError(f"expected a member object with an integer id, not {value!r}") from None
    raise ValueError(f"expected a member object, not {value!r}")


def text(value) -> str | None:
    """A text field (question, answer HTML)."""
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f"expected text, not {value!r}")


def string(value) -> str | None:
    """A short text field (uin, house, heading, a name); a number is read as its digits
    (`noticeNumber` comes as 14 or as "14")."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"expected a string, not {value!r}")


def date(value) -> str | None:
    """An API date or datetime ("2021-02-01T00:00:00") as YYYY-MM-DD; absent is None."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return iso_date(value)
        except ValueError:
            pass
    raise ValueError(f"expected a date, not {value!r}")
