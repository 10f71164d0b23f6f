"""Typing tag names: completion from the account's tags, and reading a typed list.

Tags are typed as a comma separated list ("vip, newsletter").  The input
completes the piece being typed from the tags the account already has (→ takes
the suggestion, as everywhere in Textual), so an agent reuses "VIP" instead of
creating "vip " by accident; the parsing maps a typed name to the known
spelling the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.suggester import Suggester

__all__ = ["TagSuggester", "split_tags"]


def split_tags(text: str, known: Iterable[str] = ()) -> list[str]:
    """The tag names in a typed list: trimmed, inner spaces folded, each once.

    A name that matches a known tag apart from case takes the known spelling.
    """
    spelling = {name.casefold(): name for name in known if name}
    names: list[str] = []
    seen: set[str] = set()
    for piece in text.split(","):
        name = " ".join(piece.split())
        if not name or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        names.append(spelling.get(name.casefold(), name))
    return names


class TagSuggester(Suggester):
    """Completes the last comma separated piece of the input from known tag names.

    Case is ignored when matching; the suggestion carries the tag's own
    spelling, and names already typed earlier in the list are not offered again.
    """

    def __init__(self, names: Iterable[str]) -> None:
        # Case-sensitive so the typed text reaches get_suggestion unchanged (the
        # suggestion must start with exactly what is in the box).
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = sorted({n for n in names if n}, key=str.casefold)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        piece = last.lstrip()
        if not piece:
            return None
        typed = {" ".join(p.split()).casefold() for p in head.split(",")}
        start = value[: len(value) - len(piece)]
        for name in self.names:
            folded = name.casefold()
            if folded.startswith(piece.casefold()) and folded not in typed and name != piece:
                return start + name
        return None
