"""Files only their owner may read: private directories and atomic, mode-0600 writes.

Config (API secrets), local state (drafts are customer conversations) and logs
all go through these, so the rule "never readable by others, not even for a
moment" lives in one place.  No other sendbee_tui module is imported here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make sure only the owner can enter it (0700).

    Only the last component is ours to tighten; parents are created with the
    default mode.  An existing directory with a wider mode is tightened: it is
    this application's own directory and it holds secrets.
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    return path


def atomic_write_private(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Write ``data`` to ``path`` atomically, the file readable by its owner only.

    The temporary file is created with ``os.open(..., 0o600)``, so the content
    is never readable by others at any moment; ``os.replace`` then swaps it in
    so readers see either the old or the new file, never a mix.
    """
    ensure_private_dir(path.parent)
    fd, tmp_name = _create_private_temp(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise


def _create_private_temp(path: Path) -> tuple[int, str]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        name = os.path.join(path.parent, f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file next to {path}")  # pragma: no cover


__all__ = ["atomic_write_private", "ensure_private_dir"]
