"""A tiny independent signer and a synchronous HTTP helper for sandbox tests.

Deliberately not ``sendbee_tui.api``: these tests check the sandbox against the
contract, so the signing here is a third, minimal reading of it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
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
