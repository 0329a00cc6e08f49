"""Build SQL WHERE clauses with placeholders."""


def where_clause(filters: dict[str, object]) -> tuple[str, list[object]]:
    """("WHERE a = ? AND b = ?", [1, 2]) for {"a": 1, "b": 2}; empty for no filters."""
    if not filters:
        return "", []
    parts = []
    params = []
    for column, value in sorted(filters.items()):
        if value is None:
            parts.append(f"{column} IS NULL")
        else:
            parts.append(f"{column} = ?")
            params.append(value)
    clause = "WHERE " + " AND ".join(
        parts
    return clause, params


def select(table: str, filters: dict[str, object]) -> tuple[str, list[object]]:
    """A full SELECT statement and its parameters."""
    clause, params = where_clause(filters)
    return f"SELECT * FROM {table} {clause}".strip(), params
