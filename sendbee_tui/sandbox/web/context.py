"""What a route handler gets: the domain, the fault state and the server's signals."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from starlette.requests import Request

from sendbee_tui.sandbox.domain import Sandbox
from sendbee_tui.sandbox.web.faults import Faults, RateLimiter
from sendbee_tui.sandbox.web.params import Params
from sendbee_tui.sandbox.webhooks import WebhookDispatcher


@dataclass
class Context:
    """Shared by every route of one app."""

    sandbox: Sandbox
    faults: Faults
    rate_limiter: RateLimiter
    deliveries: WebhookDispatcher
    #: Set when the server begins to shut down: held and delayed requests end at once.
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    #: Draws injected errors and send faults.
    rng: random.Random = field(default_factory=random.Random)


#: A route handler: parameters in, ``data`` (or a whole envelope, or a Response) out.
Handler = Callable[[Context, Params, Request], Any]

#: ``api``: a Sendbee endpoint (rate limit and faults apply); ``send``: one that
#: sends a message (send faults apply too); ``control``: ``/_sandbox`` (exempt).
RouteKind = Literal["api", "send", "control"]


class RouteSpec(NamedTuple):
    method: str
    path: str
    handler: Handler
    kind: RouteKind = "api"
