"""Fixtures local to the sandbox tests: HTTP helpers bound to the shared servers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sandbox_support import Api

from sendbee_tui.sandbox import SandboxServer


@pytest.fixture(scope="session")
def api(sandbox: SandboxServer) -> Iterator[Api]:
    client = Api(sandbox)
    yield client
    client.close()


@pytest.fixture
def fresh_api(fresh_sandbox: SandboxServer) -> Iterator[Api]:
    client = Api(fresh_sandbox)
    yield client
    client.close()
