"""Cue words for commitment kinds, by lemma. Data, not logic: tune here, measure with `commitments evaluate`."""

FUTURE_MODALS = {"will", "shall", "'ll", "wo", "sha"}
# "we may review": a hedge only when the speaker is the subject; "services may
# stay open" or "it would require legislation" promise nothing.
HEDGE_MODALS = {"may", "might", "could"}

# "intends to X", "plans to X", "is going to X", "is due to X": settled intentions.
INTENT_LEMMAS = {"intend", "plan", "go", "due", "pledge", "promise", "undertake", "propose", "set", "schedule", "expect"}
INTENT_NOUNS = {"commitment", "plan", "intention", "pledge", "promise", "proposal", "undertaking", "track"}
# Verbs whose object can be a nominal commitment: "this included commitments to X".
NOUN_HEAD_VERBS = {"include", "make", "announce", "set", "reaffirm", "restate", "fulfil", "deliver", "meet",
                   "honour", "have", "be", "give", "repeat", "confirm", "outline"}
ONGOING_LEMMAS = {"continue", "keep"}
HEDGE_LEMMAS = {"consider", "explore", "aim", "hope", "seek", "assess", "investigate", "examine", "evaluate",
                "want", "wish", "try", "endeavour", "strive", "likely"}
# "we are considering the matter", "is looking at": hedges in the progressive.
PROGRESSIVE_HEDGES = {"consider", "explore", "look", "review", "assess", "evaluate", "examine", "investigate"}
# "will work with X to publish Y": the deed is in the purpose clause.
PURPOSE_LEMMAS = {"work", "engage", "collaborate", "partner", "allow", "enable", "help"}
HEDGE_ADVERBS = {"likely", "possibly", "probably", "perhaps", "potentially"}
HEDGE_CONTEXT = {"likely", "possible", "probable", "unlikely", "hope", "aim", "may", "might", "anticipate"}

# Verbs that name no checkable deed without a concrete deliverable.
VAGUE_VERBS = {
    "ensure", "support", "work", "help", "be", "have", "seek", "strive", "aim", "try",
    "want", "encourage", "promote", "protect", "respect", "recognise", "recognize",
    "value", "welcome", "believe", "note", "engage", "listen", "learn", "do",
    "remain", "continue", "keep", "look", "consider", "benefit", "allow", "enable",
    "need", "depend", "vary", "include", "mean", "seem", "appear", "become", "get",
    "play", "receive", "affect", "apply", "require", "empower", "tackle", "address",
    "see", "find", "know", "like", "wish", "expect", "hope", "thank", "follow", "bring", "pull",
}
# These are vague only with a vague object: "provide support" vs "provide a full breakdown".
OBJECT_DEPENDENT_VERBS = {"provide", "make", "give", "take", "offer"}
VAGUE_OBJECTS = {"support", "help", "assistance", "reassurance", "certainty", "clarity", "confidence",
                 "priority", "consideration", "account", "step", "steps", "action", "effort", "efforts",
                 "difference", "progress", "use", "part", "care", "note", "decision", "decisions"}
# "bring forward legislation" is a deed; "bring an end to" is an aim.
PARTICLE_DEEDS = {"bring": {"forward", "in"}, "set": {"up", "out"}, "roll": {"out"}, "draw": {"up"}}

# A promise to keep doing something may use a plain verb ("continue to have
# dialogue", "keep working with"); these say nothing at all, or describe a trend.
NOT_ONGOING_VERBS = {"be", "seem", "appear", "become", "mean", "include", "vary", "depend", "need", "remain",
                     "see", "find", "grow", "rise", "fall", "increase", "decrease", "decline", "evolve",
                     "change", "empower", "face", "experience", "receive"}

# "committed to" + one of these is an aim or a value (none), unless dated or
# quantified ("committed to achieving net zero by 2050" is a target, so firm).
AIM_VERBS = {"achieve", "meet", "reach", "increase", "reduce", "raise", "lower", "cut", "improve", "eliminate",
             "eradicate", "level", "minimise", "minimize", "maximise", "maximize", "maintain", "uphold", "protect",
             "promote", "strengthen", "champion", "safeguard", "enhance", "boost", "transform", "grow", "support",
             "ensure", "tackle", "address", "help", "make", "create", "build", "leverage", "deliver", "bring",
             "drive", "encourage", "empower", "respect", "value", "defend", "preserve", "secure", "give"}
