"""Every keyboard action of a screen, also in the command palette (Ctrl+P).

A screen lists its actions once in ``palette_commands()``; :class:`ScreenCommands`
offers them, so no screen needs a provider class of its own and the palette
never falls behind the keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

__all__ = ["HasPaletteCommands", "PaletteCommand", "ScreenCommands"]


class PaletteCommand(NamedTuple):
    """A command a screen offers to the command palette."""

    name: str
    help: str
    callback: Callable[[], object]


@runtime_checkable
class HasPaletteCommands(Protocol):
    """A screen that lists its actions for :class:`ScreenCommands`."""

    def palette_commands(self) -> list[PaletteCommand]: ...


class ScreenCommands(Provider):
    """Command palette provider listing the calling screen's ``palette_commands()``.

    Put it in a screen's ``COMMANDS`` and define ``palette_commands()`` returning
    :class:`PaletteCommand` items; every keyboard action of the screen is then also
    reachable from Ctrl+P without a separate provider class per screen.
    """

    def _commands(self) -> list[PaletteCommand]:
        screen = self.screen
        return screen.palette_commands() if isinstance(screen, HasPaletteCommands) else []

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(command.name), command.callback, help=command.help
                )
