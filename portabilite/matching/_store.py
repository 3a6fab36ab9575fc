"""The ``match`` table: its one owner. Candidates are stored after each run (what no resolver
produces any more goes, unless the user decided about it); counts, listings and the user's
decisions are read and written here.
"""

from __future__ import annotations

from typing import Any, TypedDict

import orjson

from .._time import now_iso
from ..errors import MatchError
from ..workspace import Workspace
from ._candidates import Candidate
from ._evidence import Evidence

__all__ = [
    "CandidateRun",
    "match_counts",
    "list_matches",
    "decide",
    "decide_all",
    "decisions",
]


_RUN_COLUMNS = (
    "x_id, relation, network, account, handle, display_name, bridged, score, status,"
    " evidence, updated_at"
)


class CandidateRun:
    """One run's candidates, gathered chunk by chunk in a temporary table (a large account
    has hundreds of thousands; none is held in memory past its chunk), then put in place of
    the stored ones in one transaction when the run ends without an error. An interrupted
    run leaves the ``match`` table as it was.

    Outside that last transaction nothing locks the workspace: the temporary table is the
    connection's own, so a run that waits on the networks does not hold other commands up."""

    def __init__(self, ws: Workspace, only: list[str] | None = None) -> None:
        self.ws = ws
        self.now = now_iso()
        self.only = only  # a run over these X ids alone replaces their candidates only

    def __enter__(self) -> "CandidateRun":
        self.ws.conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS run_match (x_id TEXT, relation TEXT,"
            " network TEXT, account TEXT, handle TEXT, display_name TEXT, bridged INTEGER,"
            " score REAL, status TEXT, evidence TEXT, updated_at TEXT, proven INTEGER,"
            " UNIQUE (x_id, network, account))"
        )
        self.ws.conn.execute("DELETE FROM temp.run_match")
        return self

    def add(self, candidates: list[Candidate]) -> None:
        # the same evidence, written once: a directory's candidates mostly share theirs
        records: dict[tuple[Evidence, ...], str] = {}

        def record(evidence: list[Evidence]) -> str:
            key = tuple(evidence)
            text = records.get(key)
            if text is None:
                text = records[key] = orjson.dumps([e.to_record() for e in evidence]).decode()
            return text

        self.ws.conn.executemany(
            f"INSERT OR REPLACE INTO temp.run_match ({_RUN_COLUMNS}, proven)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    cand.x_id,
                    cand.relation,
                    cand.network,
                    cand.account,
                    cand.handle,
                    cand.display_name,
                    int(cand.bridged),
                    *cand.judged,
                    record(cand.evidence),
                    self.now,
                    int(cand.proven),
                )
                for cand in candidates
            ),
        )

    def replace(self, x_ids: list[str], candidates: list[Candidate]) -> None:
        """The candidates of ``x_ids``, matched again."""
        self.ws.conn.execute(
            "DELETE FROM temp.run_match WHERE x_id IN (SELECT value FROM json_each(?))",
            (orjson.dumps(x_ids).decode(),),
        )
        self.add(candidates)

    def shared_accounts(self) -> frozenset[tuple[str, str]]:
        """(network, account lower-cased) proven for more than one X id. A run over some X
        ids (``only``) sees the others' candidates in the ``match`` table: an account stored
        for another X id is shared too, as a whole run would have found it."""
        db = self.ws.conn
        shared = set(
            db.execute(
                "SELECT network, lower(account) FROM temp.run_match WHERE proven"
                " GROUP BY 1, 2 HAVING count(DISTINCT x_id) > 1"
            ).fetchall()
        )
        if self.only is not None:
            db.execute("DROP TABLE IF EXISTS temp.run_proven")
            db.execute(
                "CREATE TEMP TABLE run_proven AS SELECT DISTINCT network, lower(account) AS"
                " account, x_id FROM temp.run_match WHERE proven"
            )
            db.execute("CREATE INDEX temp.run_proven_by_account ON run_proven (network, account)")
            shared.update(
                db.execute(
                    "SELECT DISTINCT p.network, p.account FROM match m JOIN temp.run_proven p"
                    " ON p.network = m.network AND p.account = lower(m.account)"
                    " WHERE m.x_id != p.x_id AND m.decision IS NOT 'rejected'"
                    " AND m.x_id NOT IN (SELECT value FROM json_each(?))",
                    (orjson.dumps(self.only).decode(),),
                ).fetchall()
            )
            db.execute("DROP TABLE temp.run_proven")
        return frozenset(shared)

    def x_ids_on(self, accounts: frozenset[tuple[str, str]]) -> list[str]:
        """The X ids with a proven candidate on one of ``accounts``."""
        wanted = orjson.dumps([list(a) for a in accounts]).decode()
        return [
            x_id
            for (x_id,) in self.ws.conn.execute(
                "SELECT DISTINCT x_id FROM temp.run_match WHERE proven AND"
                " (network, lower(account)) IN (SELECT json_extract(value, '$[0]'),"
                " json_extract(value, '$[1]') FROM json_each(?))",
                (wanted,),
            )
        ]

    def __exit__(self, kind: object, *rest: object) -> None:
        try:
            if kind is None:
                self._put_in_place()
        finally:
            self.ws.conn.execute("DROP TABLE IF EXISTS temp.run_match")

    def _put_in_place(self) -> None:
        with self.ws.transaction() as db:
            db.execute(
                f"INSERT INTO match ({_RUN_COLUMNS}) SELECT {_RUN_COLUMNS} FROM temp.run_match"
                " WHERE true ORDER BY x_id, network, account"
                " ON CONFLICT (x_id, network, account) DO UPDATE SET"
                " handle = excluded.handle, display_name = excluded.display_name,"
                " bridged = excluded.bridged, score = excluded.score, status = excluded.status,"
                " evidence = excluded.evidence, updated_at = excluded.updated_at"
                # a row that did not change is not written again (nor its date moved): most
                # of a large account's candidates, from one run to the next
                " WHERE (match.handle, match.display_name, match.bridged, match.score,"
                " match.status, match.evidence) IS NOT (excluded.handle, excluded.display_name,"
                " excluded.bridged, excluded.score, excluded.status, excluded.evidence)"
            )
            # what no resolver produces any more goes, unless the user decided about it
            db.execute(
                "DELETE FROM match WHERE decision IS NULL AND NOT EXISTS (SELECT 1 FROM"
                " temp.run_match r WHERE r.x_id = match.x_id AND r.network = match.network"
                " AND r.account = match.account)"
                + ("" if self.only is None else " AND x_id IN (SELECT value FROM json_each(?))"),
                () if self.only is None else (orjson.dumps(self.only).decode(),),
            )


