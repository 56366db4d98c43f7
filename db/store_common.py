"""Small helpers the record savers share."""


def upsert_columns(db, table: str, record: dict) -> dict:
    """The record's values for the table's columns (others, like nested lists, stay out)."""
    return {column: record.get(column) for column in db[table].columns_dict if column in record}
