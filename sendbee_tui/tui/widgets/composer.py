"""The reply composer: multi-line text, optional media URL, prevent-bot-off toggle,
and the team member the reply is sent as (Ctrl+G; ``agent_id`` on the send).

Enter sends; Ctrl+J inserts a newline (every terminal sends LF for Ctrl+J, while
Shift+Enter is indistinguishable from Enter without the kitty keyboard protocol;
Alt+Enter and Shift+Enter are accepted too where the terminal reports them).

Enter hands exactly the text on screen to the screen (:class:`Composer.Send`)
and empties the box at once, in the same key event: a second Enter finds
nothing to send, and whatever is typed afterwards is the next reply.  The
screen queues the reply in the persistent outbox (the thread shows it there,
with its state, until it is sent — or why not); if the screen refuses it
(24-hour window closed, chatbot warning) it puts the text back with
:meth:`Composer.give_back`.

Every choice is shown in words, not only in colour: "reply turns bot off" /
"bot stays on" (per conversation, Ctrl+T), "as <agent>" (Ctrl+G, kept across
conversations: it is who is typing).  The media URL is per conversation too,
and belongs to one reply: once a reply is handed over, the field closes (a
refused reply brings it back with its URL).
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static, TextArea

from sendbee_tui.api import Conversation
from sendbee_tui.tui import keys
from sendbee_tui.tui.safe_text import literal

NEWLINE_KEYS = ("ctrl+j", "alt+enter", "shift+enter")


class Agent(Protocol):
    """A team member replies can be sent as (:class:`~sendbee_tui.api.Member` is one)."""

    @property
    def id(self) -> str | None: ...

    @property
    def name(self) -> str | None: ...


class ComposerInput(TextArea):
    """TextArea where Enter submits and Ctrl+J (or Alt/Shift+Enter) inserts a newline."""

    class Submit(Message):
        """Enter was pressed."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submit())
            return
        if event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            start, end = self.selection
            self._replace_via_keyboard("\n", start, end)
            return
        await super()._on_key(event)


