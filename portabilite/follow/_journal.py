"""The journal of remote writes (the ``follow_op`` table): its one owner.

Every change of an op's state is a named transition here, committed before the caller goes on
(before the next remote call): ``planned`` → ``sending`` → ``done`` | ``failed`` (and back to
``planned`` when a write is known not to have landed), then ``undoing`` → ``undone``. Rows
travel as ``Op`` objects, never as SQL or dictionaries.

    journal = Journal(ws, "bluesky", did)             # follows; kind="block", "mute", "list"...
    for op in journal.ops("planned"): ...
    journal.sending(batch, batch_id=7)                # record keys and batch committed first
    journal.done([(op, uri) for op, uri in landed])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from .._reasons import shown
from .._time import now_iso
from ..workspace import Workspace

__all__ = ["Op", "Journal", "STATES"]

STATES = ("planned", "sending", "done", "failed", "undoing", "undone")
_COLUMNS = ("id", "target", "x_id", "subject", "rkey", "uri", "batch")


@dataclass(slots=True)
class Op:
    """One remote write to make (a follow, block, mute, list or list item)."""

    id: int
    target: str  # a DID, a handle or a Mastodon address; "<list id> <member>" for a list item
    x_id: str | None
    subject: str | None  # what the network knows it by (a DID, a local account id)
    rkey: str | None  # Bluesky: the record key, chosen once and kept for good
    uri: str | None
    batch: int | None

    @property
    def member(self) -> str:
        """A list item's member (its target after the list id); the target otherwise."""
        return self.target.split(" ", 1)[1] if " " in self.target else self.target

    @property
    def list_id(self) -> str:
        """A list item's X list id."""
        return self.target.split(" ", 1)[0]


