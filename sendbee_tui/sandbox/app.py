"""Assembling the ASGI app: routes, error handlers, background tasks, lifecycle.

:class:`SandboxApp` owns the runtime state around the domain
(:class:`~sendbee_tui.sandbox.domain.Sandbox`): fault settings, the rate
limiter, the webhook dispatcher, the status ticker and the customer simulator.
The request pipeline is :mod:`sendbee_tui.sandbox.web.pipeline`, the routes
are :mod:`sendbee_tui.sandbox.web.routes`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route
from starlette.types import ASGIApp

from sendbee_tui.sandbox.domain import Sandbox
from sendbee_tui.sandbox.simulate import Simulator
from sendbee_tui.sandbox.web.connection import ConnectionControl
from sendbee_tui.sandbox.web.context import Context
from sendbee_tui.sandbox.web.envelope import http_error, server_error
from sendbee_tui.sandbox.web.faults import Faults, RateLimiter
from sendbee_tui.sandbox.web.pipeline import Pipeline
from sendbee_tui.sandbox.web.routes import ROUTES
from sendbee_tui.sandbox.webhooks import DEFAULT_BACKOFF, WebhookDispatcher

log = logging.getLogger(__name__)

__all__ = ["Faults", "SandboxApp"]


class SandboxApp:
    """Owns the ASGI app (``.app``) and the runtime state around a :class:`Sandbox`."""

    #: Seconds the saved data was moved forward when it was opened (``rebase_time``);
    #: clients that keep their own timestamps (read marks) shift them by as much.
    time_shift_seconds: float = 0.0

    def __init__(
        self,
        sandbox: Sandbox,
        *,
        api_key: str,
        api_secret: str,
        faults: Faults,
        simulate: float | None = None,
        auth_clock: Callable[[], float] = time.time,
        webhook_backoff: tuple[float, ...] | None = None,
        ticker_interval: float = 0.25,
    ) -> None:
        self.sandbox = sandbox
        self.faults = faults
        self.rate_limiter = RateLimiter()
        self.ticker_interval = ticker_interval
        self.webhooks = WebhookDispatcher(
            sandbox.webhooks_for,
            api_secret,
            sandbox.clock,
            backoff=webhook_backoff if webhook_backoff is not None else DEFAULT_BACKOFF,
        )
        self.simulator = Simulator(sandbox, interval=simulate) if simulate else None
        self.ctx = Context(
            sandbox=sandbox,
            faults=faults,
            rate_limiter=self.rate_limiter,
            deliveries=self.webhooks,
        )
        pipeline = Pipeline(self.ctx, api_key=api_key, api_secret=api_secret, auth_clock=auth_clock)
        starlette = Starlette(
            routes=[
                Route(spec.path, pipeline.endpoint(spec.handler, spec.kind), methods=[spec.method])
                for spec in ROUTES
            ],
            lifespan=self.lifespan,
            exception_handlers={HTTPException: http_error, Exception: server_error},
        )
        self.app: ASGIApp = ConnectionControl(starlette)

    def begin_shutdown(self) -> None:
        """The server is about to stop: end held and delayed requests now (on the loop)."""
        self.ctx.stopping.set()

    # -- lifecycle ------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.ctx.stopping.clear()
        await self.webhooks.start()
        self.sandbox.set_emitter(self.webhooks.emit)
        tasks = [asyncio.create_task(self._ticker(), name="sandbox-status-ticker")]
        if self.simulator is not None:
            tasks.append(asyncio.create_task(self.simulator.run(), name="sandbox-simulator"))
        try:
            yield
        finally:
            self.ctx.stopping.set()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.sandbox.set_emitter(lambda event, data: None)
            await self.webhooks.stop()

    async def _ticker(self) -> None:
        """Turn due status changes (sent -> delivered -> read / failed) into webhooks."""
        while True:
            try:
                self.sandbox.advance_statuses()
            except Exception:
                log.exception("status ticker failed")
            await asyncio.sleep(self.ticker_interval)
