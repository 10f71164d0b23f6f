"""Command palette (Ctrl+P): every inbox action, searchable by name.

The entries are the key registry's ``palette=True`` specs
(:mod:`sendbee_tui.tui.keys`), each shown with the keys in force after the
user's ``[keymap]``; a ``g`` menu entry (``goto.contacts``) opens its screen
directly and shows its two-key sequence (``g c``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from sendbee_tui.tui import keys

__all__ = ["NOT_IN_TEAM_SYSTEM_COMMANDS", "Command", "InboxCommands", "inbox_commands"]

#: Registry scopes offered by the inbox palette, in the order it lists them.
PALETTE_SCOPES = ("folder", "inbox", "composer", "goto", "app")
#: ... and in a team session (claims exist only there).
TEAM_PALETTE_SCOPES = ("folder", "inbox", "team", "composer", "goto", "app")
#: Textual's own palette entries a team session leaves out: a screenshot would be
#: written on the team's host.
NOT_IN_TEAM_SYSTEM_COMMANDS = frozenset({"Screenshot"})

_PICK = re.compile(r"pick\('(\w+)'\)")


@dataclass(frozen=True)
class Command:
    """One palette entry: ``action`` runs on the main screen (or the app with ``app.``)."""

    name: str
    help: str
    action: str
    key: str = ""

    @property
    def label(self) -> str:
        """The name with the keys that do the same: ``"Reply  (r)"``."""
        return f"{self.name}  ({self.key})" if self.key else self.name


def _command(spec: keys.KeySpec, keymap: dict[str, str]) -> Command:
    if spec.scope == "goto":
        # The g menu picks a place; from the palette the app opens it directly.
        match = _PICK.fullmatch(spec.action)
        action = f"app.open_{match.group(1)}" if match else spec.action
        prefix = keys.key_label(keys.keys_for("inbox.goto", keymap)).split(" / ")[0]
        key = f"{prefix} {keys.spec_label(spec.id, keymap)}"
    else:
        # App bindings name the app's own actions; the palette runs them on the app.
        action = f"app.{spec.action}" if spec.scope == "app" else spec.action
        key = keys.spec_label(spec.id, keymap)
    return Command(spec.palette_name, spec.palette_help, action, key)


def inbox_commands(keymap: dict[str, str] | None = None, *, team: bool = False) -> list[Command]:
    """The inbox palette's commands, with the keys in force under ``keymap``.

    ``team``: a team session's palette, with claims and without what a session
    never does (account setup, ``$EDITOR``).
    """
    return [
        _command(spec, keymap or {})
        for scope in (TEAM_PALETTE_SCOPES if team else PALETTE_SCOPES)
        for spec in keys.palette_specs(scope)
        if spec.in_team or not team
    ]


class InboxCommands(Provider):
    """Palette provider for the inbox actions (only while the main screen exists)."""

    def _runner(self, command: Command) -> Callable[[], object]:
        app = self.app
        if command.action.startswith("app."):
            return partial(app.run_action, command.action[4:])
        main = getattr(app, "main_screen", None)
        if main is None:
            return partial(app.notify, "The inbox is not open yet.", markup=False)
        return partial(main.run_action, command.action)

    def _available(self) -> list[Command]:
        team = getattr(getattr(self.app, "config", None), "team", None) is not None
        commands = inbox_commands(keys.keymap_in_force(self.app), team=team)
        if getattr(self.app, "main_screen", None) is None:
            return [c for c in commands if c.action.startswith("app.")]
        return commands

    async def discover(self) -> Hits:
        for command in self._available():
            yield DiscoveryHit(
                command.label, self._runner(command), text=command.name, help=command.help
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._available():
            score = matcher.match(command.name + " " + command.help)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.label),
                    self._runner(command),
                    text=command.name,
                    help=command.help,
                )
