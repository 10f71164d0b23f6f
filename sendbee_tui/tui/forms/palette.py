"""Every keyboard action of a screen, also in the command palette (Ctrl+P).

A screen's palette entries come from the key registry (:mod:`sendbee_tui.tui.keys`):
``palette_commands()`` returns :func:`screen_commands` for the screen's scope,
and :class:`ScreenCommands` offers them.  So no screen needs a provider class of
its own, and the palette names the keys in force (after the user's ``[keymap]``)
and never falls behind the bindings.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import NamedTuple, Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.widget import Widget

from sendbee_tui.tui import keys

__all__ = ["HasPaletteCommands", "PaletteCommand", "ScreenCommands", "screen_commands"]


class PaletteCommand(NamedTuple):
    """A command a screen offers to the command palette."""

    name: str
    help: str
    callback: Callable[[], object]


@runtime_checkable
class HasPaletteCommands(Protocol):
    """A screen that lists its actions for :class:`ScreenCommands`."""

    def palette_commands(self) -> list[PaletteCommand]: ...


def _keymap_of(node: DOMNode) -> dict[str, str]:
    """The keymap in force for ``node``'s app; the defaults before it has one."""
    try:
        app = node.app
    except RuntimeError:  # NoActiveAppError: a screen built outside a running app
        return {}
    return keys.keymap_in_force(app)


def _sentence(text: str) -> str:
    """``"Edit the contact"`` -> ``"edit the contact"`` (``"$EDITOR"`` stays as it is)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def screen_commands(
    screen: Widget,
    scope: str,
    title: str,
    *,
    keep: Callable[[keys.KeySpec], bool] | None = None,
) -> list[PaletteCommand]:
    """One palette entry per binding of ``scope`` on ``screen``, named ``"Title: what"``.

    The entry's second line is the keys in force (``"e / ⏎"``).  A plain action
    runs the screen's ``action_<name>`` method; a namespaced or parametrised one
    (``app.pop_screen``) goes through ``run_action``.  ``keep`` leaves out the
    bindings that do not apply now (the outbox screen offers what fits the
    selected reply).
    """
    keymap = _keymap_of(screen)
    commands: list[PaletteCommand] = []
    for spec in keys.SPECS.values():
        if spec.scope != scope or spec.fixed or not spec.keys:
            continue
        if keep is not None and not keep(spec):
            continue
        method = getattr(screen, f"action_{spec.action}", None)
        callback: Callable[[], object] = (
            method if callable(method) else partial(screen.run_action, spec.action)
        )
        name = f"{title}: {_sentence(spec.command or spec.text)}"
        commands.append(PaletteCommand(name, keys.spec_label(spec.id, keymap), callback))
    return commands


class ScreenCommands(Provider):
    """Command palette provider listing the calling screen's ``palette_commands()``.

    Put it in a screen's ``COMMANDS`` and define ``palette_commands()`` (usually
    ``screen_commands(self, "scope", "Title")``); every keyboard action of the
    screen is then also reachable from Ctrl+P without a provider class per screen.
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
