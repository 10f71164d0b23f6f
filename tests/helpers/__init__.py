"""Helpers shared by the whole suite (``tests/`` is on ``sys.path``: ``from helpers import ...``).

* :mod:`helpers.pilot` — waiting in Pilot tests (``settle``, ``wait_for``) and a
  host app that shows one screen on a real client;
* :mod:`helpers.network` — a loopback port that refuses connections;
* :mod:`helpers.idle` — how fast a Pilot key press counts as handled.

The domain harnesses (``tests/tui/inbox_helpers.py``, ``contacts_harness.py``,
``templates_harness.py``) build on these and re-export the waits.
"""

from helpers.network import refused_url
from helpers.pilot import (
    ScreenHost,
    host,
    palette_highlights,
    settle,
    wait_for,
    wait_for_screen,
    wait_until,
)

__all__ = [
    "ScreenHost",
    "host",
    "palette_highlights",
    "refused_url",
    "settle",
    "wait_for",
    "wait_for_screen",
    "wait_until",
]
