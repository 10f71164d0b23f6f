"""SIGHUP and SIGTERM end the app within 2 seconds, with drafts saved, whatever is in flight.

Why this needs more than "call ``app.exit()``": when the terminal goes away
(SSH connection dropped, ``tmux kill-session``, terminal window closed) the
kernel sends the session **SIGHUP and then SIGCONT**.  Textual's Linux driver
treats SIGCONT as "resumed after Ctrl+Z" and restarts application mode on the
dead terminal: it starts a second output thread, which dies on its first write
(``EIO``), and from then on every screen update is queued for a thread that
no longer exists.  Once that queue (30 writes) is full the event loop blocks
for good inside ``queue.put`` — typically while the inbox is still loading and
repainting often — and a signal handler that merely schedules ``app.exit()`` on
that loop never gets to run it, so SIGTERM is "ignored" too.

So a signal does three things:

1. makes SIGCONT harmless again (default action: just continue), so Textual
   does not restart on a terminal that is gone;
2. asks the app to exit through its event loop (the clean path: the app closes
   its client and local state, the CLI stops the demo sandbox);
3. starts a watchdog thread that saves local state (drafts, read marks) at
   once, off the event loop, and ends the process with ``os._exit`` if it is
   still alive :data:`HARD_EXIT_AFTER` seconds after the signal — whatever it
   is stuck on: a blocked loop, the sandbox's graceful shutdown waiting for open
   requests, a worker or executor thread that interpreter shutdown would join.

A signal that arrives before the app runs (while the demo sandbox starts, say)
raises :class:`Terminated` in the main thread instead; the watchdog still
bounds the time the unwinding may take.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from types import FrameType
from typing import Any

logger = logging.getLogger(__name__)

#: Seconds from the signal to the hard exit: under the promised 2 s, with room
#: for the kernel to tear the process down.
HARD_EXIT_AFTER = 1.5

EXIT_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)
)


class Terminated(BaseException):
    """A SIGHUP/SIGTERM arrived while no app was running; unwind and exit with ``exit_code``.

    A ``BaseException`` so that ``except Exception`` blocks on the way do not swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(f"terminated by signal {signum}")
        self.signum = signum
        self.exit_code = 128 + signum


def save_local_state(app: Any) -> None:
    """Write the app's pending local state (drafts, read marks) now, if it has any."""
    state = getattr(app, "state", None)
    flush = getattr(state, "flush", None)
    if flush is None:
        return
    try:
        flush()
    except Exception:  # the exit matters more than the report
        logger.exception("saving local state on exit failed")


def _log_before_hard_exit(message: str) -> None:
    """Log ``message`` and flush the log file, never waiting long on a lock a stuck thread holds.

    ``logger.warning`` could block for good on a handler lock held by the
    blocked main thread, and then the hard exit would never happen.
    """
    record = logger.makeRecord(logger.name, logging.WARNING, __file__, 0, message, (), None)
    for handler in logging.getLogger().handlers:
        lock = handler.lock
        if lock is not None and not lock.acquire(timeout=0.05):
            continue
        try:
            if record.levelno >= handler.level:
                handler.handle(record)
            handler.flush()
        except Exception:
            pass
        finally:
            if lock is not None:
                lock.release()


