"""The persistent outbox: every reply reaches the customer exactly once, or visibly not.

:class:`Outbox` journals each reply in the local store before its request
leaves, sends one at a time per account, and resolves every ambiguous failure
(timeout, dropped connection, 5xx) by reading the conversation instead of
sending again.  See :mod:`sendbee_tui.outbox.service` for the rules and
:mod:`sendbee_tui.outbox.entry` for the states.

Pure asyncio and the API client: no Textual, no sandbox.
"""

from __future__ import annotations

from .entry import ACTIVE_STATES, Kind, OutboxEntry, Payload, State
from .journal import Listener
from .lookup import Candidate, MessageLookup, fill_template
from .rules import NOT_SEEN, WINDOW_CLOSED, Outcome, classify, describe, may_have_arrived
from .sender import WindowCheck
from .service import Outbox, OutboxStateError

__all__ = [
    "ACTIVE_STATES",
    "NOT_SEEN",
    "WINDOW_CLOSED",
    "Candidate",
    "Kind",
    "Listener",
    "MessageLookup",
    "Outbox",
    "OutboxEntry",
    "OutboxStateError",
    "Outcome",
    "Payload",
    "State",
    "WindowCheck",
    "classify",
    "describe",
    "fill_template",
    "may_have_arrived",
]