_IN_RELATION = (
    "EXISTS (SELECT 1 FROM relation r WHERE r.x_id = m.x_id AND r.kind = ?"
    " AND r.removed_import IS NULL)"
)
_EFFECTIVE = (
    "CASE m.decision WHEN 'accepted' THEN 'confirmed' WHEN 'rejected' THEN 'rejected'"
    " ELSE m.status END"
)


def counts_among(ws: Workspace, x_ids: list[str]) -> dict[str, int]:
    """Of ``x_ids``, how many are ``confirmed`` on one network at least, and how many are
    only ``probable`` (to review) on one at least (the user's decisions counted)."""
    confirmed, probable = ws.conn.execute(
        "SELECT count(*) FILTER (WHERE best = 3), count(*) FILTER (WHERE best = 2) FROM"
        f" (SELECT max(CASE {_EFFECTIVE} WHEN 'confirmed' THEN 3 WHEN 'probable' THEN 2"
        " ELSE 1 END) AS best FROM match m WHERE m.x_id IN (SELECT value FROM json_each(?))"
        " GROUP BY m.x_id)",
        (orjson.dumps(x_ids).decode(),),
    ).fetchone()
    return {"confirmed": int(confirmed or 0), "probable": int(probable or 0)}


def match_counts(ws: Workspace) -> dict[str, Any]:
    """``{"bluesky": {"confirmed": n, "probable": n, "rejected": n}, "mastodon": {...},
    "followers": {...same...}}``: following first, followers reported separately."""
    counts: dict[str, Any] = {}
    for relation, key in (("following", None), ("follower", "followers")):
        target = counts if key is None else counts.setdefault(key, {})
        for network in ("bluesky", "mastodon"):
            per = {"confirmed": 0, "probable": 0, "rejected": 0}
            for status, n in ws.conn.execute(
                f"SELECT {_EFFECTIVE}, count(DISTINCT m.x_id) FROM match m"
                f" WHERE m.network = ? AND {_IN_RELATION} GROUP BY 1",
                (network, relation),
            ):
                per[status] = n
            target[network] = per
    return counts


class Match(TypedDict):
    """A candidate account for a person followed on X (``matches --format json``)."""

    id: int
    x_id: str
    x_handle: str | None  # the newest handle known (hydrated, else the archive's)
    relation: str  # "following" or "follower"
    network: str  # "bluesky" or "mastodon"
    account: dict[str, Any]  # Bluesky: handle, did; Mastodon: address
    display_name: str | None
    bridged: bool  # a bridge account (Bridgy Fed), not the person's own
    status: str  # "confirmed", "probable" or "rejected" (after the user's decision)
    score: float
    evidence: list[dict[str, Any]]  # kind, detail (a sentence), weight, params
    decision: str | None  # "accepted", "rejected" or None