class Composer(Vertical):
    """Reply box of the open conversation (state shown in a notice line above it)."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("composer")
    DEFAULT_CSS = """
    Composer {
        height: auto;
        max-height: 12;
        border-top: solid $panel-lighten-2;
        background: $surface;
        & #composer-notice { height: auto; padding: 0 1; color: $text-muted; }
        & #composer-notice.-warning { color: $warning; }
        & #composer-notice.-error { color: $error; }
        & ComposerInput { height: auto; min-height: 2; max-height: 8; border: none; padding: 0 1; }
        & #composer-options { height: 1; padding: 0 1; }
        & #composer-bot { width: auto; padding: 0 2 0 0; color: $text-muted; }
        & #composer-bot.-turns-off { color: $warning; }
        & #composer-media { display: none; height: 1; border: none; padding: 0 1; }
        & #composer-media.-visible { display: block; }
        & .composer-hint { color: $text-muted; width: 1fr; text-align: right; }
        & #composer-agent { width: auto; padding: 0 0 0 2; color: $accent; }
    }
    """

    class Send(Message):
        """The agent pressed Enter with something to send (the box is empty already)."""

        def __init__(
            self,
            text: str,
            media_url: str,
            prevent_bot_off: bool,
            agent_id: str | None = None,
            conversation: Conversation | None = None,
        ) -> None:
            super().__init__()
            self.text = text
            self.media_url = media_url
            self.prevent_bot_off = prevent_bot_off
            #: The team member to send as (``None``: the API's default).
            self.agent_id = agent_id
            #: The conversation the text was written for (the composer may switch after).
            self.conversation = conversation

    class PreventBotOffChanged(Message):
        """Ctrl+T: the screen remembers the choice for this conversation only."""

        def __init__(self, conversation: Conversation, value: bool) -> None:
            super().__init__()
            self.conversation = conversation
            self.value = value

    class MediaChanged(Message):
        """The media URL changed (the screen saves it for this conversation)."""

        def __init__(self, conversation: Conversation, url: str) -> None:
            super().__init__()
            self.conversation = conversation
            self.url = url

    class DraftChanged(Message):
        """The text changed (the screen saves it as the conversation's draft)."""

        def __init__(self, text: str, conversation: Conversation | None = None) -> None:
            super().__init__()
            self.text = text
            #: Whose draft it is (read together with the text, so a switch cannot mix them).
            self.conversation = conversation

    class ChooseAgent(Message):
        """Ctrl+G: the screen opens the team member picker (widgets open no screens).

        It answers with :meth:`Composer.set_agent`.
        """

        def __init__(self, current: str | None) -> None:
            super().__init__()
            #: The agent chosen so far, to highlight in the picker.
            self.current = current

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.conversation: Conversation | None = None
        self.window_open = True
        #: Replies to this conversation keep its chatbot on (Ctrl+T; per conversation).
        self.prevent_bot_off = False
        self.notice_is_bot_warning = False
        #: Team member replies are sent as; kept across conversations (it is who
        #: is typing, not a property of the conversation).  ``None``: API default.
        self.agent_id: str | None = None
        self.agent_name: str | None = None
        #: A team session: the agent is fixed (the hub sends as her), see :meth:`lock_agent`.
        self.agent_locked = False

    def compose(self) -> ComposeResult:
        yield Static("", id="composer-notice")
        yield ComposerInput(
            "",
            id="composer-input",
            soft_wrap=True,
            show_line_numbers=False,
            compact=True,
            tab_behavior="focus",
        )
        yield Input(
            placeholder="media URL (https://…), Ctrl+O hides", id="composer-media", compact=True
        )
        with Horizontal(id="composer-options"):
            yield Static("", id="composer-bot")
            yield Static("", id="composer-agent")
            yield Static(
                Content("Enter send · Ctrl+J newline · Ctrl+E $EDITOR · Ctrl+O media"),
                classes="composer-hint",
            )

    @property
    def input(self) -> ComposerInput:
        return self.query_one(ComposerInput)

    @property
    def media_input(self) -> Input:
        return self.query_one("#composer-media", Input)

    def on_mount(self) -> None:
        self.input.cursor_blink = False
        self.media_input.cursor_blink = False

    def set_notice(self, text: str | Content, kind: str = "", *, bot: bool = False) -> None:
        """Show ``text`` above the box; ``bot``: it is about the chatbot (Ctrl+T clears it)."""
        self.notice_is_bot_warning = bot
        notice = self.query_one("#composer-notice", Static)
        notice.update(text if isinstance(text, Content) else Content(text))
        notice.set_class(kind == "warning", "-warning")
        notice.set_class(kind == "error", "-error")

    def load(
        self,
        conversation: Conversation | None,
        draft: str,
        *,
        window_open: bool,
        prevent_bot_off: bool = False,
        media_url: str = "",
    ) -> None:
        """Switch to ``conversation`` showing its saved draft, media URL and bot choice."""
        self.conversation = conversation
        self.window_open = window_open
        self.prevent_bot_off = prevent_bot_off
        # The Changed events this causes arrive later and save what is loaded: no-ops.
        self.input.load_text(draft)
        self.input.move_cursor(self.input.document.end)
        self.media_input.value = media_url
        self.media_input.set_class(bool(media_url), "-visible")
        self.input.disabled = conversation is None
        self.update_notice()
        self.update_bot_label()

    def update_bot_label(self) -> None:
        """What a reply does to the chatbot, in words (colour only repeats it)."""
        label = self.query_one("#composer-bot", Static)
        conv = self.conversation
        active = conv is not None and bool(conv.chatbot_active)
        if conv is None:
            text = ""
        elif active:
            text = "bot stays on" if self.prevent_bot_off else "reply turns bot off"
        else:
            text = "bot off · keep-bot set" if self.prevent_bot_off else "bot off"
        label.update(Content(text))
        label.set_class(active and not self.prevent_bot_off, "-turns-off")

    def update_notice(self, bot_warning: bool = False) -> None:
        conv = self.conversation
        if conv is None:
            self.set_notice("Open a conversation to reply.")
        elif not self.window_open:
            template = keys.hint_key("inbox.template", keys.keymap_in_force(self.app))
            self.set_notice(
                "24-hour window closed: WhatsApp only allows a template now. "
                f"Press {template} to pick one.",
                "warning",
            )
        elif bot_warning and not self.prevent_bot_off:
            self.set_notice(
                "Chatbot on: a reply turns it off (Ctrl+T keeps it on).", "warning", bot=True
            )
        else:
            self.set_notice("")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.post_message(self.DraftChanged(self.input.text, self.conversation))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.conversation is not None:
            self.post_message(self.MediaChanged(self.conversation, self.media_input.value.strip()))

    def on_composer_input_submit(self, event: ComposerInput.Submit) -> None:
        event.stop()
        self._submit()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def _submit(self) -> None:
        """Hand the text to the screen and empty the box now (see the module docstring)."""
        text = self.input.text.strip("\n")
        media = self.media_input.value.strip()
        if self.conversation is None or (not text.strip() and not media):
            return
        # Changed events follow: the draft and the media URL are cleared as saved.
        self.input.load_text("")
        self.media_input.value = ""
        # The URL belonged to this reply: the next one starts without the field.
        # A refused reply reopens it with its URL (give_back).
        self._hide_media()
        self.post_message(
            self.Send(text, media, self.prevent_bot_off, self.agent_id, self.conversation)
        )

    def _hide_media(self) -> None:
        """Close the media field, moving the focus to the text if it was in the field."""
        media = self.media_input
        if media.has_focus:
            self.input.focus()
        media.remove_class("-visible")

    def give_back(self, text: str, media_url: str = "") -> None:
        """Put a reply back (refused, or taken back from the outbox to edit).

        It goes before anything typed since, so nothing the agent wrote is lost.
        """
        typed = self.input.text
        joined = text if not typed.strip() else f"{text}\n{typed}"
        self.input.load_text(joined)
        self.input.move_cursor(self.input.document.end)
        if media_url and not self.media_input.value.strip():
            self.media_input.value = media_url
            self.media_input.add_class("-visible")

    def action_toggle_media(self) -> None:
        media = self.media_input
        media.toggle_class("-visible")
        if media.has_class("-visible"):
            media.focus()
        else:
            self.input.focus()

    def action_toggle_prevent_bot_off(self) -> None:
        """Ctrl+T: keep the chatbot on when replying to *this* conversation (or not)."""
        if self.conversation is None:
            return
        self.prevent_bot_off = not self.prevent_bot_off
        self.update_bot_label()
        if self.notice_is_bot_warning:
            self.update_notice()
        self.post_message(self.PreventBotOffChanged(self.conversation, self.prevent_bot_off))

    def action_choose_agent(self) -> None:
        """Ctrl+G: pick the team member the next replies are sent as."""
        self.post_message(self.ChooseAgent(self.agent_id))

    class ChooseSnippet(Message):
        """Ctrl+S: the screen opens the snippet picker; the choice is inserted, never sent."""

    def action_choose_snippet(self) -> None:
        """Ctrl+S: pick a canned reply to insert at the cursor."""
        self.post_message(self.ChooseSnippet())

    def set_agent(self, member: Agent | None) -> None:
        """Send the next replies as ``member`` (None, or a member without id: the API default).

        Every :class:`Send` carries the choice as ``agent_id``.
        """
        agent_id = (member.id if member is not None else None) or None
        name = member.name if member is not None else None
        self.agent_id = agent_id
        self.agent_name = (name or agent_id) if agent_id else None
        label = self.query_one("#composer-agent", Static)
        if self.agent_name:
            label.update(Content.assemble("as ", literal(self.agent_name, "bold")))
        else:
            label.update("")

    def lock_agent(self) -> None:
        """Keep the agent chosen so far (a team session: the hub sends as its agent).

        Ctrl+G is no longer offered, and the hint drops Ctrl+E: a team session
        starts no editor.
        """
        self.agent_locked = True
        self.query_one(".composer-hint", Static).update(
            Content("Enter send · Ctrl+J newline · Ctrl+O media")
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Ctrl+G is hidden (and does nothing) once the agent is locked."""
        return not (action == "choose_agent" and self.agent_locked)

    def action_leave(self) -> None:
        """Esc goes back to the conversation list (the draft is already saved)."""
        from sendbee_tui.tui.widgets.conversation_list import ConversationList

        lists = self.screen.query(ConversationList)
        if lists:
            lists.first().focus()
        else:
            self.screen.focus_previous()
