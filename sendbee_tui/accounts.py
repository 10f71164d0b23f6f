"""Which account local state (drafts, read marks) belongs to.

Local state used to be filed under the *profile name*, so the same account
saved under another name (or reached through ``$SENDBEE_API_KEY`` instead of
a profile) started with no drafts and everything unread.  :func:`account_key`
names the account itself: the server it lives on and a fingerprint of its API
key.  Re-exported by :mod:`sendbee_tui.config` (``Profile.account_key``).

No other sendbee_tui module is imported at run time, so config can import this.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from sendbee_tui.config import Paths

# Domain separation: the fingerprint matches no plain hash of the key elsewhere.
_FINGERPRINT_PREFIX = b"sendbee-tui account\0"
_DEFAULT_PORTS = {"http": 80, "https": 443}
# The rule of the per-profile state files (state.py before the move to SQLite).
_SAFE_STATE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def normalise_base_url(base_url: str) -> str:
    """``base_url`` in one canonical spelling, so one server gives one account key.

    Lower-case scheme and host, no default port (80/443), no trailing slash,
    and nothing that is not part of the address: user info, query and fragment
    are dropped (user info could even hold a password).
    """
    parts = urlsplit(base_url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal: urlsplit took the brackets off
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # not a number: keep what was written rather than fail
        port = None
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"


def key_fingerprint(api_key: str) -> str:
    """16 hex digits (64 bits) of SHA-256 over the API key: tells keys apart, reveals nothing."""
    return hashlib.sha256(_FINGERPRINT_PREFIX + api_key.strip().encode("utf-8")).hexdigest()[:16]


def account_key(base_url: str, api_key: str) -> str:
    """A stable, secret-free name for one account: ``<normalised base URL>#<fingerprint>``.

    The same key on the same server gives the same value under any profile
    name and from any credential source; a new API key is a new account (the
    old key's drafts stay filed under the old value).  Safe to store and log;
    not meant as a file name (it contains ``/`` and ``:``).
    """
    return f"{normalise_base_url(base_url)}#{key_fingerprint(api_key)}"


def legacy_state_path(paths: Paths, profile_name: str) -> Path:
    """Where the per-profile JSON state of ``profile_name`` lived (for migrating it).

    ``<data_dir>/state/<profile>.json``; names that are not plain (letters,
    digits, ``-``, ``_``; 1-64 characters) were hashed to ``profile-<hex>.json``.
    """
    if _SAFE_STATE_NAME.match(profile_name):
        name = f"{profile_name}.json"
    else:
        name = f"profile-{hashlib.sha256(profile_name.encode('utf-8')).hexdigest()[:16]}.json"
    return Path(paths.data_dir) / "state" / name


__all__ = ["account_key", "key_fingerprint", "legacy_state_path", "normalise_base_url"]
