"""The system's Chromium (or Chrome), for ``report --pdf`` and the web page's tests.

portabilite does not download a browser: it uses the one the system has (Debian and Ubuntu:
``apt-get install chromium``), or the one ``PORTABILITE_CHROMIUM`` names. Chromium runs headless
with a new empty profile and its background connections off: printing a report must not
reach the network (the report itself fetches nothing: its Content-Security-Policy forbids it).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .errors import ReportError

__all__ = ["FLAGS", "find_chromium", "print_pdf"]

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

#: headless, and quiet: no first-run, sync, component updates or other background requests
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-extensions",
)


def find_chromium() -> str | None:
    """The path of the system's Chromium or Chrome, or None."""
    named = os.environ.get("PORTABILITE_CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    return next((found for name in _NAMES if (found := shutil.which(name))), None)


def _sandbox_flags() -> tuple[str, ...]:
    # Chromium refuses to start its sandbox as root (containers, CI): only then is it off
    return ("--no-sandbox",) if hasattr(os, "geteuid") and os.geteuid() == 0 else ()


def print_pdf(html: str, out: str | os.PathLike[str], *, timeout: float = 120.0) -> None:
    """Print the page ``html`` to the PDF file ``out`` (readable by the user only, written
    whole or not at all). ``ReportError`` when no Chromium is found or it fails."""
    from ._files import write_private
    from ._reasons import Reason, because

    chromium = find_chromium()
    if chromium is None:
        raise ReportError("report.pdf.no_chromium")
    target = Path(out)
    # the work folder beside the PDF, not in /tmp: a confined Chromium (Ubuntu's snap) sees
    # the user's folders, not this process's /tmp
    with tempfile.TemporaryDirectory(prefix=".portabilite-pdf-", dir=target.parent) as tmp:
        page = Path(tmp) / "report.html"
        printed = Path(tmp) / "report.pdf"
        write_private(page, html)
        command = [
            chromium,
            *FLAGS,
            *_sandbox_flags(),
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ]
        # its own process group: on a timeout, Chromium's helpers are stopped with it
        try:
            process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            raise ReportError("report.pdf.failed", reason=because(exc)) from None
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise ReportError(
                "report.pdf.failed", reason=Reason("report.pdf.timeout", seconds=int(timeout))
            ) from None
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        if code != 0 or not printed.is_file() or printed.stat().st_size == 0:
            raise ReportError("report.pdf.failed", reason=Reason("report.pdf.exit", code=code))
        write_private(target, printed.read_bytes())
