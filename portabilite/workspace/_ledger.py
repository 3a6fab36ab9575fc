"""Write budgets remembered in the workspace: a limit spent by one run holds for the next.

Each spend is committed at once, before the remote call it pays for, so a crash can only make
portabilite more careful, never spend a budget twice.
"""

from __future__ import annotations

import threading
from typing import Sequence

from ._store import Workspace

#: spends older than this can no longer matter (the longest window is a day)
KEEP_SECONDS = 2 * 86_400


class WorkspaceLedger:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._lock = threading.Lock()

    def spends(self, key: str, since: float) -> list[tuple[float, int]]:
        with self._lock:
            rows = self.workspace.conn.execute(
                "SELECT at, points FROM budget_spend WHERE key = ? AND at >= ? ORDER BY at",
                (key, since),
            ).fetchall()
        return [(float(at), int(points)) for at, points in rows]

    def record(self, key: str, at: float, points: int, tag: str | None = None) -> None:
        with self._lock, self.workspace.transaction() as db:
            db.execute(
                "INSERT INTO budget_spend (key, at, points, tag) VALUES (?, ?, ?, ?)",
                (key, at, points, tag),
            )
            db.execute("DELETE FROM budget_spend WHERE at < ?", (at - KEEP_SECONDS,))

    def cancel(self, key: str, tags: Sequence[str]) -> int:
        with self._lock, self.workspace.transaction() as db:
            freed = 0
            for start in range(0, len(tags), 500):
                part = list(tags[start : start + 500])
                marks = ", ".join("?" * len(part))
                (points,) = db.execute(
                    f"SELECT COALESCE(sum(points), 0) FROM budget_spend WHERE key = ?"
                    f" AND tag IN ({marks})",
                    (key, *part),
                ).fetchone()
                db.execute(
                    f"DELETE FROM budget_spend WHERE key = ? AND tag IN ({marks})", (key, *part)
                )
                freed += int(points)
        return freed
