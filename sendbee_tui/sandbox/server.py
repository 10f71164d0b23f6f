"""Run the sandbox in a background thread: the way tests and the app's demo mode use it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from sendbee_tui.sandbox.app import Faults, SandboxApp
from sendbee_tui.sandbox.demo import DemoSize
from sendbee_tui.sandbox.domain import Sandbox
from sendbee_tui.sandbox.store import Store
from sendbee_tui.sandbox.web.faults import SEND_FAULT_MODES

log = logging.getLogger(__name__)

DEFAULT_API_KEY = "sandbox-key"
DEFAULT_API_SECRET = "sandbox-secret"
DEFAULT_SEED = 20240501


class _Server(uvicorn.Server):
    """uvicorn's server with a main loop that wakes at once when asked to stop.

    The stock loop polls ``should_exit`` every 100 ms; tests start and stop many
    servers, so :meth:`SandboxServer.stop` sets an event instead of waiting.
    """

    wake: asyncio.Event | None = None
    #: Called on the server loop as shutdown begins, before uvicorn waits for open
    #: requests: held and delayed requests must end first, or they would keep it waiting.
    before_shutdown: Callable[[], None] | None = None

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.before_shutdown is not None:
            self.before_shutdown()
        await super().shutdown(sockets=sockets)

    async def main_loop(self) -> None:
        self.wake = asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.wake.wait(), 0.1)


@dataclass(frozen=True)
class SandboxOptions:
    """What shapes a sandbox app; one list of names and defaults.

    :func:`build`, :func:`create_app` and :class:`SandboxServer` all take these
    as keyword arguments, so the names and defaults live here once instead of in
    three signatures that would have to be kept in step (see
    :class:`SandboxServer` for what each one means).
    """

    api_key: str = DEFAULT_API_KEY
    api_secret: str = DEFAULT_API_SECRET
    seed: int = DEFAULT_SEED
    contacts: int = 40
    conversations: int = 60
    messages_per_conversation: int = 50
    big_thread_messages: int = 0
    simulate: float | None = None
    latency_ms: int = 0
    error_rate: float = 0.0
    rate_limit_per_minute: int | None = None
    error_status: int = 500
    send_fault: str | None = None
    send_fault_rate: float = 0.0
    send_fault_next: int = 0
    clock: Callable[[], float] = time.time
    auth_clock: Callable[[], float] = time.time
    delivery_delay: float = 2.0
    read_delay: float = 6.0
    webhook_backoff: tuple[float, ...] | None = None
    rebase_time: bool = False

    def __post_init__(self) -> None:
        if self.send_fault is not None and self.send_fault not in SEND_FAULT_MODES:
            raise ValueError(f"send_fault must be one of {SEND_FAULT_MODES} or None")

    def __repr__(self) -> str:  # never shows the secret
        return f"SandboxOptions(api_key={self.api_key!r}, seed={self.seed!r})"


def build(db_path: str, options: SandboxOptions | None = None, **kwargs: Any) -> SandboxApp:
    """Open (and seed when new) the database and assemble the app around it.

    ``kwargs`` are :class:`SandboxOptions` fields (overriding ``options``).
    """
    o = replace(options, **kwargs) if options is not None else SandboxOptions(**kwargs)
    store = Store(db_path, o.clock)
    size = DemoSize(o.contacts, o.conversations, o.messages_per_conversation, o.big_thread_messages)
    shift = 0.0
    if store.is_empty():
        store.seed(seed=o.seed, size=size)
    elif o.rebase_time:
        shift = store.rebase_time()
    sandbox = Sandbox(
        store, seed=o.seed, size=size, delivery_delay=o.delivery_delay, read_delay=o.read_delay
    )
    sandbox_app = SandboxApp(
        sandbox,
        api_key=o.api_key,
        api_secret=o.api_secret,
        faults=Faults(
            latency_ms=o.latency_ms,
            error_rate=o.error_rate,
            rate_limit_per_minute=o.rate_limit_per_minute,
            error_status=o.error_status,
            send_fault=o.send_fault,
            send_fault_rate=o.send_fault_rate,
            send_fault_next=o.send_fault_next,
        ),
        simulate=o.simulate,
        auth_clock=o.auth_clock,
        webhook_backoff=o.webhook_backoff,
    )
    sandbox_app.time_shift_seconds = shift
    return sandbox_app


def create_app(db_path: str, **kwargs: Any) -> ASGIApp:
    """An ASGI app for any ASGI server (``uvicorn 'module:app'``, tests with a transport)."""
    return build(db_path, **kwargs).app


class SandboxServer:
    """A Sendbee-compatible server on a loopback port, in a daemon thread.

    ``start()`` returns once the socket is listening (the socket is bound here,
    before the thread starts, so the port is known immediately and there is no
    race with port 0). ``stop()`` asks uvicorn to exit, joins the thread, closes
    the database and removes a temporary database it created.

    Options (keyword arguments, the fields of :class:`SandboxOptions`, besides
    ``host`` and ``port``): ``db_path`` None means a fresh temporary database; an existing file
    is reused as is (a new one gets demo data sized by ``contacts``,
    ``conversations``, ``messages_per_conversation`` and ``big_thread_messages``,
    the exact size of the first conversation, for benchmarks). ``simulate``:
    seconds between simulated customer messages. ``latency_ms``, ``error_rate``,
    ``rate_limit_per_minute``, ``error_status``: fault injection (changeable later with
    :meth:`set_faults`). ``send_fault`` (``"drop"``/``"hang"``), ``send_fault_rate`` and
    ``send_fault_next``: committed sends that get no answer (see ``web/faults.py``).
    ``clock``: the domain clock (24-hour window, message status progression,
    timestamps) — auth always uses ``auth_clock``, the wall clock, because clients
    sign with theirs. ``delivery_delay``/``read_delay``:
    seconds from send to ``delivered``/``read``. ``webhook_backoff``: waits
    between delivery attempts. ``rebase_time``: shift an existing database's
    timestamps so its latest activity is a minute ago (keeps a saved demo alive);
    after ``start()``, ``time_shift_seconds`` says by how much (whole seconds, 0
    when nothing moved) so a client can shift its own timestamps (read marks) too.
    """

    def __init__(
        self,
        db_path: str | os.PathLike[str] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        **options: Any,
    ) -> None:
        self._options = SandboxOptions(**options)  # a misspelt option fails here
        self._temp_dir: str | None = None
        if db_path is None:
            self._temp_dir = tempfile.mkdtemp(prefix="sendbee-sandbox-")
            db_path = os.path.join(self._temp_dir, "sandbox.db")
        self.db_path = os.fspath(db_path)
        self.api_key = self._options.api_key
        self.api_secret = self._options.api_secret
        self.host = host
        self._port = port
        self.app: SandboxApp | None = None
        self.time_shift_seconds = 0.0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._error: BaseException | None = None

    def __repr__(self) -> str:  # never shows the secret
        return f"SandboxServer(base_url={self.base_url!r}, db_path={self.db_path!r})"

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._port}"

    @property
    def sandbox(self) -> Sandbox:
        """The domain object (for tests): ``server.sandbox.store`` etc."""
        assert self.app is not None, "start() first"
        return self.app.sandbox

    def start(self, timeout: float = 15.0) -> SandboxServer:
        if self._thread is not None:
            return self
        self.app = build(self.db_path, self._options)
        self.time_shift_seconds = self.app.time_shift_seconds
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose
        # proto says TCP, and without it every response waits ~40 ms on delayed ACKs.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self._port))
        except OSError:
            sock.close()
            self.app.sandbox.store.close()
            raise
        sock.listen(128)
        self._sock = sock
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app.app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=2,
            # Longer than clients keep an idle connection (httpx: 5 s).  Closing at the
            # same 5 s as the client races a request sent on it just then: "Server
            # disconnected", which a send rightly never retries.  Real servers keep
            # idle connections longer too (nginx: 75 s).
            timeout_keep_alive=30,
        )
        self._server = _Server(config)
        self._server.before_shutdown = self.app.begin_shutdown
        started = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._serve(started))
            except BaseException as exc:  # reported to start()
                self._error = exc
                started.set()
            finally:
                loop.close()

        self._thread = threading.Thread(
            target=run, name=f"sendbee-sandbox-{self._port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not started.wait(0.01):
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("sandbox server did not start in time")
        if self._error is not None or not self._server.started:
            err = self._error
            self.stop()
            raise RuntimeError(f"sandbox server failed to start: {err!r}")
        return self

    async def _serve(self, started: threading.Event) -> None:
        assert self._server is not None and self._sock is not None
        task = asyncio.create_task(self._server.serve(sockets=[self._sock]))
        while not self._server.started and not task.done():
            await asyncio.sleep(0.005)
        started.set()
        await task

    def stop(self) -> None:
        """Stop serving, then release the database (and delete it if it was temporary)."""
        if self._server is not None:
            self._server.should_exit = True
            loop, wake = self._loop, self._server.wake
            if loop is not None and wake is not None:
                with contextlib.suppress(RuntimeError):  # loop already closed
                    loop.call_soon_threadsafe(wake.set)
        if self._thread is not None:
            self._thread.join(timeout=10)
            if self._thread.is_alive():
                log.warning("sandbox server thread did not stop in time")
        self._thread = None
        self._server = None
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
            self._sock = None
        if self.app is not None:
            self.app.sandbox.store.close()
            self.app = None
        if self._temp_dir is not None:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self.db_path + suffix)
            with contextlib.suppress(OSError):
                os.rmdir(self._temp_dir)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- Python shortcuts for tests ---------------------------------------------------
    def inbound(
        self,
        phone: str,
        text: str,
        name: str | None = None,
        media_type: str | None = None,
        media_url: str | None = None,
    ) -> dict[str, Any]:
        """A customer message, as ``POST /_sandbox/inbound`` does; returns its ids and data."""
        from sendbee_tui.sandbox.domain.rules import normalize_phone

        result: dict[str, Any] = self.sandbox.inbound(
            phone=normalize_phone(phone),
            text=text,
            name=name,
            media_type=media_type,
            media_url=media_url,
        )
        return result

    def reset(self) -> None:
        """Restore the demo data (``POST /_sandbox/reset``)."""
        self.sandbox.reset()
        assert self.app is not None
        self.app.rate_limiter.clear()

    def set_faults(
        self,
        *,
        latency_ms: int | None = None,
        error_rate: float | None = None,
        rate_limit_per_minute: int | object | None = ...,
        error_status: int | None = None,
        send_fault: str | object | None = ...,
        send_fault_rate: float | None = None,
        send_fault_next: int | None = None,
    ) -> None:
        """Change fault injection at runtime (``POST /_sandbox/faults``).

        ``send_fault=None`` turns send faults off (and zeroes their rate and count).
        """
        assert self.app is not None
        faults = self.app.faults
        if latency_ms is not None:
            faults.latency_ms = latency_ms
        if error_rate is not None:
            faults.error_rate = error_rate
        if error_status is not None:
            faults.error_status = error_status
        if rate_limit_per_minute is not ...:
            faults.rate_limit_per_minute = rate_limit_per_minute  # type: ignore[assignment]
        if send_fault is None:
            faults.send_fault, faults.send_fault_rate, faults.send_fault_next = None, 0.0, 0
        elif send_fault is not ...:
            if send_fault not in SEND_FAULT_MODES:
                raise ValueError(f"send_fault must be one of {SEND_FAULT_MODES} or None")
            faults.send_fault = str(send_fault)
        if send_fault_rate is not None:
            faults.send_fault_rate = send_fault_rate
        if send_fault_next is not None:
            faults.send_fault_next = send_fault_next
        self.app.rate_limiter.clear()

    def wait_for_webhooks(self, timeout: float = 10.0) -> None:
        """Block until no webhook delivery is in flight (tests)."""
        assert self.app is not None
        deadline = time.monotonic() + timeout
        while self.app.webhooks.pending() and time.monotonic() < deadline:
            time.sleep(0.01)
