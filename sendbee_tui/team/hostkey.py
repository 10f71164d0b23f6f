"""The SSH host key: loaded, or generated (ed25519, mode 0600) on first start.

The host key is what agents' SSH clients pin in ``known_hosts``; losing it
makes every client warn about a changed host, so it is created once, written
atomically with owner-only permissions from the first byte, and reused.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import asyncssh

from sendbee_tui.config import atomic_write_private

__all__ = ["HostKeyError", "load_or_create_host_key"]

logger = logging.getLogger(__name__)


class HostKeyError(Exception):
    """The host key file exists but cannot be used."""


def load_or_create_host_key(path: Path) -> asyncssh.SSHKey:
    """The private host key at ``path``; a missing file gets a new ed25519 key (0600)."""
    if not path.exists():
        key = asyncssh.generate_private_key("ssh-ed25519", comment="sendbee-tui serve-ssh")
        atomic_write_private(path, key.export_private_key())
        logger.info("generated a new host key %s (%s)", path, key.get_fingerprint())
        return key
    if os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise HostKeyError(
                f"{path} is readable by other users (mode {mode:o}); run: chmod 600 {path}"
            )
    try:
        key = asyncssh.read_private_key(path)
    except (asyncssh.KeyImportError, ValueError) as exc:
        raise HostKeyError(f"{path}: not a usable private key ({type(exc).__name__})") from None
    except OSError as exc:
        raise HostKeyError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return key
