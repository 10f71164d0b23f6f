"""Which credentials to use: command line, environment, saved profiles — in that order.

Resolution is the CLI's business (the app only ever sees the chosen
:class:`~sendbee_tui.config.Profile`); it lives apart from the config file's
reading and writing so that each module says one thing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
from collections.abc import Mapping
from typing import Any

from sendbee_tui.config import (
    DEFAULT_BASE_URL,
    ENV_API_KEY,
    ENV_API_SECRET,
    ENV_BASE_URL,
    ENV_PROFILE,
    ConfigError,
    ConfigFile,
    Paths,
    Profile,
    default_paths,
    load_config_file,
    validate_base_url,
)
from sendbee_tui.team_mode import TEAM_ACCOUNT_KEY, TEAM_PROFILE_NAME, team_session

logger = logging.getLogger(__name__)


def _arg(args: Any, name: str) -> str | None:
    value = getattr(args, name, None)
    if isinstance(value, str):
        value = value.strip()
    return value or None


def _matching_profile_name(
    profiles: Mapping[str, Profile], api_key: str, base_url: str
) -> str | None:
    for name, profile in profiles.items():
        if profile.api_key == api_key and profile.base_url == base_url:
            return name
    return None


def _adhoc_name(source: str, api_key: str, base_url: str) -> str:
    # A stable, secret-free name, so per-account local state (drafts, read
    # marks) of ad-hoc credentials does not mix with another account's.
    digest = hashlib.sha256(f"{base_url}\0{api_key}".encode()).hexdigest()[:8]
    return f"{source}-{digest}"


def resolve_profile(
    args: Any,
    env: Mapping[str, str] | None = None,
    paths: Paths | None = None,
    *,
    config: ConfigFile | None = None,
) -> Profile | None:
    """Decide which credentials to use, or None when there are none (demo mode).

    Precedence, highest first:

    1. ``--api-key`` / ``--api-secret`` / ``--base-url`` on the command line;
    2. ``$SENDBEE_API_KEY`` / ``$SENDBEE_API_SECRET`` / ``$SENDBEE_BASE_URL``;
    3. the profile named by ``--profile NAME`` (or ``$SENDBEE_PROFILE``);
    4. the config file's ``default_profile`` (or its only profile).

    Key and secret always come as a pair from sources 1-2 (a key on the
    command line with the secret in the environment is fine, and keeps the
    secret out of ``ps``); they are never mixed with a profile's.  A base URL
    from 1-2 also overrides a profile's.  Credentials from 1-2 that match a
    saved profile take its name, so they share its drafts and read marks.

    ``args`` is anything with the argparse attribute names (``api_key``,
    ``api_secret``, ``base_url``, ``profile``); missing attributes count as unset.

    In a team session (``SENDBEE_TUI_TEAM=1``) the credentials must come from
    1-2 (the server puts the session's own hub credentials there), and the
    profile is named ``team`` with local state pinned to one account key:
    see :mod:`sendbee_tui.team_mode`.
    """
    env = os.environ if env is None else env
    team = team_session(env) is not None
    if config is None:
        config = load_config_file(paths if paths is not None else default_paths(env))
    profiles = config.profiles

    base_override = _arg(args, "base_url") or (env.get(ENV_BASE_URL) or "").strip() or None
    if base_override is not None:
        base_override = validate_base_url(base_override)

    cli_key, cli_secret = _arg(args, "api_key"), _arg(args, "api_secret")
    env_key = (env.get(ENV_API_KEY) or "").strip() or None
    env_secret = (env.get(ENV_API_SECRET) or "").strip() or None
    key, secret = cli_key or env_key, cli_secret or env_secret
    if key or secret:
        if not key:
            raise ConfigError(
                f"an API secret was given but no API key: pass --api-key or set {ENV_API_KEY}"
            )
        if not secret:
            raise ConfigError(
                f"an API key was given but no API secret: set {ENV_API_SECRET} "
                "(or pass --api-secret, which other users can see in `ps`)"
            )
        base_url = base_override or DEFAULT_BASE_URL
        source = "cli" if (cli_key or cli_secret) else "env"
        requested = _arg(args, "profile")
        if requested:
            logger.warning(
                "credentials from the %s override --profile %s",
                "command line" if source == "cli" else "environment",
                requested,
            )
        if team:
            return Profile(
                name=TEAM_PROFILE_NAME,
                api_key=key,
                api_secret=secret,
                base_url=base_url,
                pinned_account_key=TEAM_ACCOUNT_KEY,
            )
        name = _matching_profile_name(profiles, key, base_url) or _adhoc_name(source, key, base_url)
        return Profile(name=name, api_key=key, api_secret=secret, base_url=base_url)

    if team:
        raise ConfigError(
            f"a team session needs its hub credentials in {ENV_API_KEY} and {ENV_API_SECRET}"
        )

    requested = _arg(args, "profile") or (env.get(ENV_PROFILE) or "").strip() or None
    if requested:
        if requested not in profiles:
            known = ", ".join(sorted(profiles)) or "none saved yet; run `sendbee-tui setup`"
            raise ConfigError(f"no profile named {requested!r} (profiles: {known})")
        chosen: Profile | None = profiles[requested]
    elif config.default_profile:
        chosen = profiles[config.default_profile]
    elif len(profiles) == 1:
        chosen = next(iter(profiles.values()))
    elif profiles:
        raise ConfigError(
            "several profiles and no default_profile: pass --profile NAME "
            f"(one of {', '.join(sorted(profiles))})"
        )
    else:
        chosen = None
    if chosen is not None and base_override is not None:
        chosen = dataclasses.replace(chosen, base_url=base_override)
    return chosen


__all__ = ["resolve_profile"]
