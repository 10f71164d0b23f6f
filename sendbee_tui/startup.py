"""What the ``sendbee-tui`` command does before anything else, to start sooner.

Only the command's entry point (:func:`sendbee_tui.__main__.entry`) calls
:func:`hold_collector` and :func:`skip_httpx_command_line`: the package imported as a
library, the app in tests and the app in a team-server session are left alone, and
:func:`release_collector` is then a no-op.  ``benchmarks/bench_start.py`` measures
the effect (process start to first rows against a Textual hello world).

**The cyclic garbage collector waits until the first rows are painted.**  Starting
the inbox imports ~130 modules of this package, Textual, Rich and httpx and builds
~30 widgets: hundreds of thousands of objects, nearly all of which live as long as
the process.  The collector runs every 700 net allocations and, as the heap grows,
walks those survivors again and again: about 100 ms of a 0.5 s start went to
collections that found next to nothing.  Release *freezes* what exists then
(:func:`gc.freeze`): those objects leave the collector's generations, so later
collections skip the start-up heap as well.  The cycles that became garbage during
start-up are kept (measured in a headless start: about 12,000 objects, ~1.6 MB,
against ~100 MB resident) rather than paying a full collection (~75 ms) just as the
agent starts typing.

**httpx's own command line is not imported.**  ``import httpx`` tries to import
``httpx._main`` (the ``httpx`` command: click, Pygments, rich.syntax, ~16 ms) and
falls back to a stub when that import fails.  A ``None`` in :data:`sys.modules`
makes exactly that import fail (documented import-system behaviour), and nothing
in this process runs the ``httpx`` command.
"""

from __future__ import annotations

import gc
import logging
import sys
import time

log = logging.getLogger(__name__)

_held = False


def hold_collector() -> None:
    """Pause the cyclic collector for start-up (no-op if something else paused it)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release_collector() -> None:
    """Freeze the start-up heap and resume collecting; only undoes :func:`hold_collector`."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
        log.debug(
            "start-up over after %.0f ms of CPU: collector resumed, %d objects frozen",
            time.process_time() * 1000,
            gc.get_freeze_count(),
        )


def collector_held() -> bool:
    """Whether :func:`hold_collector` paused the collector and it is not released yet."""
    return _held


def skip_httpx_command_line() -> None:
    """Make ``import httpx`` skip its command-line module (before httpx is imported)."""
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
