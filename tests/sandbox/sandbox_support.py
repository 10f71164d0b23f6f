"""A tiny independent signer and a synchronous HTTP helper for sandbox tests.

Deliberately not ``sendbee_tui.api``: these tests check the sandbox against the
contract, so the signing here is a third, minimal reading of it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import threading
import time
from typing import Any

import httpx

from sendbee_tui.sandbox import SandboxServer


def token(secret: str, ts: float | None = None) -> str:
    stamp = str(int(time.time() if ts is None else ts))
    sig = hmac.new(secret.encode(), stamp.encode(), hashlib.sha256).hexdigest()
    return base64.b64encode(f"{stamp}.{sig}".encode()).decode()


def headers(server: SandboxServer, ts: float | None = None) -> dict[str, str]:
    return {"X-Api-Key": server.api_key, "X-Auth-Token": token(server.api_secret, ts)}


class Api:
    """``api.get('/contacts', limit=5)`` with fresh auth headers on every call."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.base_url, timeout=10, trust_env=False)

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, params=params, headers=headers(self.server))

    def post(self, path: str, body: Any = None, **kw: Any) -> httpx.Response:
        return self.http.post(path, json=body, headers=headers(self.server), **kw)

    def put(self, path: str, body: Any = None) -> httpx.Response:
        return self.http.put(path, json=body, headers=headers(self.server))

    def delete(self, path: str, body: Any = None) -> httpx.Response:
        return self.http.request("DELETE", path, json=body, headers=headers(self.server))

    def ok(self, response: httpx.Response) -> Any:
        assert response.status_code == 200, response.text
        return response.json()["data"]


def error(response: httpx.Response, status: int) -> dict[str, str]:
    """Assert a contract error envelope with ``status``; return ``{detail, type}``."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body["error"]) >= {"detail", "type"}
    assert "Traceback" not in response.text
    return body["error"]


class FakeClock:
    """An injectable clock for the domain (24 h window, status progression)."""

    def __init__(self, now: float | None = None) -> None:
        self.now = time.time() if now is None else now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class ServerLogs(logging.Handler):
    """Records what the sandbox and uvicorn log, from any thread.

    Attach after ``start()``: uvicorn reconfigures its loggers (dropping their
    handlers) when a server is made. ``lines()`` are the records at INFO and up,
    the ones a console would show.
    """

    NAMES = ("sendbee_tui.sandbox", "uvicorn.error")

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._levels: dict[str, int] = {}
        self._cond = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        with self._cond:
            self.records.append(record)
            self._cond.notify_all()

    def attach(self) -> ServerLogs:
        for name in self.NAMES:
            logger = logging.getLogger(name)
            self._levels[name] = logger.level
            if name.startswith("sendbee_tui"):
                logger.setLevel(logging.DEBUG)
            logger.addHandler(self)
        return self

    def detach(self) -> None:
        for name, level in self._levels.items():
            logger = logging.getLogger(name)
            logger.removeHandler(self)
            logger.setLevel(level)

    def lines(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= logging.INFO]

    def wait_for(self, needle: str, timeout: float = 10.0) -> logging.LogRecord:
        """The first record containing ``needle``, waiting for it to be logged."""

        def found() -> logging.LogRecord | None:
            return next((r for r in self.records if needle in r.getMessage()), None)

        with self._cond:
            self._cond.wait_for(lambda: found() is not None, timeout)
            record = found()
        assert record is not None, [r.getMessage() for r in self.records]
        return record
