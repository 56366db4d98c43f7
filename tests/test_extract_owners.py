"""Owners: who carries out a deed the government voices.

The guideline counts a commitment whose subject is a public body or scheme other than
the speaker (an agency, a taskforce, a fund, a contractor delivering a scheme, people
receiving a service) and gives it that body's name, or the department that runs the
scheme; only bodies plainly outside government (a company acting for itself, a foreign
or devolved government, a parliamentary committee, people acting for themselves) make
no government commitment. Each sentence here is the project's own.
"""

import pytest

from common.gazetteer import canonical_owner
from extract.pipeline import extract_mentions

ANSWER = {"body": "Department for Transport", "person": "A Minister", "date": "2021-02-01"}


def owners(text, meta=ANSWER):
    return [(m["kind"], m["owner"]) for m in extract_mentions(text, meta)]


@pytest.mark.parametrize("text, owner", [
    # a minister's office is the department whose deed it announces
    ("My right hon. Friend, the Secretary of State for Education, will publish the white paper in the spring.",
     "Department for Education"),
    ("The timing of the next fares review will be announced by the Chancellor of the Exchequer.", "Treasury"),
    ("The Home Secretary will lay the order before Parliament next month.", "Home Office"),
    ("The Civil Service will introduce a new pay framework next year.", "Cabinet Office"),
    # a named regulator or agency owns its own deeds
    ("The FCA will publish its consultation on the new rules in March.", "Financial Conduct Authority"),
    ("The OBR will publish its next forecast in March.", "Office for Budget Responsibility"),
    ("The Student Loans Company will release the figures next month.", "Student Loans Company"),
    ("Sport England will publish the participation figures in May.", "Sport England"),
    # a relative clause's subject is the body it refers to, where that is a body
    ("The Department is supporting HM Treasury, which will deliver the new tax relief.", "Treasury"),
    # "the UK" is the speaker's own country
    ("The UK will publish its strategy for the region next year.", "Department for Transport"),
    ("The United Kingdom will publish its strategy for the region next year.", "Department for Transport"),
    # a nominal commitment belongs to its possessor, not to the one who reports it
    ("The Chancellor of the Exchequer has set out this Government's commitment to reducing consultancy spend by 50%.",
     "Department for Transport"),
    # a unit, a taskforce or a contractor presumed public: it acts for the speaking body
    ("The Rail Delivery Taskforce will publish a report in June.", "Department for Transport"),
    ("The JTIU will open a second office in Leeds next year.", "Department for Transport"),
    ("Our contractors will install the new signals next year.", "Department for Transport"),
    # a nationality that qualifies a thing, not the subject, makes nothing foreign
    ("The next release of Syrian resettlement figures is due to be published in March.", "Department for Transport"),
    ("The British Government will publish its strategy for the region next year.", "Department for Transport"),
    ("This Labour Government will introduce a new animal welfare code next year.", "Department for Transport"),
    ("This Conservative Government will introduce a new animal welfare code next year.", "Department for Transport"),
])
def test_owner_of_a_public_subject(text, owner):
    found = owners(text)
    assert found and all(kind == "firm" for kind, _ in found), found
    assert {o for _, o in found} == {owner}


@pytest.mark.parametrize("text", [
    # devolved and foreign governments, companies, associations acting for themselves
    "The Scottish Government will publish its own housing strategy next year.",
    "Welsh Ministers will publish their own housing strategy next year.",
    "France will publish its strategy for the region next year.",
    "The French Government will publish its strategy for the region next year.",
    "Acme Rail Ltd will open a new depot next year.",
    "The Harbour Operators' Association will publish a code of conduct next year.",
    # people acting for themselves
    "Landlords will publish their own repair plans by the end of the year.",
    "Communities will publish their own neighbourhood plans next year.",
    "Professor Smith will publish her own review in the spring.",
])
def test_plainly_outside_government_is_not_a_commitment(text):
    assert owners(text) == []


def test_a_single_place_name_is_not_a_body():
    """"This England-only consultation": a place used as a word, not the owner."""
    found = owners("This England-only consultation will close on 8 March 2021.")
    assert {o for _, o in found} <= {"Department for Transport"}


def test_people_receiving_a_service_are_not_outside_government():
    """"Everyone will receive a letter": the body sending it acts, so the learned layer may
    promote the sentence (a subject read as outside government is never promoted)."""
    from extract.pipeline import load_nlp

    nlp = load_nlp(finder_config={"kind_model": None})
    for text, outside in [("Everyone will receive a letter by the end of March.", False),
                          ("Claimants will get a payment in April.", False),
                          ("Landlords will publish their own repair plans next year.", True)]:
        doc = nlp.make_doc(text)
        doc._.meta = ANSWER
        doc = nlp(doc)
        assert bool(doc._.outside_sentences) is outside, text


@pytest.mark.parametrize("alias, canonical", [
    ("the Secretary of State for Health and Social Care", "Department of Health and Social Care"),
    ("Chancellor of the Exchequer", "Treasury"),
    ("the Civil Service", "Cabinet Office"),
    ("OBR", "Office for Budget Responsibility"),
    ("National Offender Management Service", "HM Prison and Probation Service"),
])
def test_office_titles_and_agencies_are_canonical(alias, canonical):
    assert canonical_owner(alias) == canonical


@pytest.mark.parametrize("text, expected", [
    # a deed with no doer named belongs to the body the answer is talking about ...
    ("The Student Loans Company will release the first figures next week. Further figures will be published "
     "every month until March.", ["Student Loans Company", "Student Loans Company"]),
    # ... until the speaker's own voice comes back
    ("The Student Loans Company will release the first figures next week. We will publish a review of the "
     "scheme in May. Further figures will be published every month until March.",
     ["Student Loans Company", "Department for Transport", "Department for Transport"]),
    # "the Deputy Prime Minister" is not the Prime Minister
    ("The Deputy Prime Minister will publish the plan in May. The plan will be laid before Parliament in June.",
     ["Department for Transport", "Department for Transport"]),
    # a body named only as a modifier in a relative clause's antecedent does not act
    ("The Secretary of State has commissioned a review of National Health Service waiting lists, which will "
     "report in May.", ["Department for Transport"]),
])
def test_owner_from_the_answers_topic(text, expected):
    assert [o for kind, o in owners(text) if kind == "firm"] == expected


def test_a_ministers_answer_that_records_no_department_speaks_for_the_government():
    # ParlParse's Lords answers name the minister but not the department: the speaker's own
    # promise is the Government's, a body the sentence names keeps its own deed, and a text of
    # another kind with no department still takes the body it names.
    lords = {"body": None, "person": "A Minister", "date": "2009-10-27", "source": "hansard_written_answer"}
    text = "The Department for Transport has reviewed the scheme. We will publish the findings in the spring."
    assert owners(text, lords) == [("firm", "HM Government")]
    assert owners("Ofsted will publish its report next month.", lords) == [("firm", "Ofsted")]
    assert owners(text, {"body": None, "date": "2009-10-27", "source": "press"}) == [("firm", "Department for Transport")]