# "remains committed to developing X": an activity under way.
ACTIVITY_VERBS = {"develop", "work", "deliver", "support", "explore", "engage", "invest", "fund", "roll"}
# "will not be compromised": an assurance about a fact, not an action refused.
ASSURANCE_VERBS = {"compromise", "affect", "impact", "undermine", "weaken", "diminish", "harm", "lose",
                   "disadvantage", "penalise", "jeopardise", "damage", "dilute", "prejudice"}
# "will run until 31 March": continuation, not a new deed.
CONTINUATION_VERBS = {"run", "remain", "stay", "last", "apply", "operate", "continue"}

CONDITION_MARKERS = {"if", "unless", "once", "provided", "providing"}
SENTENCE_CONDITIONS = ("parliamentary time allows", "parliamentary time permits", "subject to parliamentary approval",
                       "subject to the outcome", "subject to consultation", "subject to the consultation")

# Scheduled states: "PrEP will be routinely available across England in 2020/21".
SCHEDULED_STATES = {"available", "operational", "live", "ready", "open", "place", "force", "effect"}

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
    "institution", "institutions", "setting", "settings", "trust", "trusts", "critic", "critics",
    "campaigner", "campaigners", "opposition", "labour", "country", "countries",
    "worker", "workers", "staff", "volunteer", "volunteers", "carer", "carers", "nurse", "nurses",
    "doctor", "doctors", "teacher", "teachers", "child", "children", "family", "families", "resident",
    "residents", "citizen", "citizens", "national", "nationals", "visitor", "visitors", "traveller", "travellers",
    "administration", "administrations",
}
# Places whose name in a subject does not make it foreign: "the UK Government".
HOME_PLACES = {"uk", "united kingdom", "britain", "great britain", "england", "british", "hm", "her majesty's",
               "his majesty's", "english"}
# A named programme speaks for the department that runs it ("the National
# Leisure Recovery Fund seeks to ...").
PROGRAMME_MARKERS = {"fund", "programme", "program", "scheme", "plan", "strategy", "review", "initiative",
                     "package", "grant", "service", "bill", "act", "regime", "hub", "centre"}
# "The NHS Long Term Plan sets a clear ambition that ...": aims are hedges.
HEDGE_NOUNS = {"ambition", "aim", "aspiration", "goal", "objective"}
SELF_SUBJECTS = {"we", "i", "us", "government", "department", "ministry", "minister", "ministers",
                 "officials", "secretary", "hmg", "office", "spokesperson", "spokesman", "spokeswoman"}
RELATIVE_PRONOUNS = {"which", "that", "who"}
# Words in a name that mark a public body ("Tavistock and Portman NHS Foundation
# Trust", "Network Rail", "Joint Consultative Working Group").
PUBLIC_BODY_MARKERS = {"nhs", "agency", "commission", "authority", "executive", "inspectorate", "ofsted",
                       "ofqual", "ofgem", "ofwat", "ofcom", "regulator", "council", "board", "rail",
                       "highways", "service", "trust", "group", "office", "department", "ministry",
                       "hmrc", "dvla", "dvsa", "england", "bank"}
REPORTING_VERBS = {"say", "confirm", "announce", "state", "report", "argue", "claim", "suggest", "call",
                   "warn", "tell", "insist", "add", "explain", "note", "believe", "think"}

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
    r"\b(?:is|are) attached\b|\b(?:see|set out in|given in|provided in|found in|shown in) the attached\b",
    r"can only be (?:provided|obtained) at",
    r"\bI have (?:therefore )?asked (?:the|its) (?:\w+ )?(?:Chief Executive|Authority|Agency|Director)\b.*\bto (?:respond|reply|write)",
)

# Press pages: navigation, comment forms, newsletter boxes and cookie notices.
FURNITURE_PATTERNS = (
    r"email address will not be published", r"required fields are marked", r"leave a (?:reply|comment)",
    r"subscri(?:be|ption)", r"newsletter", r"\bcookies?\b", r"sign up\b", r"log ?in to\b",
    r"you(?:'|’)ll hear from us", r"all rights reserved", r"share (?:this|on)\b", r"related (?:content|articles?)",
    r"read more\b", r"learn more\b", r"^main content$", r"privacy (?:policy|notice)",
)
