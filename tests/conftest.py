"""Shared fixtures: a real Sendbee-compatible sandbox server on a loopback port.

* ``sandbox`` — one server per test session (per xdist worker), on a temp db with
  the deterministic demo data. Read from it freely; do not mutate data that
  other tests rely on (sending to a phone you made up yourself is fine).
* ``fresh_sandbox`` — a server of its own for one test, for anything that mutates
  shared data, changes fault injection or depends on exact counts.
* ``refused_url`` — ``http://127.0.0.1:<port>`` where nothing listens for the
  whole test (see ``helpers.network``).

Both servers are :class:`sendbee_tui.sandbox.SandboxServer` objects: ``.base_url``,
``.api_key``, ``.api_secret``, ``.inbound(phone, text, name=None)``, ``.reset()``,
``.set_faults(latency_ms=..., error_rate=..., rate_limit_per_minute=...)``.

Every test also gets the logging configuration it started with back afterwards
(``_isolated_logging``), and Pilot's idle check is the quicker one of
``helpers.idle`` (installed once per process in :func:`pytest_configure`).
Waiting helpers for Pilot tests: ``from helpers import settle, wait_for``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest
from helpers import idle, network

from sendbee_tui.sandbox import SandboxServer


def pytest_configure(config: pytest.Config) -> None:
    idle.install()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto`` (the default): one and a half workers per core, at least two.

    The Pilot tests, most of the suite's time, spend about half of it waiting (for
    the app to go quiet, for the sandbox, for timers): with one worker per core the
    cores idle meanwhile.  On this project's 2-core machine, 3 workers instead of 2
    took the whole suite from about 270 s to about 205 s under the same load.
    ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still decides when set.
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return int(os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"])
    cores = os.cpu_count() or 1
    return max(2, cores * 3 // 2)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fresh_sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def refused_url() -> Iterator[str]:
    with network.refused_url() as url:
        yield url


#: Loggers whose handlers and levels the code under test sets (cli, sandbox cli, team cli).
_WATCHED_LOGGERS = ("", "sendbee_tui", "sendbee_tui.sandbox", "asyncssh")


@pytest.fixture(autouse=True)
def _isolated_logging() -> Iterator[None]:
    """Take away the handlers a test installed and put the levels back.

    ``cli.main()`` and the team and sandbox commands add handlers to the root
    logger; left there, a later test in the same worker writes to a file of a
    removed temp dir or to a closed capture stream.  pytest's own capture
    handlers come and go per test phase and are left to pytest.
    """
    loggers = [logging.getLogger(name or None) for name in _WATCHED_LOGGERS]
    before = [(logger, list(logger.handlers), logger.level) for logger in loggers]
    yield
    for logger, handlers, level in before:
        for handler in logger.handlers[:]:
            if handler not in handlers and not type(handler).__module__.startswith("_pytest"):
                logger.removeHandler(handler)
                handler.close()
        logger.setLevel(level)
