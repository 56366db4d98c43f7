"""Cue words for commitment kinds, by lemma. Data, not logic: tune here, measure with `commitments evaluate`."""

FUTURE_MODALS = {"will", "shall", "'ll", "wo", "sha"}
HEDGE_MODALS = {"may", "might", "could", "would", "should"}

# "intends to X", "plans to X", "is going to X", "is due to X": settled intentions.
INTENT_LEMMAS = {"intend", "plan", "go", "due", "commit", "pledge", "promise", "undertake", "propose", "set", "schedule", "expect"}
INTENT_NOUNS = {"commitment", "plan", "intention", "pledge", "promise", "proposal", "undertaking"}
ONGOING_LEMMAS = {"continue", "keep", "remain"}
HEDGE_LEMMAS = {"consider", "explore", "aim", "hope", "seek", "look", "assess", "investigate", "examine", "evaluate", "want", "wish", "try", "endeavour", "strive", "likely"}
NEGATORS = {"not", "never", "n't", "no"}

# Verbs that name no checkable deed without a concrete deliverable.
VAGUE_VERBS = {
    "ensure", "support", "work", "help", "be", "have", "seek", "strive", "aim", "try",
    "want", "encourage", "promote", "protect", "respect", "recognise", "recognize",
    "value", "welcome", "believe", "note", "engage", "listen", "learn", "do", "make",
    "remain", "continue", "keep", "look", "consider", "benefit", "allow", "enable",
    "need", "depend", "vary", "include", "mean", "seem", "appear", "become", "get",
    "play", "take", "give", "provide", "receive", "affect", "apply", "require", "depend",
}
# A promise to keep doing something may use a plain verb ("continue to have
# dialogue", "keep working with"); only these say nothing at all.
NOT_ONGOING_VERBS = {"be", "seem", "appear", "become", "mean", "include", "vary", "depend", "need", "remain"}

# "is committed to" + one of these names a deliverable (firm); + anything else
# it names an aim or a value (none), per the guideline's ruling.
DELIVERABLE_VERBS = {
    "introduce", "publish", "launch", "implement", "legislate", "bring", "set", "establish",
    "create", "fund", "update", "consult", "review", "deliver", "build", "extend", "abolish",
    "repeal", "amend", "reform", "appoint", "release", "hold", "open", "close", "end", "ban",
    "recruit", "invest", "spend", "allocate", "achieve", "meet", "halve", "double", "raise",
    "lower", "cut", "increase", "reduce", "provide", "respond", "complete", "commission", "make",
    "roll", "expand", "replace", "develop", "produce", "issue", "lay", "enshrine", "pass", "host",
}
HEDGE_CONTEXT = {"likely", "possible", "probable", "unlikely", "hope", "aim", "may", "might", "expect", "anticipate"}

CONDITION_MARKERS = {"if", "unless", "once", "provided", "providing", "subject", "when", "whether"}
CONDITION_PHRASES = (
    "parliamentary time allows", "subject to", "if the", "if we", "if it", "if this",
    "provided that", "once the", "once we", "should the", "in the event",
)

# Subjects that are not government: their plans are not government commitments.
OUTSIDE_GOVERNMENT_NOUNS = {
    "authority", "authorities", "council", "councils", "company", "companies", "firm", "firms",
    "provider", "providers", "platform", "platforms", "school", "schools", "university",
    "universities", "employer", "employers", "business", "businesses", "people", "member",
    "members", "user", "users", "applicant", "applicants", "student", "students", "individual",
    "individuals", "claimant", "claimants", "parent", "parents", "operator", "operators",
    "he", "she", "they", "you", "union", "unions", "party", "parties", "media", "charity",
    "charities", "customer", "customers", "patient", "patients", "organisation", "organisations",
    "sector", "industry", "committee", "house", "lord", "lords", "mp", "mps", "peer", "peers",
}
SELF_SUBJECTS = {"we", "i", "us", "government", "department", "ministry", "minister", "ministers",
                 "officials", "secretary", "hmg", "uk", "office"}

PROCEDURAL_PATTERNS = (
    r"not be possible to answer",
    r"answer is being prepared",
    r"(?:will|shall) be provided as soon as",
    r"\brefer (?:the|my) (?:hon|noble|right|honourable)",
    r"\brefer(?:red)? (?:him|her|them|you) to\b",
    r"to the answer (?:I|we|my \w+) gave",
    r"(?:placed?|deposit(?:ed)?) (?:a copy )?in the (?:House )?Librar",
    r"copy (?:of \w+ )?(?:will be|has been|is being) (?:placed|deposited)",
    r"\bI (?:will|shall) write to\b",
    r"\bwrite to (?:the|my) (?:hon|noble|right)",
    r"disproportionate cost",
    r"\b(?:is|are) attached\b|\battached (?:table|document|file|spreadsheet)",
    r"can only be (?:provided|obtained) at",
)
