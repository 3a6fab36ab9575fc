"""A forward HTTP proxy that injects network faults between portabilite and the real local PDS.

Clients reach it through ``HTTP_PROXY`` (so every request goes through it, the PDS named in the
DID document included). Faults are scripted per XRPC method, one per call, in order:

* ``ok``: forwarded as is;
* ``drop``: the connection is closed without forwarding (the client sees it closed without
  an answer: ``RemoteProtocolError``);
* ``lose``: forwarded and applied by the PDS, then the connection is closed before the answer;
* ``cut``: forwarded, then the answer is cut in the middle of its body;
* ``late``: the connection is closed at once, and the request reaches the PDS a moment later
  (after the client has already retried): the late write of a lost request;
* ``502``: a 502 from the proxy, nothing forwarded;
* ``429``: a 429 with a ``ratelimit-reset`` two seconds ahead, nothing forwarded.
"""

from __future__ import annotations

import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "proxy-authorization",
    "content-length",
}


class FaultProxy:
    def __init__(self) -> None:
        self.script: dict[str, list[str]] = {}
        self.calls: list[tuple[str, str]] = []  # (method, fault)
        self.late: list[threading.Thread] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                proxy._handle(self)

            do_POST = do_GET

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        for thread in self.late:
            thread.join(10)
        self.server.shutdown()
        self.server.server_close()

    def faults(self, method: str) -> list[str]:
        return [fault for name, fault in self.calls if name == method]

    # -- one request ----------------------------------------------------------------------
    def _fault(self, method: str) -> str:
        with self._lock:
            queue = self.script.get(method) or []
            fault = queue.pop(0) if queue else "ok"
            self.calls.append((method, fault))
            return fault

    @staticmethod
    def _forward(method: str, url: str, headers: dict[str, str], body: bytes):
        parts = urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, response.getheaders(), data

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        url = handler.path
        length = int(handler.headers.get("content-length") or 0)
        body = handler.rfile.read(length) if length else b""
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP}
        method = urlsplit(url).path.rsplit("/", 1)[-1]
        fault = self._fault(method)
        if fault == "drop":
            handler.close_connection = True
            return
        if fault == "late":

            def later():
                time.sleep(0.3)  # the client has retried by now
                self._forward(handler.command, url, headers, body)

            thread = threading.Thread(target=later, daemon=True)
            self.late.append(thread)
            thread.start()
            handler.close_connection = True
            return
        if fault in ("502", "429"):
            payload = (
                b'{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}'
                if fault == "429"
                else b"bad gateway"
            )
            handler.send_response(int(fault))
            if fault == "429":
                handler.send_header("ratelimit-reset", str(int(time.time()) + 2))
                handler.send_header("content-type", "application/json")
            handler.send_header("content-length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
            return
        status, answer_headers, data = self._forward(handler.command, url, headers, body)
        if fault == "lose":
            handler.close_connection = True
            return
        handler.send_response(status)
        for name, value in answer_headers:
            if name.lower() not in HOP:
                handler.send_header(name, value)
        handler.send_header("content-length", str(len(data)))
        handler.end_headers()
        if fault == "cut":
            handler.wfile.write(data[: max(len(data) // 2, 1)])
            handler.wfile.flush()
            handler.close_connection = True
            return
        handler.wfile.write(data)