def list_matches(
    ws: Workspace,
    *,
    network: str | None = None,
    status: str | None = None,
    relation: str | None = "following",
) -> list[Match]:
    """``relation``: "following" (default), "follower", or None for both."""
    where, params = [], []
    if network:
        where.append("m.network = ?")
        params.append(network)
    if relation:
        where.append(_IN_RELATION)
        params.append(relation)
    if status:
        where.append(f"{_EFFECTIVE} = ?")
        params.append(status)
    sql = (
        "SELECT m.id, m.x_id, COALESCE(p.screen_name, h.screen_name), m.relation, m.network,"
        " m.account, m.handle,"
        f" m.display_name, m.bridged, {_EFFECTIVE}, m.score, m.evidence, m.decision"
        f" FROM match m LEFT JOIN handle_hint h ON h.x_id = m.x_id"
        f" LEFT JOIN x_profile p ON p.x_id = m.x_id"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + " ORDER BY m.network, m.score DESC, m.x_id"
    )
    out: list[Match] = []
    for (
        id_,
        x_id,
        x_handle,
        relation_,
        network_,
        account,
        handle,
        display_name,
        bridged,
        status_,
        score_,
        evidence,
        decision,
    ) in ws.conn.execute(sql, params):
        if network_ == "bluesky":
            account_json: dict[str, Any] = {
                "handle": handle,
                "did": account if account.startswith("did:") else None,
            }
        else:
            account_json = {"address": account}
        out.append(
            {
                "id": id_,
                "x_id": x_id,
                "x_handle": x_handle,
                "relation": relation_,
                "network": network_,
                "account": account_json,
                "display_name": display_name,
                "bridged": bool(bridged),
                "status": status_,
                "score": score_,
                "evidence": [Evidence.from_record(e).to_json() for e in orjson.loads(evidence)],
                "decision": decision,
            }
        )
    return out


def decide(ws: Workspace, match_id: int, decision: str) -> None:
    """Record the user's review decision (``accepted`` or ``rejected``); re-runs keep it."""
    decide_all(ws, {match_id: decision})


def decide_all(ws: Workspace, decisions: dict[int, str]) -> None:
    """Record several decisions, all or none: an unknown id records nothing."""
    for decision in decisions.values():
        if decision not in ("accepted", "rejected"):
            raise MatchError("match.bad_decision", decision=decision)
    now = now_iso()
    with ws.transaction() as db:
        for match_id, decision in decisions.items():
            changed = db.execute(
                "UPDATE match SET decision = ?, decided_at = ? WHERE id = ?",
                (decision, now, match_id),
            ).rowcount
            if not changed:
                raise MatchError("match.unknown_id", id=match_id)


def decisions(ws: Workspace) -> dict[tuple[str, str, str], str]:
    """``(x_id, network, account lower-cased) -> "accepted" | "rejected"``: the user's word."""
    return {
        (x_id, network, account.lower()): decision
        for x_id, network, account, decision in ws.conn.execute(
            "SELECT x_id, network, account, decision FROM match WHERE decision IS NOT NULL"
        )
    }


def audience_counts(ws: Workspace, relation: str) -> dict[str, Any]:
    """Where the accounts of ``relation`` (``following`` or ``follower``) are, one person once:
    ``total``; per network the best status each has there (``confirmed``, ``probable``,
    ``rejected``) and ``not_found``, with the ``bridged`` among the confirmed; ``anywhere``,
    confirmed on one network at least; and ``instances``, the Mastodon servers of the
    confirmed, most first (``[host, count]``, ten at most)."""
    total = ws.conn.execute(
        "SELECT count(*) FROM relation WHERE kind = ? AND removed_import IS NULL", (relation,)
    ).fetchone()[0]
    rank = "CASE {s} WHEN 'confirmed' THEN 3 WHEN 'probable' THEN 2 ELSE 1 END".format(s=_EFFECTIVE)
    where = f"FROM match m WHERE {_IN_RELATION}"
    result: dict[str, Any] = {"total": total}
    for network in ("bluesky", "mastodon"):
        per = {"confirmed": 0, "probable": 0, "rejected": 0, "bridged": 0}
        for best, bridged, n in ws.conn.execute(
            f"SELECT best, bridged, count(*) FROM (SELECT m.x_id, max({rank}) AS best,"
            f" max(CASE WHEN {_EFFECTIVE} = 'confirmed' THEN m.bridged ELSE 0 END) AS bridged"
            f" {where} AND m.network = ? GROUP BY m.x_id) GROUP BY 1, 2",
            (relation, network),
        ):
            status = {3: "confirmed", 2: "probable", 1: "rejected"}[best]
            per[status] += n
            per["bridged"] += n if bridged else 0
        per["not_found"] = total - per["confirmed"] - per["probable"] - per["rejected"]
        result[network] = per
    result["anywhere"] = ws.conn.execute(
        f"SELECT count(DISTINCT m.x_id) {where} AND {_EFFECTIVE} = 'confirmed'", (relation,)
    ).fetchone()[0]
    result["instances"] = [
        [host, n]
        for host, n in ws.conn.execute(
            "SELECT lower(substr(m.account, instr(m.account, '@') + 1)) AS host,"
            f" count(DISTINCT m.x_id) AS n {where} AND m.network = 'mastodon'"
            f" AND {_EFFECTIVE} = 'confirmed' GROUP BY host ORDER BY n DESC, host LIMIT 10",
            (relation,),
        )
    ]
    return result
