"""Public bodies in canonical form, from a gazetteer kept as data (gazetteer.json).

Used by the spiders (who speaks for which body), the store (a press release
speaks for its department) and the extractor (owners).
"""

import json
import re
from functools import lru_cache

from common import resources

GAZETTEER_PATH = resources.gazetteer()


class Gazetteer:
    def __init__(self, data: dict):
        self.canonical: dict[str, str] = {}
        for name, aliases in data["bodies"].items():
            for alias in [name, *aliases]:
                self.canonical[self._key(alias)] = name
        self.programmes = {self._key(p): dept for p, dept in data.get("programmes", {}).items()}
        # Hansard's short department titles: names of answering bodies, too common as words
        # ("Health", "Transport") to be looked for in running text.
        self.titles = {self._key(t): body for t, body in data.get("department_titles", {}).items()}
        names = sorted(set(self.canonical) | set(self.programmes), key=len, reverse=True)
        # Longest names first so "Department for Digital, Culture, Media and
        # Sport" wins over "DCMS"-style fragments inside it.
        self.pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)

    @staticmethod
    def _key(name: str) -> str:
        name = re.sub(r"^(the|her majesty's|his majesty's)\s+", "", name.strip(), flags=re.I)
        return re.sub(r"[\s&]+", " ", name.replace("&", "and")).lower().strip()

    def canonical_name(self, name: str | None) -> str | None:
        """The canonical owner for a body or programme name, or None when unknown."""
        if not name:
            return None
        key = self._key(name)
        return self.canonical.get(key) or self.programmes.get(key) or self.titles.get(key)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Every body or programme named in `text`: (start, end, canonical owner)."""
        found = []
        for match in self.pattern.finditer(text):
            token = match.group(0)
            # Abbreviations count only capitalised: "DfE" is a body, "dfe" is not.
            if len(token) <= 5 and not token[0].isupper():
                continue
            # "the Deputy Prime Minister", "the Shadow Home Secretary": another office than the one named
            if re.search(r"\b(?:deputy|shadow)[\s-]+$", text[max(0, match.start() - 8):match.start()], re.IGNORECASE):
                continue
            owner = self.canonical_name(token)
            if owner:
                found.append((match.start(), match.end(), owner))
        return found


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer(json.loads(GAZETTEER_PATH.read_text()))


def canonical_owner(name: str | None) -> str | None:
    """Canonical form of a body name; unknown bodies keep their own name."""
    if not name:
        return None
    return gazetteer().canonical_name(name) or name.strip()

