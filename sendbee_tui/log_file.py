"""The app's log file: private (0600), rotating, redacted, in the data dir."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path
from typing import Any

from sendbee_tui.config import Paths, ensure_private_dir

__all__ = ["configure_logging"]


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that is created (and re-created on rollover) with mode 0600."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def configure_logging(paths: Paths, level: str = "INFO") -> Path | None:
    """Send log records to a private file in the data dir.

    Needed while the TUI owns the terminal: without a handler Python prints
    warnings to stderr, right over the screen.
    """
    log_dir = paths.data_dir / "logs"
    path: Path | None = log_dir / "sendbee-tui.log"
    root = logging.getLogger()
    try:
        ensure_private_dir(log_dir)
        handler: logging.Handler = _PrivateRotatingFileHandler(
            log_dir / "sendbee-tui.log", maxBytes=1_000_000, backupCount=2, encoding="utf-8"
        )
    except OSError:
        handler, path = logging.NullHandler(), None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # Second line of defence: whatever any library logs, credentials are redacted
    # at the handler, which also sees records propagated from child loggers.
    from sendbee_tui.api.redaction import RedactionFilter

    handler.addFilter(RedactionFilter())
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("sendbee_tui").setLevel(level)
    return path
