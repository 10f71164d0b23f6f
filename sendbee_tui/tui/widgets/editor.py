"""Compose a reply in the user's $VISUAL / $EDITOR (Ctrl+E), like mutt and aerc."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path


def editor_command() -> list[str]:
    """The editor command line: $VISUAL, then $EDITOR, then vi."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(raw) or ["vi"]


def edit_text(text: str) -> str | None:
    """Open ``text`` in the editor and return the result, or None if the editor failed.

    The temporary file is private (0600) and removed afterwards: it holds a
    customer conversation reply.
    """
    fd, name = tempfile.mkstemp(prefix="sendbee-reply-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        result = subprocess.run([*editor_command(), str(path)], check=False)
        if result.returncode != 0:
            return None
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
