"""How colleagues show up on screen: row marks in the list and the line over the thread.

Names come from the agents file on the server, typed by people: they are
cleaned when parsed (:mod:`.hub_client`) and only ever placed in Content as
literal text here, never parsed as markup.  The marks use characters every
terminal draws one cell wide (no emoji, no East Asian "ambiguous" width), so a
row with a mark lines up like one without.
"""

from __future__ import annotations

from textual.content import Content

from sendbee_tui.tui.team.state import TeamState
from sendbee_tui.tui.widgets.conversation_list import RowMark

__all__ = ["CLAIM_MARK", "PRESENCE_MARK", "initials", "presence_line", "row_marks"]

#: Claimed by someone ("⚑ AH") or by this agent ("⚑ me").
CLAIM_MARK = "⚑"
#: Someone else has it open ("◉ AH"), or is typing in it ("◉ AH…").  Not the
#: pencil: the list already uses it for a saved draft.
PRESENCE_MARK = "◉"


def initials(name: str) -> str:
    """``"Ana Horvat"`` -> ``"AH"``; one word gives its first two letters ("?" if none)."""
    words = ["".join(ch for ch in word if ch.isalnum()) for word in name.split()]
    words = [w for w in words if w]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].capitalize()
    return (words[0][0] + words[-1][0]).upper()


def _who(names: tuple[str, ...]) -> str:
    first = initials(names[0])
    return first if len(names) == 1 else f"{first}+{len(names) - 1}"


def row_marks(state: TeamState, conversation_id: str) -> tuple[RowMark, ...]:
    """Marks for a list row: who claimed it, then who else has it open (or types in it)."""
    marks: list[RowMark] = []
    claim = state.owner(conversation_id)
    if claim is not None:
        if state.is_mine(claim):
            marks.append((f"{CLAIM_MARK} me", "$success"))
        else:
            marks.append((f"{CLAIM_MARK} {initials(claim.agent)}", "$warning"))
    others = state.others(conversation_id)
    if others.typing:
        marks.append((f"{PRESENCE_MARK} {_who(others.typing)}…", "$accent bold"))
    elif others.viewing:
        marks.append((f"{PRESENCE_MARK} {_who(others.viewing)}", "$accent"))
    return tuple(marks)


def _names(names: tuple[str, ...]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return f"{names[0]}, {names[1]} and {len(names) - 2} more"


def presence_line(state: TeamState, conversation_id: str | None) -> Content:
    """The line over the thread: the claim, who is typing, who else is viewing.

    Empty when there is nothing to say (the line is then hidden).
    """
    if conversation_id is None:
        return Content("")
    parts: list[Content] = []
    claim = state.owner(conversation_id)
    if claim is not None:
        if state.is_mine(claim):
            parts.append(Content.styled(f"{CLAIM_MARK} You are handling this", "$success"))
        else:
            parts.append(
                Content.assemble(
                    (f"{CLAIM_MARK} ", "$warning"),
                    (claim.agent, "bold $warning"),
                    (" is handling this", "$warning"),
                )
            )
    others = state.others(conversation_id)
    if others.typing:
        verb = " is typing…" if len(others.typing) == 1 else " are typing…"
        parts.append(
            Content.assemble(
                (f"{PRESENCE_MARK} ", "$accent"), (_names(others.typing), "bold"), (verb, "$accent")
            )
        )
    viewing = tuple(n for n in others.viewing if n not in others.typing)
    if viewing:
        verb = " is viewing" if len(viewing) == 1 else " are viewing"
        parts.append(
            Content.assemble(
                (f"{PRESENCE_MARK} ", "$accent"), (_names(viewing), "bold"), (verb, "$text-muted")
            )
        )
    return Content(" · ").join(parts)
