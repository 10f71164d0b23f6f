"""Test support for the API client tests (imported by conftest and tests).

``recorder`` is a real HTTP/1.1 server on loopback (stdlib ``http.server`` in a
thread) that records every request and answers from a script. Request-shape
tests use it rather than a mock transport so that the bytes on the wire (query
encoding, JSON bodies on DELETE, headers) are what a real server receives.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

API_KEY = "test-api-key-0123"
API_SECRET = "test-secret-abcdef-4567"


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    raw_query: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Reply:
    """A scripted answer. ``drop=True`` reads the request and closes without answering."""

    status: int = 200
    body: Any = field(default_factory=lambda: {"data": []})
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


class Recorder:
    """The scripted loopback server (see module docstring)."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._script: dict[tuple[str, str], deque[Reply]] = defaultdict(deque)
        self._default: dict[tuple[str, str], Reply] = {}
        self._by_page: dict[tuple[str, str], dict[int, Reply]] = {}
        self._lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                rec = Recorded(
                    method=self.command,
                    path=parts.path,
                    raw_query=parts.query,
                    query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                reply = recorder._next(rec)
                if reply.drop:
                    self.close_connection = True
                    return
                payload = json.dumps(reply.body).encode() if reply.body is not None else b""
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def _next(self, rec: Recorded) -> Reply:
        with self._lock:
            self.requests.append(rec)
            key = (rec.method, rec.path)
            by_page = self._by_page.get(key)
            if by_page is not None and int(rec.query.get("page", "1")) in by_page:
                return by_page[int(rec.query.get("page", "1"))]
            if self._script[key]:
                return self._script[key].popleft()
            return self._default.get(key, Reply())

    def reply(self, method: str, path: str, *replies: Reply) -> None:
        """Queue one-shot replies for ``method path`` (used in order)."""
        self._script[(method, path)].extend(replies)

    def reply_by_page(self, method: str, path: str, pages: dict[int, Reply]) -> None:
        """Answer ``method path`` by its ``page`` parameter (1 when absent).

        Pages fetched concurrently arrive in any order: :meth:`reply`'s queue would
        hand page 2's answer to whichever request came first.  Pages not listed get
        the queued or :meth:`always` reply.
        """
        self._by_page[(method, path)] = pages

    def always(self, method: str, path: str, reply: Reply) -> None:
        """The reply once the queue for ``method path`` is empty."""
        self._default[(method, path)] = reply

    @property
    def last(self) -> Recorded:
        return self.requests[-1]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeSleep:
    """Records retry waits instead of sleeping (keeps retry tests instant)."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
