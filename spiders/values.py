"""Reading the API's loosely typed JSON values into the types a record needs.

Each function returns the value in its proper type, or raises ValueError naming
what it got: the record is then rejected with that reason, never stored wrong
(`bool("false")` is True; `list("U1,U2")` is a list of characters).
"""

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


def integer(value) -> int | None:
    """An id or a count: an integer, or a string of digits."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected an integer, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise ValueError(f"expected an integer, not {value!r}")


def member(value) -> dict | None:
    """A member object (with expandMember=true), or absent."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value
    raise ValueError(f"expected a member object, not {value!r}")


def text(value) -> str | None:
    """A text field (question, answer HTML)."""
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f"expected text, not {value!r}")