class Journal:
    """The ops of one kind, for one account on one network."""

    def __init__(self, ws: Workspace, network: str, owner: str, kind: str = "follow") -> None:
        self.ws, self.network, self.owner, self.kind = ws, network, owner, kind

    # -- reading ------------------------------------------------------------------------------
    def ops(self, state: str) -> list[Op]:
        rows = self.ws.conn.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM follow_op WHERE network = ? AND owner = ?"
            " AND state = ? AND kind = ? ORDER BY id",
            (self.network, self.owner, state, self.kind),
        ).fetchall()
        return [Op(*row) for row in rows]

    def done_today(self) -> int:
        """Ops portabilite made today (UTC) on this account (not those found already there)."""
        return int(
            self.ws.conn.execute(
                "SELECT count(*) FROM follow_op WHERE network = ? AND owner = ? AND kind = ?"
                " AND state = 'done' AND error IS NULL AND substr(done_at, 1, 10) = ?",
                (self.network, self.owner, self.kind, now_iso()[:10]),
            ).fetchone()[0]
        )

    def made(self) -> dict[str, Op]:
        """Done ops by target (the lists made, for their items)."""
        return {op.target: op for op in self.ops("done")}

    def next_batch(self) -> int:
        """A batch number no op holds yet (batches group the ops of one applyWrites call)."""
        row = self.ws.conn.execute("SELECT COALESCE(max(batch), 0) FROM follow_op").fetchone()
        return int(row[0]) + 1

    # -- transitions --------------------------------------------------------------------------
    def plan(self, entries: Iterable[dict[str, Any]]) -> None:
        """Journal planned entries (``target``, ``x_id``, ``match_id``) once: re-planning the
        same target never duplicates."""
        now = now_iso()
        self._run(
            "INSERT INTO follow_op (network, owner, kind, target, x_id, match_id, state,"
            " planned_at) VALUES (?, ?, ?, ?, ?, ?, 'planned', ?) ON CONFLICT DO NOTHING",
            [
                (self.network, self.owner, self.kind, e["target"], e["x_id"], e["match_id"], now)
                for e in entries
            ],
        )

    def resolved(self, pairs: Iterable[tuple[Op, str]]) -> None:
        """Ops whose subject (DID, local account id) is now known."""
        pairs = list(pairs)
        for op, subject in pairs:
            op.subject = subject
        self._run("UPDATE follow_op SET subject = ? WHERE id = ?", [(s, op.id) for op, s in pairs])

    def sending(self, ops: Sequence[Op], batch: int | None = None) -> None:
        """About to be sent: committed with the record key and batch, before the request."""
        now = now_iso()
        self._run(
            "UPDATE follow_op SET state = 'sending', rkey = ?, batch = ?, sent_at = ? WHERE id = ?",
            [(op.rkey, batch, now, op.id) for op in ops],
        )

    def done(self, ops: Iterable[Op | tuple[Op, str | None]], *, note: str | None = None) -> None:
        """The network says these took effect (with the record's URI, when there is one);
        ``note`` for ops found done without portabilite writing them ("already there")."""
        now = now_iso()
        rows = []
        for item in ops:
            op, uri = item if isinstance(item, tuple) else (item, None)
            op.uri = uri or op.uri
            rows.append((op.uri, now, note, op.id))
        self._run(
            "UPDATE follow_op SET state = 'done', uri = ?, done_at = ?, error = ? WHERE id = ?",
            rows,
        )

    def made_as(self, op: Op, subject: str) -> None:
        """A list made on the network, known there as ``subject``."""
        op.subject = subject
        self._run(
            "UPDATE follow_op SET state = 'done', subject = ?, done_at = ? WHERE id = ?",
            [(subject, now_iso(), op.id)],
        )

    def not_sent(self, ops: Iterable[Op]) -> None:
        """Known not to have landed: planned again (a Bluesky op keeps its record key)."""
        self._run(
            "UPDATE follow_op SET state = 'planned', batch = NULL WHERE id = ?",
            [(op.id,) for op in ops],
        )

    def failed(self, ops: Iterable[Op], reason: str) -> None:
        """Refused by the network (or not found there), with the reason in English."""
        self._run(
            "UPDATE follow_op SET state = 'failed', error = ? WHERE id = ?",
            [(reason, op.id) for op in ops],
        )

    def undoing(self, ops: Iterable[Op]) -> None:
        self._run("UPDATE follow_op SET state = 'undoing' WHERE id = ?", [(op.id,) for op in ops])

    def undone(self, ops: Iterable[Op]) -> None:
        now = now_iso()
        self._run(
            "UPDATE follow_op SET state = 'undone', done_at = ? WHERE id = ?",
            [(now, op.id) for op in ops],
        )

    def _run(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            with self.ws.transaction() as db:
                db.executemany(sql, rows)


# -- over every account: what status and the CLI ask ----------------------------------------


def _where(network: str, owner: str | None, kind: str) -> tuple[str, list[str]]:
    where, params = "network = ? AND kind = ?", [network, kind]
    if owner:
        where += " AND owner = ?"
        params.append(owner)
    return where, params


def done_targets(ws: Workspace, network: str, owner: str) -> set[str]:
    """Every target portabilite wrote on this account, whatever the kind (the planner does
    not list them again)."""
    return {
        row[0]
        for row in ws.conn.execute(
            "SELECT target FROM follow_op WHERE network = ? AND owner = ? AND state = 'done'",
            (network, owner),
        )
    }


def journal_counts(
    ws: Workspace, network: str, owner: str | None = None, kind: str = "follow"
) -> dict[str, int]:
    """planned (in all), done, failed, undone, remaining (still to do), for one network (and
    owner)."""
    where, params = _where(network, owner, kind)
    counts = {"planned": 0, "done": 0, "failed": 0, "undone": 0}
    for state, n in ws.conn.execute(
        f"SELECT state, count(*) FROM follow_op WHERE {where} GROUP BY state", params
    ):
        if state in ("planned", "sending"):
            counts["planned"] += n
        elif state in counts:
            counts[state] += n
    counts["remaining"] = counts["planned"]
    counts["planned"] = counts["planned"] + counts["done"] + counts["failed"]
    return counts


def failures(
    ws: Workspace, network: str, owner: str | None = None, kind: str = "follow"
) -> list[tuple[str, int]]:
    """Why ops failed, most common first: ``[(reason, count)]``."""
    where, params = _where(network, owner, kind)
    return [
        (shown(reason) or "?", int(n))  # in the reader's language
        for reason, n in ws.conn.execute(
            f"SELECT error, count(*) FROM follow_op WHERE {where} AND state = 'failed'"
            " GROUP BY error ORDER BY count(*) DESC, error",
            params,
        )
    ]


def retry_failed(ws: Workspace, networks: list[str], kind: str = "follow") -> int:
    """Put the failed ops back in the plan (each keeps its record key); returns how many."""
    marks = ",".join("?" * len(networks))
    with ws.transaction() as db:
        return int(
            db.execute(
                f"UPDATE follow_op SET state = 'planned', error = NULL, batch = NULL WHERE"
                f" state = 'failed' AND kind = ? AND network IN ({marks})",
                [kind, *networks],
            ).rowcount
        )
