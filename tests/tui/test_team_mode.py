"""Team mode pieces on their own: names, marks, the presence line, state, the presence loop."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from sendbee_tui.team_mode import TeamSession, team_session
from sendbee_tui.tui.inbox.filters import ListFilter, apply
from sendbee_tui.tui.screens.list_filter import ListFilterModal
from sendbee_tui.tui.team.hub_client import (
    Claim,
    ConversationPresence,
    PresenceDoc,
    parse_claim,
    parse_presence,
)
from sendbee_tui.tui.team.marks import initials, presence_line, row_marks
from sendbee_tui.tui.team.presence import PresenceLoop
from sendbee_tui.tui.team.state import TeamState

ANA = TeamSession(agent="Ana Horvat", member_id="m-ana", session_id="s1")


def state_with(
    claims: dict[str, str] | None = None, presence: dict[str, ConversationPresence] | None = None
) -> TeamState:
    state = TeamState(ANA)
    members = {"Ana Horvat": "m-ana", "Borna Kovač": "m-borna"}
    state.set_claims(
        {cid: Claim(cid, who, members.get(who, "")) for cid, who in (claims or {}).items()}
    )
    state.set_presence(PresenceDoc(conversations=presence or {}))
    return state


def test_team_session_from_the_environment() -> None:
    assert team_session({}) is None
    assert team_session({"SENDBEE_TUI_TEAM": "0", "SENDBEE_TUI_TEAM_AGENT": "Ana"}) is None
    assert team_session({"SENDBEE_TUI_TEAM": "1"}) == TeamSession(agent="agent")
    odd = team_session({"SENDBEE_TUI_TEAM": "1", "SENDBEE_TUI_TEAM_AGENT": " Ana\x07\n" + "x" * 99})
    assert odd is not None and odd.agent.startswith("Anax") and len(odd.agent) == 80


def test_initials() -> None:
    assert initials("Ana Horvat") == "AH"
    assert initials("Borna Kovač") == "BK"
    assert initials("cvita") == "Cv"
    assert initials("Jean-Luc de la Tour") == "JT"
    assert initials("李 小龙") == "李小"
    assert initials("[b]  ") == "B"
    assert initials("!!") == "?"


def test_row_marks_name_the_owner_and_the_others() -> None:
    state = state_with(
        claims={"c1": "Ana Horvat", "c2": "Borna Kovač"},
        presence={
            "c2": ConversationPresence(viewing=("Borna Kovač",)),
            "c3": ConversationPresence(viewing=("Borna Kovač", "Cvita"), typing=("Cvita",)),
        },
    )
    assert row_marks(state, "c1") == (("⚑ me", "$success"),)
    assert row_marks(state, "c2") == (("⚑ BK", "$warning"), ("◉ BK", "$accent"))
    assert row_marks(state, "c3") == (("◉ Cv…", "$accent bold"),)
    state.set_presence(
        PresenceDoc(conversations={"c3": ConversationPresence(viewing=("Borna Kovač", "Cvita"))})
    )
    assert row_marks(state, "c3") == (("◉ BK+1", "$accent"),)
    assert row_marks(state, "nobody") == ()


def test_the_presence_line_in_words_and_names_stay_literal() -> None:
    state = state_with(
        claims={"c1": "Borna Kovač"},
        presence={
            "c1": ConversationPresence(
                viewing=("[b]Eve[/b]", "Borna Kovač"), typing=("[b]Eve[/b]",)
            )
        },
    )
    line = presence_line(state, "c1")
    assert line.plain == (
        "⚑ Borna Kovač is handling this · ◉ [b]Eve[/b] is typing… · ◉ Borna Kovač is viewing"
    )
    state.claimed(Claim("c2", "Ana Horvat", "m-ana"))
    assert presence_line(state, "c2").plain == "⚑ You are handling this"
    assert presence_line(state, "c3").plain == ""
    assert presence_line(state, None).plain == ""
    many = state_with(presence={"c": ConversationPresence(viewing=("A a", "B b", "C c", "D d"))})
    assert presence_line(many, "c").plain == "◉ A a, B b and 2 more are viewing"


def test_parsing_cleans_names_and_skips_what_is_not_a_document() -> None:
    doc = parse_presence(
        {
            "online": [{"name": "Ana\x1b[31m Horvat"}, "junk", {"name": 5}],
            "conversations": {
                "c1": {"viewing": ["Eve\u202e", 7], "typing": "nope"},
                "": {"viewing": ["x"]},
                "c2": [],
            },
        }
    )
    assert doc.online == ("Ana Horvat", "?")
    assert dict(doc.conversations) == {"c1": ConversationPresence(viewing=("Eve",), typing=())}
    assert parse_presence(["not", "a", "document"]) == PresenceDoc()
    assert parse_claim({"conversation_id": "c", "agent": "Bo\nrna", "claimed_at": "x"}) == Claim(
        "c", "Bo rna", "", 0.0
    )
    assert parse_claim({"agent": "no id"}) is None


def test_mine_is_the_member_id_and_the_claim_filter() -> None:
    state = state_with(claims={"c1": "Ana Horvat", "c2": "Borna Kovač"})
    # Another Ana (same name, other member) is not this agent.
    assert not state.is_mine(Claim("c9", "Ana Horvat", "m-other"))
    assert state.matches("c1", "mine") and not state.matches("c2", "mine")
    assert state.matches("c3", "unclaimed") and not state.matches("c1", "unclaimed")
    assert state.matches("c2", None)

    class Conv:
        def __init__(self, cid: str) -> None:
            self.id = cid
            self.chatbot_active = False

    convs: list[Any] = [Conv("c1"), Conv("c2"), Conv("c3")]
    mine = apply(convs, ListFilter(claim="mine"), now=0, tagged=None, claimed=state.matches)
    assert [c.id for c in mine] == ["c1"]
    free = apply(convs, ListFilter(claim="unclaimed"), now=0, tagged=None, claimed=state.matches)
    assert [c.id for c in free] == ["c3"]
    # Outside a team session there is nothing to check against: the filter lets all pass.
    assert len(apply(convs, ListFilter(claim="mine"), now=0, tagged=None)) == 3
    assert ListFilter(claim="mine").describe() == ["claimed by me"]
    assert ListFilter(claim="unclaimed").active


def test_the_filter_dialog_offers_claims_only_in_a_team_session() -> None:
    plain = ListFilterModal(ListFilter(), unread_only=False, tags=[])
    assert "claim" not in plain.values
    team = ListFilterModal(ListFilter(claim="mine"), unread_only=False, tags=[], claims=True)
    assert list(team.values) == ["tag", "bot", "window", "claim", "unread"]
    assert team.values["claim"] == ["any", "mine", "unclaimed"]
    assert team.chosen["claim"] == "mine"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class StubHub:
    """Answers like the hub; records the reports; can fail on demand."""

    def __init__(self) -> None:
        self.reports: list[tuple[str | None, bool]] = []
        self.fail = False
        self.doc = PresenceDoc()
        self.reported = asyncio.Event()

    async def report_presence(self, conversation_id: str | None, typing: bool) -> PresenceDoc:
        if self.fail:
            raise ConnectionError("hub restarting")
        self.reports.append((conversation_id, typing))
        self.reported.set()
        return self.doc

    async def claims(self) -> dict[str, Claim]:
        return {}


def loop_for(
    hub: StubHub, current: list[str | None], clock: FakeClock
) -> tuple[PresenceLoop, list[int]]:
    changes: list[int] = []
    loop = PresenceLoop(
        hub,  # type: ignore[arg-type]
        TeamState(ANA),
        current=lambda: current[0],
        on_change=lambda: changes.append(1),
        interval=60.0,
        clock=clock,
    )
    return loop, changes


def test_typing_lasts_three_seconds_after_the_last_change() -> None:
    clock = FakeClock()
    loop, _ = loop_for(StubHub(), ["c1"], clock)
    loop.typed("h")
    assert loop.typing
    clock.now += 2.9
    assert loop.typing
    clock.now += 0.2
    assert not loop.typing
    loop.typed("hello")
    loop.typed("")  # emptied (sent): stops at once
    assert not loop.typing


async def test_a_round_updates_the_state_and_survives_a_hub_error() -> None:
    hub, clock = StubHub(), FakeClock()
    loop, changes = loop_for(hub, ["c1"], clock)
    await loop.round()
    assert hub.reports == [("c1", False)]
    assert changes == [1]  # the first claims list is news (claims are now known)
    await loop.round()
    assert changes == [1]  # nothing new: no repaint
    hub.doc = PresenceDoc(conversations={"c1": ConversationPresence(viewing=("Borna Kovač",))})
    hub.fail = True
    await loop.round()  # logged, not raised; the state stays as it was
    assert loop.state.others("c1") == ConversationPresence()
    hub.fail = False
    await loop.round()
    assert changes == [1, 1]
    assert loop.state.others("c1").viewing == ("Borna Kovač",)


async def test_the_loop_reports_at_once_when_woken() -> None:
    hub, clock = StubHub(), FakeClock()
    current: list[str | None] = [None]
    loop, _ = loop_for(hub, current, clock)
    task = asyncio.create_task(loop.run())
    try:
        await asyncio.wait_for(hub.reported.wait(), 5)
        hub.reported.clear()
        current[0] = "c7"
        loop.typed("x")  # typing started: wakes the loop (its interval is a minute)
        await asyncio.wait_for(hub.reported.wait(), 5)
        assert hub.reports[-1] == ("c7", True)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
