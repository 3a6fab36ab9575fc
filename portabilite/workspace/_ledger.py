"""Write budgets remembered in the workspace: a limit spent by one run holds for the next.

Each spend is committed at once, before the remote call it pays for, so a crash can only make
portabilite more careful, never spend a budget twice.
"""
from __future__ import annotations

import threading

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
                (key, since)).fetchall()
        return [(float(at), int(points)) for at, points in rows]

    def record(self, key: str, at: float, points: int) -> None:
        with self._lock, self.workspace.transaction() as db:
            db.execute("INSERT INTO budget_spend (key, at, points) VALUES (?, ?, ?)",
                       (key, at, points))
            db.execute("DELETE FROM budget_spend WHERE at < ?", (at - KEEP_SECONDS,))
