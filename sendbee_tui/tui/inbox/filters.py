"""Filters of the conversation list: tag, chatbot, 24-hour window, unread — pure functions.

The Sendbee API filters conversations only by folder and a name/phone search,
so every other filter runs here, over the conversations loaded so far (the
list keeps loading pages while the filtered rows do not fill the screen).  A
tag belongs to the contact, not the conversation: the tag filter matches the
contacts the API lists under that tag (:func:`tagged_contacts`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sendbee_tui.api import Conversation, SendbeeClient
from sendbee_tui.tui.inbox.conversations import model_id, window_left
from sendbee_tui.tui.safe_text import clean

__all__ = [
    "CLAIM_FILTERS",
    "CLOSING_SECONDS",
    "TAG_PAGES",
    "WINDOW_FILTERS",
    "ClaimCheck",
    "ListFilter",
    "TaggedContacts",
    "apply",
    "matches",
    "tag_names",
    "tagged_contacts",
    "window_state",
]

#: "Closing" = less than this much of the 24-hour window left (the row turns yellow too).
CLOSING_SECONDS = 3 * 3600
#: The values of :attr:`ListFilter.window`, with their labels.
WINDOW_FILTERS: dict[str, str] = {
    "open": "window open",
    "closing": "window closing (< 3 h)",
    "closed": "window closed",
}
#: The values of :attr:`ListFilter.claim` (team sessions only), with their labels.
CLAIM_FILTERS: dict[str, str] = {"mine": "claimed by me", "unclaimed": "unclaimed"}
#: Whether a conversation (by id) passes a claim filter value; a team session supplies it.
ClaimCheck = Callable[[str, str], bool]
#: A tag filter reads at most this many pages (of 100) of tagged contacts.
TAG_PAGES = 20


@dataclass(frozen=True)
class ListFilter:
    """What the agent narrowed the list to, besides the folder and the search.

    ``None`` means "any".  The unread filter stays on the view (``U``, kept
    across restarts); these are not remembered, like the search: a filter
    forgotten over a restart would look like lost conversations.
    """

    tag: str | None = None
    bot: bool | None = None
    window: str | None = None
    #: Team sessions: ``"mine"`` or ``"unclaimed"`` (:data:`CLAIM_FILTERS`).
    claim: str | None = None

    @property
    def active(self) -> bool:
        return (
            self.tag is not None
            or self.bot is not None
            or self.window is not None
            or self.claim is not None
        )

    def describe(self) -> list[str]:
        """Short labels for the list header: ``["tag vip", "bot off", "window closed"]``."""
        parts: list[str] = []
        if self.tag is not None:
            parts.append(f"tag {self.tag}")
        if self.bot is not None:
            parts.append("bot on" if self.bot else "bot off")
        if self.window is not None:
            parts.append(WINDOW_FILTERS.get(self.window, self.window).replace(" (< 3 h)", " <3h"))
        if self.claim is not None:
            parts.append(CLAIM_FILTERS.get(self.claim, self.claim))
        return parts

    def replace(self, **changes: object) -> ListFilter:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def window_state(conv: Conversation, now: float) -> str:
    """``"open"``, ``"closing"`` (under :data:`CLOSING_SECONDS` left) or ``"closed"``."""
    left = window_left(conv, now)
    if left is None:
        return "closed"
    return "closing" if left < CLOSING_SECONDS else "open"


@dataclass(frozen=True)
class TaggedContacts:
    """The contacts carrying one tag, as ids and phones (a conversation names either)."""

    tag: str
    ids: frozenset[str]
    phones: frozenset[str]
    #: False when :data:`TAG_PAGES` pages did not hold them all.
    complete: bool = True

    def has(self, conv: Conversation) -> bool:
        contact = conv.contact
        return bool(
            (contact.id and contact.id in self.ids)
            or (contact.phone and contact.phone in self.phones)
        )


async def tagged_contacts(client: SendbeeClient, tag: str) -> TaggedContacts:
    """Every contact tagged ``tag`` (up to :data:`TAG_PAGES` pages)."""
    ids: set[str] = set()
    phones: set[str] = set()
    page_no = 1
    while True:
        page = await client.contacts.list(tags=[tag], page=page_no, limit=100)
        for contact in page.items:
            if contact.id:
                ids.add(contact.id)
            if contact.phone:
                phones.add(contact.phone)
        last = page.meta.last_page or 1
        if page_no >= last or not page.items:
            return TaggedContacts(tag, frozenset(ids), frozenset(phones))
        if page_no >= TAG_PAGES:
            return TaggedContacts(tag, frozenset(ids), frozenset(phones), complete=False)
        page_no += 1


async def tag_names(client: SendbeeClient) -> list[str]:
    """Every tag of the account, sorted (for the filter dialog)."""
    names: set[str] = set()
    async for tag in client.tags.iterate():
        if tag.name:
            names.add(clean(tag.name))
        if len(names) >= TAG_PAGES * 100:
            break
    return sorted(names, key=str.casefold)


def matches(
    conv: Conversation,
    wanted: ListFilter,
    *,
    now: float,
    tagged: TaggedContacts | None,
    claimed: ClaimCheck | None = None,
) -> bool:
    """Whether ``conv`` passes ``wanted`` (a tag filter whose contacts are not loaded yet
    passes nothing, so the list never flashes unfiltered rows; a claim filter without
    ``claimed``, i.e. outside a team session, passes everything)."""
    if (
        wanted.claim is not None
        and claimed is not None
        and not claimed(model_id(conv), wanted.claim)
    ):
        return False
    if wanted.bot is not None and bool(conv.chatbot_active) != wanted.bot:
        return False
    if wanted.window is not None and window_state(conv, now) != wanted.window:
        return False
    if wanted.tag is not None:
        return tagged is not None and tagged.tag == wanted.tag and tagged.has(conv)
    return True


def apply(
    convs: Iterable[Conversation],
    wanted: ListFilter,
    *,
    now: float,
    tagged: TaggedContacts | None,
    claimed: ClaimCheck | None = None,
) -> list[Conversation]:
    """``convs`` that pass ``wanted``."""
    if not wanted.active:
        return list(convs)
    return [c for c in convs if matches(c, wanted, now=now, tagged=tagged, claimed=claimed)]
