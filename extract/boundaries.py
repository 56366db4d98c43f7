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


@Language.component("text_boundaries")
def text_boundaries(doc: Doc) -> Doc:
    """Sentence boundaries the parser cannot see: a line break always ends a sentence
    (headlines, list items and page furniture carry no full stop), and 'I refer the
    hon. Member to ...' is one sentence."""
    for token in doc[:-1]:
        following = doc[token.i + 1]
        if "\n" in token.text_with_ws and not following.is_space:
            following.is_sent_start = True
        elif not following.is_space and not ends_sentence(token):
            following.is_sent_start = False
        if token.text in BULLETS and (token.i == 0 or "\n" in doc[token.i - 1].text_with_ws) and not following.is_space:
            following.is_sent_start = False  # "- publish a plan" is one item
        if token.text in HONORIFICS | ABBREVIATIONS and following.text == "." and token.i + 2 < len(doc) \
                and "\n" not in following.text_with_ws:
            doc[token.i + 2].is_sent_start = False
        elif token.text.rstrip(".") in HONORIFICS | ABBREVIATIONS and token.text.endswith(".") \
                and "\n" not in token.text_with_ws:
            following.is_sent_start = False
        elif len(token.text) == 1 and token.text.isupper() and following.text == "." and token.i + 2 < len(doc) \
                and "\n" not in following.text_with_ws and doc[token.i + 2].text[:1].isupper():
            doc[token.i + 2].is_sent_start = False  # an initial: "J. Smith will ..."
        if token.text.rstrip(".") in NUMBERED:
            # the number may follow the abbreviation's own full stop or a separate "." token
            after = following if token.text.endswith(".") else (
                doc[token.i + 2] if following.text == "." and token.i + 2 < len(doc) else None)
            if after is not None and (after.like_num or after.text[:1].isdigit()):
                after.is_sent_start = False
    return doc


def ends_sentence(token) -> bool:
    """Whether a sentence may end at this token within a line: a full stop, "!", "?", or a
    closing quote or bracket after one ("... said.”")."""
    doc = token.doc
    while (token.text in CLOSERS or (token.is_space and "\n" not in token.text)) and token.i > 0:
        token = doc[token.i - 1]
    return token.text in TERMINALS or (len(token.text) > 1 and token.text[-1] in TERMINALS)
