"""The inbox of a team session: the main screen plus presence, claims and the agent's name.

:class:`TeamMainScreen` is the ordinary :class:`MainScreen` with additions only
(a subclass, so nothing changes outside a team session):

* a line over the thread saying who handles the open conversation and who
  else is viewing it or typing in it (:class:`PresenceLine`), and marks on the
  list rows (claim owner, viewers) from :mod:`.marks`;
* the presence loop (:mod:`.presence`), told at once when another
  conversation opens or the agent starts or stops typing;
* ``c`` (``team.claim``): claim the highlighted or open conversation, press
  again to release it; one another agent holds is taken over only after a
  question that names her;
* the composer says "as <agent>" and offers no other agent (the hub sends as
  the agent whatever the app asks).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.binding import BindingType
from textual.content import Content
from textual.widgets import Static

from sendbee_tui.api import Conversation
from sendbee_tui.team_mode import NOT_IN_TEAM, TeamSession
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.forms.confirm import ConfirmModal
from sendbee_tui.tui.inbox import InboxService
from sendbee_tui.tui.inbox.conversations import model_id
from sendbee_tui.tui.keys import bindings
from sendbee_tui.tui.safe_text import clean, literal
from sendbee_tui.tui.screens.main import MainScreen
from sendbee_tui.tui.team.hub_client import Claim, ClaimHeld, TeamHub
from sendbee_tui.tui.team.marks import presence_line, row_marks
from sendbee_tui.tui.team.presence import PresenceLoop
from sendbee_tui.tui.team.state import TeamState
from sendbee_tui.tui.widgets.composer import Composer

if TYPE_CHECKING:
    from sendbee_tui.tui.widgets.conversation_list import RowMark

__all__ = ["NOT_IN_TEAM", "PresenceLine", "TeamMainScreen", "TeamMember"]

log = logging.getLogger(__name__)


class TeamMember:
    """The session's agent as the composer's "send as" choice (``id`` and ``name``)."""

    def __init__(self, member_id: str, name: str) -> None:
        self.id: str | None = member_id or None
        self.name: str | None = name


class PresenceLine(Static):
    """One line under the thread header: the claim and the colleagues in this conversation."""

    DEFAULT_CSS = """
    PresenceLine { height: 1; padding: 0 1; background: $panel; display: none; }
    PresenceLine.-shown { display: block; }
    """

    def show(self, content: Content) -> None:
        self.update(content)
        self.set_class(bool(content.plain), "-shown")


def _label(conv: Conversation) -> str:
    return clean(conv.contact.name or conv.contact.phone or "") or "this conversation"


class TeamMainScreen(MainScreen):
    """The inbox in a ``serve-ssh`` session (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("team")]
    filter_claims = True

    def __init__(
        self,
        service: InboxService,
        *,
        account: str,
        demo: bool,
        team: TeamSession,
        hub: TeamHub,
    ) -> None:
        super().__init__(service, account=account, demo=demo)
        self.team = team
        self.hub = hub
        self.team_state = TeamState(team)
        #: The conversation opened last (the service learns it only once its thread loads).
        self.open_id: str | None = None
        self.presence = PresenceLoop(
            hub, self.team_state, current=lambda: self.open_id, on_change=self.team_changed
        )
        self._claims_shown: dict[str, Claim] = {}
        #: (conversation id, text) the composer last showed: a change from it is typing.
        self._typing_base: tuple[str, str] | None = None

    # ------------------------------------------------------------------ start

    def on_mount(self) -> None:
        self.query_one("#conversation").mount(
            PresenceLine(id="team-presence"), after="#thread-header"
        )
        self.composer.set_agent(TeamMember(self.team.member_id, self.team.agent))
        self.composer.lock_agent()
        own_marks = self.conv_list.marks_for

        def marks(conv: Conversation) -> tuple[RowMark, ...]:
            # The list's own marks (draft, queued reply) first, then the team's.
            return (*own_marks(conv), *row_marks(self.team_state, model_id(conv)))

        self.conv_list.marks_for = marks
        self.service.use_claims(self.team_state.matches)
        self.app.run_worker(
            self.presence.run(), name="team-presence", group="poll", exit_on_error=False
        )

    def team_changed(self) -> None:
        """Presence or claims changed: repaint the rows and the presence line."""
        if self.team_state.claims != self._claims_shown:
            self._claims_shown = dict(self.team_state.claims)
            self.service.claims_changed()  # a claim filter shows other rows now
        self.conv_list.refresh_rows()
        self.query_one(PresenceLine).show(presence_line(self.team_state, self.open_id))

    # ------------------------------------------------------------------ presence inputs

    def open_conversation(self, conv: Conversation) -> None:
        super().open_conversation(conv)
        self.open_id = model_id(conv) or None
        self._typing_base = (model_id(conv), self.composer.input.text)
        self.presence.typed("")
        self.presence.wake()
        self.team_changed()

    def action_mark_unread(self) -> None:
        """``u`` on the open conversation closes it: the others stop seeing this agent there."""
        super().action_mark_unread()
        if self.open_id is not None and self.composer.conversation is None:
            self.open_id = None
            self.presence.typed("")
            self.presence.wake()
            self.team_changed()

    @on(Composer.DraftChanged)
    def _team_typing(self, event: Composer.DraftChanged) -> None:
        """A change of the text, not a conversation loading its draft, counts as typing."""
        conv = event.conversation
        if conv is None:
            return
        now = (model_id(conv), event.text)
        base = self._typing_base
        if base is not None and base[0] == now[0] and base[1] != now[1]:
            self.presence.typed(event.text)
        self._typing_base = now

    # ------------------------------------------------------------------ claims

    def _claim_target(self) -> Conversation | None:
        """The highlighted row while the list has the focus, else the open conversation."""
        if self.focused is self.conv_list or self.focused is None:
            return self.conv_list.highlighted or self.service.current_conversation
        return self.service.current_conversation or self.conv_list.highlighted

    def action_claim(self) -> None:
        """``c``: claim the conversation; again releases it; another's asks first."""
        conv = self._claim_target()
        if conv is None or not model_id(conv):
            self.app.notify("Highlight or open a conversation first.", markup=False)
            return
        conv_id = model_id(conv)
        owner = self.team_state.owner(conv_id)
        if self.team_state.is_mine(owner):
            self.app.run_worker(self._release(conv), group="team-claim", exit_on_error=False)
        elif owner is None:
            self.app.run_worker(self._claim(conv), group="team-claim", exit_on_error=False)
        else:
            self._ask_take_over(conv, owner)

    async def _claim(self, conv: Conversation, *, force: bool = False) -> None:
        try:
            claim = await self.hub.claim(model_id(conv), force=force)
        except ClaimHeld as exc:
            # Someone was quicker (or our list was a round behind): ask, as for a known claim.
            self.team_state.claimed(exc.holder)
            self.team_changed()
            self._ask_take_over(conv, exc.holder)
            return
        except Exception as exc:
            self._failed("Not claimed", exc)
            return
        self.team_state.claimed(claim)
        self.team_changed()
        self.app.notify(
            f"You are handling {_label(conv)}.", title="Claimed", markup=False, timeout=3
        )

    async def _release(self, conv: Conversation) -> None:
        try:
            await self.hub.release(model_id(conv))
        except ClaimHeld as exc:  # taken over meanwhile: show whose it is now
            self.team_state.claimed(exc.holder)
            self.team_changed()
            self.app.notify(exc.detail, title="Not yours any more", markup=False, timeout=5)
            return
        except Exception as exc:
            self._failed("Not released", exc)
            return
        self.team_state.released(model_id(conv))
        self.team_changed()
        self.app.notify(f"Released {_label(conv)}.", title="Released", markup=False, timeout=3)

    def _ask_take_over(self, conv: Conversation, holder: Claim) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.app.run_worker(
                    self._claim(conv, force=True), group="team-claim", exit_on_error=False
                )

        self.app.push_screen(
            ConfirmModal(
                Content.assemble(
                    literal(holder.agent, "bold"),
                    " is handling ",
                    literal(_label(conv), "bold"),
                    ".\n\nTake it over? They will see that you did.",
                ),
                title="Claimed by a colleague",
                confirm_label="Take over",
                cancel_label="Leave it",
                focus_confirm=False,
            ),
            answered,
        )

    def _failed(self, what: str, exc: Exception) -> None:
        log.info("team claim failed: %r", exc)
        self.app.notify(
            f"{what}: {describe_error(exc)}", title="Team", severity="error", markup=False
        )