class ExitGuard:
    """Routes SIGHUP/SIGTERM to a save-and-exit that cannot hang (see the module docstring).

    The CLI installs one guard for the whole inbox run (:meth:`installed`) and
    tells it which app is running (:meth:`running`).  ``hard_exit`` and
    ``hard_exit_after`` exist for tests; production uses ``os._exit`` after
    :data:`HARD_EXIT_AFTER` seconds.
    """

    def __init__(
        self,
        *,
        hard_exit_after: float = HARD_EXIT_AFTER,
        hard_exit: Callable[[int], object] = os._exit,
    ) -> None:
        self.hard_exit_after = hard_exit_after
        self._hard_exit = hard_exit
        self.app: Any | None = None
        self.signum: int | None = None
        self._deadline = 0.0
        self._saved = threading.Event()

    @property
    def exit_code(self) -> int | None:
        """``128 + signal number`` once a signal arrived (the shell's convention), else None."""
        return None if self.signum is None else 128 + self.signum

    def remaining(self) -> float:
        """Seconds left before the hard exit (0 when no signal arrived)."""
        if self.signum is None:
            return 0.0
        return max(0.0, self._deadline - time.monotonic())

    # ------------------------------------------------------------------ installing

    @contextlib.contextmanager
    def installed(self) -> Iterator[ExitGuard]:
        """Handle SIGHUP/SIGTERM while the block runs; a no-op outside the main thread."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        # SIGCONT too: the app's driver replaces its handler, and _on_signal resets it.
        restore = (*EXIT_SIGNALS, *([signal.SIGCONT] if hasattr(signal, "SIGCONT") else []))
        previous = {sig: signal.getsignal(sig) for sig in restore}
        for sig in EXIT_SIGNALS:
            signal.signal(sig, self._on_signal)
        try:
            yield self
        finally:
            for sig, handler in previous.items():
                if handler is not None:
                    signal.signal(sig, handler)

    @contextlib.contextmanager
    def running(self, app: Any) -> Iterator[None]:
        """Signals during the block ask ``app`` to exit instead of raising :class:`Terminated`."""
        self.app = app
        try:
            yield
        finally:
            self.app = None

    # ------------------------------------------------------------------ on a signal

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        """The Python-level handler (main thread, between bytecodes): must not block."""
        if self.signum is not None:
            return  # already on the way out, and the watchdog is armed
        self.signum = signum
        self._deadline = time.monotonic() + self.hard_exit_after
        if hasattr(signal, "SIGCONT"):
            # Keep Textual from restarting application mode on a terminal that is gone.
            signal.signal(signal.SIGCONT, signal.SIG_DFL)
        app = self.app
        threading.Thread(
            target=self._watchdog, args=(app, signum), name="sendbee-exit-watchdog", daemon=True
        ).start()
        if app is None:
            raise Terminated(signum)
        _request_exit(app, 128 + signum)

    def _watchdog(self, app: Any, signum: int) -> None:
        # Saving runs in a thread of its own so that a save stuck on a lock held
        # by a blocked thread cannot keep the hard exit from happening.
        saver = threading.Thread(
            target=self._save, args=(app,), name="sendbee-exit-save", daemon=True
        )
        saver.start()
        saver.join(self.remaining())
        time.sleep(self.remaining())
        _log_before_hard_exit(
            f"signal {signum}: still running {self.hard_exit_after:g} s later; exiting hard"
        )
        self._hard_exit(128 + signum)

    def _save(self, app: Any) -> None:
        logger.info("signal %s: saving local state and exiting", self.signum)
        save_local_state(app)
        self._saved.set()

    def wait_saved(self) -> bool:
        """After a signal: wait (until the hard-exit deadline) for the save to finish."""
        if self.signum is None:
            return True
        return self._saved.wait(self.remaining())

    def run_callbacks(self, callbacks: Iterable[Callable[[], None]]) -> None:
        """Run cleanup ``callbacks`` (stopping the demo sandbox); bounded after a signal.

        Normally they run right here.  After a signal they run in a daemon thread
        that the process does not wait for past the deadline: the sandbox's
        graceful shutdown may wait for open requests, and the process must end.
        """

        def run_all() -> None:
            for callback in callbacks:
                try:
                    callback()
                except Exception:  # cleanup must not hide the real outcome
                    logger.exception("cleanup after exit failed")

        if self.signum is None:
            run_all()
            return
        worker = threading.Thread(target=run_all, name="sendbee-exit-cleanup", daemon=True)
        worker.start()
        worker.join(self.remaining())


def _request_exit(app: Any, return_code: int) -> None:
    """Ask ``app`` to exit through its event loop (wakes the loop's selector)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is not None:
        loop.call_soon_threadsafe(lambda: app.exit(return_code=return_code))
    else:
        app.exit(return_code=return_code)


__all__ = ["EXIT_SIGNALS", "HARD_EXIT_AFTER", "ExitGuard", "Terminated", "save_local_state"]
