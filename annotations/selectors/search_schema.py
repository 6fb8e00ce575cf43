"""The full-text indexes, per database: SQLite FTS5 tables and PostgreSQL tsvector columns
with GIN indexes, both kept by triggers, so they change in the writing transaction.

`ensure(connection)` is idempotent. It runs in migration 0005 and again after every
`migrate`, because on SQLite Django rebuilds a table to alter it, which drops its triggers.
"""

from __future__ import annotations

# (FTS table, content table, indexed columns)
SQLITE_TABLES = (
    ("annotations_article_fts", "annotations_article", ("title", "text")),
    ("annotations_annotation_fts", "annotations_annotation", ("quote", "note")),
    ("annotations_sentence_fts", "annotations_articlesentence", ("text",)),
)
# Porter stems English ("advised" meets "advising"); diacritics are folded.
SQLITE_TOKENIZE = "porter unicode61 remove_diacritics 2"
# tsvector values are capped at 1 MB: index the first 300,000 characters of a body.
PG_BODY_MAX = 300_000
# A plain column filled by a trigger, not a generated one: PostgreSQL refuses to alter the
# type of a column a generated column reads, which would block later migrations.
PG_COLUMNS = (
    (
        "annotations_article",
        ("title", "text"),
        "setweight(to_tsvector('english', coalesce({r}title, '')), 'A') || "
        f"setweight(to_tsvector('english', left(coalesce({{r}}text, ''), {PG_BODY_MAX})), 'B')",
    ),
    (
        "annotations_annotation",
        ("quote", "note"),
        "setweight(to_tsvector('english', left(coalesce({r}quote, ''), 100000)), 'A') || "
        "setweight(to_tsvector('english', left(coalesce({r}note, ''), 100000)), 'B')",
    ),
    (
        "annotations_articlesentence",
        ("text",),
        f"to_tsvector('english', left(coalesce({{r}}text, ''), {PG_BODY_MAX}))",
    ),
)
SEARCH_COLUMN = "search"


def _sqlite_statements(fts: str, table: str, columns: tuple[str, ...]) -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {cols} ON {table} "
        f"BEGIN {delete} {insert} END",
    ]


def ensure(connection) -> None:
    """Create what is missing of the search indexes on this database; fill new ones."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            existing = {
                row[0]
                for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            for fts, table, columns in SQLITE_TABLES:
                if fts not in existing:
                    cursor.execute(
                        f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(columns)}, "
                        f"content='{table}', content_rowid='id', tokenize='{SQLITE_TOKENIZE}')"
                    )
                    cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
                for statement in _sqlite_statements(fts, table, columns):
                    cursor.execute(statement)
        elif connection.vendor == "postgresql":
            for table, columns, expression in PG_COLUMNS:
                _pg_ensure(cursor, table, columns, expression)


def _pg_ensure(cursor, table: str, columns: tuple[str, ...], expression: str) -> None:
    """Add what is missing only: an ALTER on a table with pending trigger events fails."""
    column = SEARCH_COLUMN
    cursor.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = %s AND column_name = %s",
        [table, column],
    )
    if cursor.fetchone() is None:
        cursor.execute(f"ALTER TABLE {table} ADD COLUMN {column} tsvector")
    cursor.execute(
        f"CREATE OR REPLACE FUNCTION {table}_{column}_fill() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN NEW.{column} := {expression.format(r='NEW.')}; "
        "RETURN NEW; END $$"
    )
    cursor.execute(
        "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
        [f"{table}_{column}", table],
    )
    if cursor.fetchone() is None:
        cursor.execute(
            f"CREATE TRIGGER {table}_{column} BEFORE INSERT OR UPDATE OF {', '.join(columns)} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_{column}_fill()"
        )
    cursor.execute(
        f"UPDATE {table} SET {column} = {expression.format(r='')} WHERE {column} IS NULL"
    )
    cursor.execute("SELECT to_regclass(%s)", [f"{table}_{column}_gin"])
    if cursor.fetchone()[0] is None:
        cursor.execute(f"CREATE INDEX {table}_{column}_gin ON {table} USING gin ({column})")


def drop(connection) -> None:
    """Remove the search indexes (migration 0005 backwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for fts, _table, _columns in SQLITE_TABLES:
                for suffix in ("ai", "ad", "au"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
                cursor.execute(f"DROP TABLE IF EXISTS {fts}")
        elif connection.vendor == "postgresql":
            for table, _columns, _expression in PG_COLUMNS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{SEARCH_COLUMN} ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {table}_{SEARCH_COLUMN}_fill()")
                cursor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {SEARCH_COLUMN}")
