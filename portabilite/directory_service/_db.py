"""The directory server's PostgreSQL: the schema (Alembic, ``migrations/``) and every query.

The server keeps no state of its own besides this database: any number of instances can run
behind a load balancer on one PostgreSQL (docs/directory-service.md)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

import orjson

__all__ = ["Store", "migrate"]

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK = 7_310_001  # pg_advisory_lock key: one instance migrates, the others wait
CLAIM_MINUTES = 60


def _sqlalchemy_url(url: str) -> str:
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def migrate(database: str) -> None:
    """Bring the schema to the newest revision (Alembic), one instance at a time."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    engine = create_engine(_sqlalchemy_url(database))
    try:
        with engine.connect() as connection:
            connection.execute(text(f"SELECT pg_advisory_lock({_LOCK})"))
            try:
                config = Config()
                config.set_main_option("script_location", str(_MIGRATIONS))
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                connection.commit()
            finally:
                connection.execute(text(f"SELECT pg_advisory_unlock({_LOCK})"))
                connection.commit()
    finally:
        engine.dispose()


class Store:
    """The queries, over a pool of connections (``close()`` when done)."""

    def __init__(self, database: str, *, min_size: int = 1, max_size: int = 20) -> None:
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        self.pool: Any = ConnectionPool(  # rows as dicts (dict_row): typed loosely
            database,
            min_size=min_size,
            max_size=max_size,
            kwargs={"row_factory": dict_row, "autocommit": True},
            open=True,
        )

    def close(self) -> None:
        self.pool.close()

    # -- claims ------------------------------------------------------------------------------
    def new_claim(
        self,
        action: str,
        x_id: str,
        x_handle: str | None,
        bluesky: str | None,
        mastodon: str | None,
    ) -> dict[str, Any]:
        claim = {
            # the Bluesky record's key too: letters and digits, as record keys allow
            "id": secrets.token_hex(8),
            "code": "portabilite-" + secrets.token_urlsafe(12).replace("_", "x").replace("-", "y"),
            "action": action,
            "x_id": x_id,
            "x_handle": x_handle,
            "bluesky": bluesky,
            "mastodon": mastodon,
            "expires_at": datetime.now(timezone.utc) + timedelta(minutes=CLAIM_MINUTES),
        }
        with self.pool.connection() as db:
            db.execute(
                "INSERT INTO claim (id, code, action, x_id, x_handle, bluesky, mastodon,"
                " expires_at) VALUES (%(id)s, %(code)s, %(action)s, %(x_id)s, %(x_handle)s,"
                " %(bluesky)s, %(mastodon)s, %(expires_at)s)",
                claim,
            )
        return claim

    def claim(self, claim_id: str) -> dict[str, Any] | None:
        """A claim still open: not used, not expired."""
        with self.pool.connection() as db:
            return db.execute(
                "SELECT * FROM claim WHERE id = %s AND used_at IS NULL AND expires_at > now()",
                (claim_id,),
            ).fetchone()

    # -- entries -----------------------------------------------------------------------------
    def entry(self, x_id: str) -> dict[str, Any] | None:
        with self.pool.connection() as db:
            row = db.execute("SELECT body FROM entry WHERE x_id = %s", (x_id,)).fetchone()
        return row["body"] if row else None

    def settle(
        self, claim_id: str, entry: dict[str, Any] | None, tombstone: dict[str, Any] | None
    ) -> bool:
        """Use the claim once and put its entry (or its tombstone) in place, in one
        transaction; False when the claim was used meanwhile (a replay)."""
        from psycopg.types.json import Jsonb

        with self.pool.connection() as db, db.transaction():
            used = db.execute(
                "UPDATE claim SET used_at = now() WHERE id = %s AND used_at IS NULL"
                " AND expires_at > now() RETURNING x_id",
                (claim_id,),
            ).fetchone()
            if used is None:
                return False
            if entry is not None:
                db.execute(
                    "INSERT INTO entry (x_id, prefix, x_handle, x_proof, bluesky, mastodon,"
                    " signed_by, body) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (x_id) DO UPDATE SET prefix = excluded.prefix,"
                    " x_handle = excluded.x_handle, x_proof = excluded.x_proof,"
                    " bluesky = excluded.bluesky, mastodon = excluded.mastodon,"
                    " signed_by = excluded.signed_by, body = excluded.body, updated_at = now()",
                    _entry_row(entry),
                )
                db.execute("DELETE FROM tombstone WHERE x_id = %s", (entry["x_id"],))
            if tombstone is not None:
                db.execute("DELETE FROM entry WHERE x_id = %s", (tombstone["x_id"],))
                db.execute(
                    "INSERT INTO tombstone (x_id, prefix, body) VALUES (%s, %s, %s)"
                    " ON CONFLICT (x_id) DO UPDATE SET body = excluded.body, deleted_at = now()",
                    (tombstone["x_id"], tombstone["prefix"], Jsonb(tombstone)),
                )
        return True

    def ranges(self, prefixes: list[str]) -> tuple[list[Any], list[Any]]:
        """Every entry and tombstone of ``prefixes`` (their JSON, as stored), and one more
        look-up counted for today (the only trace a look-up leaves)."""
        with self.pool.connection() as db:
            entries = [
                r["body"]
                for r in db.execute(
                    "SELECT body::text AS body FROM entry WHERE prefix = ANY(%s)", (prefixes,)
                )
            ]
            tombstones = [
                r["body"]
                for r in db.execute(
                    "SELECT body::text AS body FROM tombstone WHERE prefix = ANY(%s)", (prefixes,)
                )
            ]
            db.execute(
                "INSERT INTO lookup_count (day, requests, ranges) VALUES (current_date, 1, %s)"
                " ON CONFLICT (day) DO UPDATE SET requests = lookup_count.requests + 1,"
                " ranges = lookup_count.ranges + excluded.ranges",
                (len(prefixes),),
            )
        return entries, tombstones

    def export(self) -> Iterator[str]:
        """Every entry, then every tombstone, as JSON lines (streamed by a server cursor)."""
        with self.pool.connection() as db:
            db.autocommit = False
            try:
                for table in ("entry", "tombstone"):
                    with db.cursor(name=f"export_{table}") as cursor:
                        cursor.itersize = 5000
                        cursor.execute(f"SELECT body::text AS body FROM {table} ORDER BY x_id")
                        for row in cursor:
                            yield row["body"]
            finally:
                db.rollback()
                db.autocommit = True

    def mirrors(self) -> list[dict[str, str]]:
        """The servers copied here, and the keys their entries are signed with."""
        with self.pool.connection() as db:
            return [
                {"server": r["server"], "public_key": r["public_key"]}
                for r in db.execute("SELECT server, public_key FROM mirror ORDER BY server")
            ]

    def put_many(
        self,
        entries: list[dict[str, Any]],
        tombstones: list[dict[str, Any]],
        origin: dict[str, str] | None = None,
    ) -> None:
        """Entries and tombstones copied from another server's export (checked by the caller,
        signed by ``origin``'s key): a tombstone removes its entry; a newer entry replaces an
        older one."""
        from psycopg.types.json import Jsonb

        with self.pool.connection() as db, db.transaction():
            if origin is not None:
                db.execute(
                    "INSERT INTO mirror (public_key, server) VALUES (%s, %s)"
                    " ON CONFLICT (public_key) DO UPDATE SET copied_at = now()",
                    (origin["public_key"], origin["server"]),
                )
            with db.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO entry (x_id, prefix, x_handle, x_proof, bluesky, mastodon,"
                    " signed_by, body) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (x_id) DO UPDATE SET prefix = excluded.prefix,"
                    " x_handle = excluded.x_handle, x_proof = excluded.x_proof,"
                    " bluesky = excluded.bluesky, mastodon = excluded.mastodon,"
                    " signed_by = excluded.signed_by, body = excluded.body, updated_at = now()"
                    " WHERE (entry.body->>'updated_at') < (excluded.body->>'updated_at')",
                    [_entry_row(e) for e in entries],
                )
                cursor.executemany(
                    "DELETE FROM entry WHERE x_id = %s AND (body->>'updated_at') <= %s",
                    [(t["x_id"], t["deleted_at"]) for t in tombstones],
                )
                cursor.executemany(
                    "INSERT INTO tombstone (x_id, prefix, body) VALUES (%s, %s, %s)"
                    " ON CONFLICT (x_id) DO NOTHING",
                    [(t["x_id"], t["prefix"], Jsonb(t)) for t in tombstones],
                )

    def counts(self) -> dict[str, int]:
        with self.pool.connection() as db:
            row = db.execute(
                "SELECT (SELECT count(*) FROM entry) AS entries,"
                " (SELECT count(*) FROM tombstone) AS tombstones,"
                " (SELECT coalesce(sum(requests), 0) FROM lookup_count) AS lookups"
            ).fetchone()
        return {k: int(v) for k, v in row.items()}


def _entry_row(entry: dict[str, Any]) -> tuple[Any, ...]:
    from psycopg.types.json import Jsonb

    return (
        entry["x_id"],
        entry["prefix"],
        entry.get("x_handle"),
        entry["x_proof"],
        (entry.get("bluesky") or {}).get("did"),
        entry.get("mastodon"),
        entry["signed_by"],
        Jsonb(entry),
    )


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()
