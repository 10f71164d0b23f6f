"""Teams and their members (agents): who is online and available right now.

The same member list feeds every "send as agent" choice (``agent_id`` on a
template send or a free-form message), so the helpers that load and label
members live here and are imported by the template form (and by the composer if
it wants them):

* :func:`load_members` - every member, across pages, de-duplicated and sorted so
  the agents who can pick up a conversation now come first;
* :func:`member_label` / :func:`member_select_options` - what a ``Select`` shows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Iterable
from typing import ClassVar, Final, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.models import Member, Team
from sendbee_tui.api.pagination import Page
from sendbee_tui.tui import keys
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.safe_text import clean_model, literal

__all__ = [
    "NO_AGENT",
    "AgentPicker",
    "TeamsScreen",
    "load_members",
    "load_teams",
    "member_label",
    "member_select_options",
]

log = logging.getLogger(__name__)

# A runaway server that always says "there is another page" must not hang the UI.
_MAX_PAGES = 50

ItemT = TypeVar("ItemT")


async def _all_pages(first: Awaitable[Page[ItemT]]) -> list[ItemT]:
    """Every item of a paginated list, following ``next_page`` until the last page."""
    page = await first
    items = list(page.items)
    pages = 1
    while page.has_next() and pages < _MAX_PAGES:
        page = await page.next_page()
        items.extend(page.items)
        pages += 1
    return items


def _member_sort_key(member: Member) -> tuple[int, str]:
    # Online and available first: that is who a send should be attributed to.
    rank = 0 if member.online and member.available else 1 if member.online else 2
    return rank, (member.name or "").casefold()


async def load_teams(client: SendbeeClient) -> list[Team]:
    """All teams (each with its members), cleaned for display."""
    teams = await _all_pages(client.teams.list())
    return [clean_model(team) for team in teams]


async def load_members(client: SendbeeClient) -> list[Member]:
    """All members once each, cleaned, the ones who are online and available first."""
    members = await _all_pages(client.teams.members())
    unique: dict[str, Member] = {}
    for member in members:
        if member.id and member.id not in unique:
            unique[member.id] = clean_model(member)
    return sorted(unique.values(), key=_member_sort_key)


def _presence(member: Member) -> Content:
    online = (
        Content.styled("● online", "$text-success")
        if member.online
        else Content.styled("○ offline", "$text-muted")
    )
    available = (
        Content.styled("available", "$text-success")
        if member.available
        else Content.styled("away", "$text-warning")
    )
    return Content.assemble(online, ", ", available)


def member_label(member: Member) -> Content:
    """``Ann Agent · admin · ● online, available`` (names are untrusted: literal)."""
    parts: list[Content | str] = [literal(member.name or member.id or "?")]
    if member.role:
        parts += [" · ", literal(member.role, "italic")]
    parts += [" · ", _presence(member)]
    return Content.assemble(*parts)


def member_select_options(members: Iterable[Member]) -> list[tuple[Content, str]]:
    """``(label, member id)`` pairs for a :class:`~textual.widgets.Select`."""
    return [(member_label(m), m.id) for m in members if m.id]


#: What :class:`AgentPicker` returns for "no agent" (let the API attribute the send).
NO_AGENT: Final = "no-agent"


class AgentPicker(ModalScreen["Member | str | None"]):
    """Choose the team member a message is sent as.

    Dismisses with the chosen :class:`~sendbee_tui.api.Member`, with
    :data:`NO_AGENT` for "nobody in particular", or with ``None`` when cancelled,
    so the caller can tell "clear the agent" from "leave it as it was".
    The members are loaded here, so opening the picker costs nothing until used.
    """

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("agent_picker")

    DEFAULT_CSS = """
    AgentPicker { align: center middle; }
    AgentPicker #agent-dialog {
        width: 70; height: auto; max-height: 80%;
        border: thick $primary 80%; background: $surface; padding: 0 1;
    }
    AgentPicker OptionList { height: auto; max-height: 16; }
    AgentPicker #agent-status { height: auto; color: $text-muted; }
    AgentPicker #agent-status.-error { color: $text-error; }
    """

    def __init__(self, client: SendbeeClient | None = None, *, current: str | None = None) -> None:
        super().__init__()
        self._client = client
        self.current = current
        self.members: list[Member] = []

    def _members_client(self) -> SendbeeClient | None:
        """The client given, else the app's.

        Transitional: the composer opens the picker without a client; once it
        passes one, this fallback goes.
        """
        if self._client is not None:
            return self._client
        found = getattr(self.app, "client", None)
        return found if isinstance(found, SendbeeClient) else None

    def compose(self) -> ComposeResult:
        with Vertical(id="agent-dialog"):
            yield Label(literal("Send as team member…", "bold"), classes="dialog-title")
            yield OptionList(id="agent-options")
            yield Static(literal("Loading team members…"), id="agent-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._load()

    @work(exclusive=True, group="agent-picker", exit_on_error=False)
    async def _load(self) -> None:
        client = self._members_client()
        status = self.query_one("#agent-status", Static)
        problem: str | None = None
        if client is None:
            problem = "not connected to Sendbee."
        else:
            try:
                self.members = await load_members(client)
            except Exception as exc:  # the picker stays usable: "no agent" is always offered
                log.info("loading members for the agent picker failed: %r", exc)
                problem = describe_error(exc)
        if problem is not None:
            status.update(literal(f"Could not load team members: {problem}"))
            status.add_class("-error")
            self.members = []
        else:
            status.update(literal("Enter: send as this member · Escape: keep as it was"))
        options = [Option(Content.styled("Nobody in particular (API default)", "italic"))]
        options += [Option(member_label(m), id=m.id) for m in self.members if m.id]
        option_list = self.query_one(OptionList)
        option_list.set_options(options)
        ids = [m.id for m in self.members if m.id]
        option_list.highlighted = ids.index(self.current) + 1 if self.current in ids else 0

    @on(OptionList.OptionSelected, "#agent-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            self.dismiss(NO_AGENT)
            return
        member = next((m for m in self.members if m.id == event.option.id), None)
        self.dismiss(member if member is not None else NO_AGENT)

    def action_cancel(self) -> None:
        """Escape: keep the agent that was chosen before."""
        self.dismiss(None)


def _yes_no(value: bool | None, yes: str, no: str, yes_style: str, no_style: str) -> Content:
    if value is None:
        return Content.styled("?", "$text-muted")
    return Content.styled(yes, yes_style) if value else Content.styled(no, no_style)


class TeamsScreen(Screen[None]):
    """Teams with their members, role, online and available state.

    Members that belong to no team (the members endpoint knows them, the teams
    endpoint does not list them) are shown under "No team" so nobody is missing.
    """

    TITLE = "Teams"

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("teams", "records")

    DEFAULT_CSS = """
    TeamsScreen #teams-status { height: 1; padding: 0 1; color: $text-muted; }
    TeamsScreen #teams-status.-error { color: $text-error; }
    TeamsScreen DataTable { height: 1fr; }
    """

    def __init__(self, client: SendbeeClient, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.client = client
        self.teams: list[Team] = []
        self.members: list[Member] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading teams…", id="teams-status")
        table: DataTable[Content] = DataTable(
            id="teams-table", cursor_type="row", zebra_stripes=True
        )
        self._add_columns(table, {})
        yield table
        yield Footer()

    _COLUMNS = (
        ("team", "Team"),
        ("member", "Member"),
        ("role", "Role"),
        ("online", "Online"),
        ("available", "Available"),
    )

    def _add_columns(self, table: DataTable[Content], widths: dict[str, int]) -> None:
        # DataTable cannot measure Content cells (they are not Rich renderables),
        # so the widths are computed from the text and given explicitly.
        for key, label in self._COLUMNS:
            table.add_column(label, key=key, width=max(len(label), widths.get(key, 0)))

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        """Reload teams and members from the server."""
        self._set_status("Loading teams…")
        self._load()

    @work(exclusive=True, group="teams")
    async def _load(self) -> None:
        client = self.client
        teams_result, members_result = await asyncio.gather(
            load_teams(client), load_members(client), return_exceptions=True
        )
        if isinstance(teams_result, BaseException):
            log.warning("loading teams failed: %r", teams_result)
            self._set_status(
                f"Could not load teams: {describe_error(teams_result)}  (r to retry)", error=True
            )
            return
        self.teams = teams_result
        if isinstance(members_result, BaseException):
            # The teams already carry their members; the extra list only adds loners.
            log.info("loading members failed: %r", members_result)
            self.members = []
        else:
            self.members = members_result
        self._fill_table()

    def _rows(self) -> list[tuple[Content, ...]]:
        rows: list[tuple[Content, ...]] = []
        seen: set[str] = set()
        for team in self.teams:
            team_name = literal(team.name or team.id or "?", "bold")
            if not team.members:
                none = Content.styled("(no members)", "$text-muted")
                rows.append((team_name, none, Content(), Content(), Content()))
            for position, member in enumerate(team.members):
                if member.id:
                    seen.add(member.id)
                rows.append(self._member_row(team_name if position == 0 else Content(), member))
        loners = [m for m in self.members if m.id not in seen]
        for position, member in enumerate(loners):
            label = Content.styled("No team", "italic $text-muted") if position == 0 else Content()
            rows.append(self._member_row(label, member))
        return rows

    def _fill_table(self) -> None:
        table: DataTable[Content] = self.query_one(DataTable)
        rows = self._rows()
        widths = {
            key: max((row[index].cell_length for row in rows), default=0)
            for index, (key, _label) in enumerate(self._COLUMNS)
        }
        table.clear(columns=True)
        self._add_columns(table, widths)
        for row in rows:
            table.add_row(*row)
        everyone = {m.id: m for team in self.teams for m in team.members if m.id}
        everyone.update({m.id: m for m in self.members if m.id})
        online = sum(1 for m in everyone.values() if m.online)
        available = sum(1 for m in everyone.values() if m.available)
        self._set_status(
            f"{len(self.teams)} teams · {len(everyone)} members · "
            f"{online} online · {available} available   (r refresh)"
        )

    @staticmethod
    def _member_row(team: Content, member: Member) -> tuple[Content, ...]:
        return (
            team,
            literal(member.name or member.id or "?"),
            literal(member.role or ""),
            _yes_no(member.online, "● online", "○ offline", "$text-success", "$text-muted"),
            _yes_no(member.available, "available", "away", "$text-success", "$text-warning"),
        )

    def _set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#teams-status", Static)
        # Error text can quote the server: never parse it as markup.
        status.update(literal(text))
        status.set_class(error, "-error")
