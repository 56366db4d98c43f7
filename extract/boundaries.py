"""The `text_boundaries` spaCy component: sentence boundaries the parser cannot see
(line breaks, list bullets, "hon." and other honorifics)."""

from spacy.language import Language
from spacy.tokens import Doc

BULLETS = {"-", "•", "*", "–", "·"}

# Parliamentary abbreviations that end in a full stop but never end a sentence.
HONORIFICS = {"hon", "Hon", "Rt", "rt", "Gov", "Cllr", "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr"}

# Full stops after these end no sentence either ("St. Helens", "Acme Ltd. will", "e.g. cases").
ABBREVIATIONS = {"St", "Sir", "etc", "Ltd", "Co", "approx", "cf", "viz", "ie", "eg", "e.g", "i.e", "Sen", "HC", "op", "cit"}

# Within a line, a sentence ends only at one of these (closing quotes and brackets may follow):
# the parser's own guesses elsewhere ("Table (a) shows the times for PIP Special Rules ...",
# "- Developing Your Creative Practice") cut a line that has no full stop in it.
TERMINALS = {".", "!", "?", "…"}
CLOSERS = {"\"", "”", "’", "'", ")", "]"}

# References that a number follows: "para. 4", "No. 1234", "col. 56W", "Cm. 9999".
NUMBERED = {"para", "paras", "No", "Nos", "no", "nos", "p", "pp", "col", "cols", "vol", "Vol", "Cm",
            "Cmnd", "Art", "art", "Sch", "sch", "reg", "Reg", "s", "ss", "c", "fig", "Fig"}


# Either kind of abbreviation: its full stop ends no sentence.
NO_END = HONORIFICS | ABBREVIATIONS


@Language.component("text_boundaries")
def text_boundaries(doc: Doc) -> Doc:
    """Sentence boundaries the parser cannot see: a line break always ends a sentence
    (headlines, list items and page furniture carry no full stop), and 'I refer the
    hon. Member to ...' is one sentence."""
    # Each token's text and spacing read once (each read is a look-up in spaCy's string store),
    # then the rules below in token order: a later rule overrides an earlier one for the same token.
    texts = [token.text for token in doc]
    newline_after = ["\n" in token.whitespace_ or "\n" in token.text for token in doc]
    spaces = [token.is_space for token in doc]
    n = len(doc)
    for i in range(n - 1):
        text, following_text = texts[i], texts[i + 1]
        following_space = spaces[i + 1]
        if newline_after[i] and not following_space:
            doc[i + 1].is_sent_start = True
        elif not following_space and not _ends_sentence_at(i, texts, spaces):
            doc[i + 1].is_sent_start = False
        if text in BULLETS and (i == 0 or newline_after[i - 1]) and not following_space:
            doc[i + 1].is_sent_start = False  # "- publish a plan" is one item
        bare = text.rstrip(".")
        if text in NO_END and following_text == "." and i + 2 < n and not newline_after[i + 1]:
            doc[i + 2].is_sent_start = False
        elif bare in NO_END and text.endswith(".") and not newline_after[i]:
            doc[i + 1].is_sent_start = False
        elif len(text) == 1 and text.isupper() and following_text == "." and i + 2 < n \
                and not newline_after[i + 1] and texts[i + 2][:1].isupper():
            doc[i + 2].is_sent_start = False  # an initial: "J. Smith will ..."
        if bare in NUMBERED:
            # the number may follow the abbreviation's own full stop or a separate "." token
            after = i + 1 if text.endswith(".") else (i + 2 if following_text == "." and i + 2 < n else None)
            if after is not None and (doc[after].like_num or texts[after][:1].isdigit()):
                doc[after].is_sent_start = False
    return doc


def _ends_sentence_at(i: int, texts: list[str], spaces: list[bool]) -> bool:
    """Whether a sentence may end at token i within a line: a full stop, "!", "?", or a closing quote
    or bracket after one ("... said.”")."""
    while (texts[i] in CLOSERS or (spaces[i] and "\n" not in texts[i])) and i > 0:
        i -= 1
    text = texts[i]
    return text in TERMINALS or (len(text) > 1 and text[-1] in TERMINALS)

