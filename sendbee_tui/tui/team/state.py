"""What this session knows about its colleagues: presence and claims, as last heard.

One :class:`TeamState` per app, fed by the presence loop (:mod:`.presence`)
and by this session's own claim actions; the list rows, the presence line over
the thread and the "Mine" / "Unclaimed" filters all read it.  Each update says
whether anything changed, so the screen repaints only when it must.

No Textual here: the words and marks are built in :mod:`.marks`.
"""

from __future__ import annotations

from collections.abc import Mapping

from sendbee_tui.team_mode import TeamSession
from sendbee_tui.tui.team.hub_client import Claim, ConversationPresence, PresenceDoc

__all__ = ["TeamState"]

_NOBODY = ConversationPresence()


class TeamState:
    """Presence and claims of the team, from this session's point of view."""

    def __init__(self, me: TeamSession) -> None:
        self.me = me
        self.presence = PresenceDoc()
        self.claims: dict[str, Claim] = {}
        #: False until the hub answered once (the filters then say so, not "none").
        self.claims_known = False

    # ------------------------------------------------------------------ updates

    def set_presence(self, doc: PresenceDoc) -> bool:
        """Take the hub's latest presence document; True if it changed anything."""
        changed = doc != self.presence
        self.presence = doc
        return changed

    def set_claims(self, claims: Mapping[str, Claim]) -> bool:
        """Take the hub's list of claims; True if it changed anything."""
        changed = dict(claims) != self.claims or not self.claims_known
        self.claims = dict(claims)
        self.claims_known = True
        return changed

    def claimed(self, claim: Claim) -> None:
        """This session just claimed (or took over) a conversation."""
        self.claims[claim.conversation_id] = claim

    def released(self, conversation_id: str) -> None:
        """This session just released a conversation."""
        self.claims.pop(conversation_id, None)

    # ------------------------------------------------------------------ questions

    def is_mine(self, claim: Claim | None) -> bool:
        """Whether ``claim`` is this agent's (from any of her sessions)."""
        if claim is None:
            return False
        if claim.member_id and self.me.member_id:
            return claim.member_id == self.me.member_id
        return claim.agent == self.me.agent

    def owner(self, conversation_id: str) -> Claim | None:
        return self.claims.get(conversation_id)

    def others(self, conversation_id: str) -> ConversationPresence:
        """Who else has ``conversation_id`` open, and who of them is typing."""
        return self.presence.conversations.get(conversation_id, _NOBODY)

    def matches(self, conversation_id: str, wanted: str | None) -> bool:
        """Whether a conversation passes the claim filter ``wanted`` (None: any).

        The values are :data:`~sendbee_tui.tui.inbox.filters.CLAIM_FILTERS`.
        """
        if wanted is None:
            return True
        claim = self.claims.get(conversation_id)
        if wanted == "mine":
            return self.is_mine(claim)
        if wanted == "unclaimed":
            return claim is None
        return True
