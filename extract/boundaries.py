"""The `text_boundaries` spaCy component: sentence boundaries the parser cannot see
(line breaks, list bullets, "hon." and other honorifics)."""

from spacy.language import Language
from spacy.tokens import Doc

BULLETS = {"-", "•", "*", "–", "·"}

# Parliamentary abbreviations that end in a full stop but never end a sentence.
HONORIFICS = {"hon", "Hon", "Rt", "rt", "Gov", "Cllr", "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr"}

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
        if token.text in BULLETS and (token.i == 0 or "\n" in doc[token.i - 1].text_with_ws) and not following.is_space:
            following.is_sent_start = False  # "- publish a plan" is one item
        if token.text in HONORIFICS and following.text == "." and token.i + 2 < len(doc):
            doc[token.i + 2].is_sent_start = False
        elif token.text.rstrip(".") in HONORIFICS and token.text.endswith("."):
            following.is_sent_start = False
        if token.text.rstrip(".") in NUMBERED:
            # the number may follow the abbreviation's own full stop or a separate "." token
            after = following if token.text.endswith(".") else (
                doc[token.i + 2] if following.text == "." and token.i + 2 < len(doc) else None)
            if after is not None and (after.like_num or after.text[:1].isdigit()):
                after.is_sent_start = False
    return doc
