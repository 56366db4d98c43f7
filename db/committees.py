"""Storing committee records: committees, oral evidence with its turns, written
evidence, and publications with their recommendations and government responses.

Each turn, submission and response section is a `documents` row carrying its
speaker, body and whether it can hold a government commitment at all.
"""

from db.documents import encode_json, save_document
from db.store_common import upsert_columns


def _committee(db, record: dict) -> None:
    row = upsert_columns(db, "committees", record)
    encode_json(row)
    db["committees"].upsert(row, pk="id")


def _oral_evidence(db, record: dict) -> None:
    row = upsert_columns(db, "oral_evidence", record)
    row["turns"] = len(record.get("turns") or [])
    encode_json(row)
    db["oral_evidence"].upsert(row, pk="id")
    for number, witness in enumerate(record.get("witnesses") or [], 1):
        db["witnesses"].upsert({"id": f"{record['id']}:{number}", "session_id": record["id"], **witness,
                                "government": int(bool(witness.get("government")))}, pk="id")
    title = record.get("business") or record.get("committee")
    for turn in record.get("turns") or []:
        save_document(
            db, source="oral_evidence", source_id=record["id"], part=turn["number"], text=turn["text"],
            source_url=record.get("url"), title=" ".join(p for p in (title, turn.get("question")) if p),
            date=record.get("meeting_date"), body=turn.get("body"), person=turn.get("person") or turn.get("speaker"),
            role=turn.get("role"), government=int(bool(turn.get("government"))),
        )


def _written_evidence(db, record: dict) -> None:
    row = upsert_columns(db, "written_evidence", record)
    encode_json(row)
    db["written_evidence"].upsert(row, pk="id")
    if record.get("text"):
        save_document(
            db, source="written_evidence", source_id=record["id"], text=record["text"],
            source_url=record.get("url"), title=" ".join(p for p in (record.get("reference"), record.get("business")) if p),
            date=record.get("publication_date"), body=record.get("body"),
            person=record.get("submitter") if record.get("submitter") != record.get("organisation") else None,
            role=record.get("role"), government=int(bool(record.get("government"))),
        )


def _publication(db, record: dict) -> None:
    row = upsert_columns(db, "publications", record)
    encode_json(row)
    db["publications"].upsert(row, pk="id")
    for recommendation in record.get("recommendations") or []:
        db["recommendations"].upsert(
            {"id": f"{record['id']}:{recommendation['number']}", "report_id": record["id"],
             "number": recommendation["number"], "text": recommendation["text"]}, pk="id")
    report_id = record.get("responds_to")
    for section in record.get("responses") or []:
        document_part = section["number"]
        save_document(
            db, source="publication", source_id=record["id"], part=document_part, text=section["response"],
            source_url=record.get("url"),
            title=f"Response to recommendation {section['number']}" + (f" ({section['status']})" if section.get("status") else ""),
            date=record.get("publication_date"), body=record.get("responding_department"), person=None,
            government=1,
        )
        if report_id is None:
            continue
        recommendation = {"id": f"{report_id}:{section['number']}", "report_id": report_id, "number": section["number"],
                          "response_id": record["id"], "response_status": section.get("status"),
                          "response_text": section["response"],
                          "response_document_id": f"publication:{record['id']}:{document_part}"}
        if not db["recommendations"].count_where("id = ? and text is not null", [recommendation["id"]]):
            # The report itself may come later, or never: keep the recommendation as the response restates it.
            recommendation["text"] = section.get("recommendation")
        db["recommendations"].upsert(recommendation, pk="id")


COMMITTEE_SAVERS = {
    "committee": _committee,
    "oral_evidence": _oral_evidence,
    "written_evidence": _written_evidence,
    "publication": _publication,
}
