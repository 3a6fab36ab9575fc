"""``portabilite web``: a local page for the whole flow (issue 14), over the library façade.

    from portabilite.web import Server
    with Server(workspace="w.sqlite3") as server:   # 127.0.0.1, a free port, a new token
        print(server.url)                            # open it: the token is in it
        server.wait()

The page listens on 127.0.0.1 only and answers only whoever holds the token in the address
(``_security`` says how); the long steps run in the server (``_jobs``).
"""

from __future__ import annotations

import os
import socket
import threading
from typing import Any, Callable

from ._security import new_token

__all__ = ["Server", "create_app"]


def create_app(*args: Any, **kwargs: Any) -> Any:
    """The ASGI application (see ``portabilite.web._app.create_app``)."""
    from ._app import create_app as make

    return make(*args, **kwargs)


class Server:
    """The page's server, on 127.0.0.1: ``start()`` in a thread (tests, other tools) or
    ``run()`` in this one (the command). ``port=0``: a free port."""

    def __init__(
        self,
        workspace: str | os.PathLike[str] | None = None,
        accounts: Callable[[], Any] | None = None,
        *,
        port: int = 0,
        avatars: bool = False,
        token: str | None = None,
    ) -> None:
        import uvicorn

        if accounts is None:
            from ..accounts import Accounts

            accounts = Accounts
        self.token = token or new_token()
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port))  # this machine only, never 0.0.0.0
        self.port = self._socket.getsockname()[1]
        from ._jobs import Jobs

        self.jobs = Jobs()  # the long steps running: the command warns of one cut short
        app = create_app(
            workspace,
            accounts,
            token=self.token,
            port=lambda: self.port,
            avatars=avatars,
            jobs=self.jobs,
        )
        # no access log: the first request's address holds the token
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The address to open, token included (printed to the user, never logged)."""
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    def run(self) -> None:
        """Serve until interrupted (Ctrl-C)."""
        self._server.run(sockets=[self._socket])

    def start(self) -> Server:
        self._thread = threading.Thread(target=self.run, name="portabilite-web", daemon=True)
        self._thread.start()
        while not self._server.started and self._thread.is_alive():
            threading.Event().wait(0.02)
        return self

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._socket.close()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
