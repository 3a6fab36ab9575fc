"""The page's long steps (an import, a follow run) run in the server, not in the tab: closing
the tab leaves them running, and the page shows them again when it is opened. A follow run
stopped by anything (the server killed included) is resumed by the next one: the journal
makes it exactly once."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["Job", "Jobs"]


@dataclass
class Job:
    kind: str  # "import", "follow"
    state: str = "running"  # running, done, failed
    progress: dict[str, list[int]] = field(default_factory=dict)  # name -> [done, total]
    result: dict[str, Any] | None = None
    failure: Any = None  # the PortabiliteError, or the reason: shown in the reader's language
    started: float = field(default_factory=time.time)

    def update(self, name: str, done: int, total: int) -> None:
        self.progress[name] = [done, total]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "state": self.state,
            "progress": self.progress,
            "result": self.result,
            "error": self.error,
        }

    @property
    def error(self) -> str | None:
        return None if self.failure is None else str(self.failure)


class Jobs:
    """One job at a time: an import during a follow run would change its plan."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}

    def get(self, kind: str) -> Job | None:
        return self._jobs.get(kind)

    def running(self) -> Job | None:
        """The job running now, if any."""
        return next((job for job in self._jobs.values() if job.state == "running"), None)

    def start(self, kind: str, work: Callable[[Job], dict[str, Any]]) -> Job | None:
        """Run ``work(job)`` in a thread; None when a job is running already."""
        from ..errors import PortabiliteError

        with self._lock:
            if self.running() is not None:
                return None
            job = self._jobs[kind] = Job(kind)

        def run() -> None:
            try:
                job.result = work(job)
                job.state = "done"
            except PortabiliteError as exc:  # a sentence for the reader, as the CLI prints
                job.failure, job.state = exc, "failed"
            except Exception as exc:  # shown to the user as a sentence, never a traceback
                from .._reasons import because

                job.failure, job.state = because(exc), "failed"

        threading.Thread(target=run, name=f"portabilite-{kind}", daemon=True).start()
        return job
