"""SendbeeApp: the Textual application (inbox screen, workers, notifications).

The API client is created here, on the app's own event loop, because httpx
connection pools belong to the loop that created them.  All network work is
plain async workers (``run_worker(coro)``), never thread workers: async code in
a thread worker would need its own loop and could not share the client.

One local database per process (``<data_dir>/state.sqlite3``) holds the
account's drafts, read marks and settings and its persistent outbox; every
reply goes through the outbox, whose loop runs as tasks on this event loop and
checks what a previous run left unfinished before it sends anything.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Protocol

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from sendbee_tui import startup
from sendbee_tui import store as local_db
from sendbee_tui.api import (
    AuthenticationError,
    RetryEvent,
    SendbeeClient,
)
from sendbee_tui.config import AppConfig, Profile
from sendbee_tui.outbox import Outbox, WindowCheck
from sendbee_tui.team_mode import NOT_IN_TEAM
from sendbee_tui.tui import keys
from sendbee_tui.tui.app_screens import ScreenOpeners
from sendbee_tui.tui.commands import NOT_IN_TEAM_SYSTEM_COMMANDS, InboxCommands
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.inbox import InboxService, LocalStore, open_local_state
from sendbee_tui.tui.safe_text import clean
from sendbee_tui.tui.screens.main import MainScreen
from sendbee_tui.tui.widgets import editor

log = logging.getLogger(__name__)

#: Seconds after which start-up is over, first rows or not.
_STARTUP_LIMIT = 5.0
_POLL_WORKERS = ("poll-list", "poll-thread", "poll-previews", "poll-local")
#: On quit, a reply on the wire gets this long to be answered (one cut off is
#: checked on the next start, never resent blindly).
OUTBOX_CLOSE_GRACE = 1.0


class ClientFactory(Protocol):
    """Builds the API client for a profile (tests pass one with short retry delays)."""

    def __call__(
        self, profile: Profile, *, on_retry: Callable[[RetryEvent], object]
    ) -> SendbeeClient: ...


def default_client(profile: Profile, *, on_retry: Callable[[RetryEvent], object]) -> SendbeeClient:
    """The real client for ``profile``."""
    return SendbeeClient(profile.api_key, profile.api_secret, profile.base_url, on_retry=on_retry)


class OutboxFactory(Protocol):
    """Builds the account's outbox (tests pass one with short check schedules)."""

    def __call__(
        self,
        client: SendbeeClient,
        store: local_db.LocalStore,
        account: str,
        *,
        window_open: WindowCheck,
    ) -> Outbox: ...


def default_outbox(
    client: SendbeeClient, store: local_db.LocalStore, account: str, *, window_open: WindowCheck
) -> Outbox:
    """The outbox with its production schedules (see :class:`~sendbee_tui.outbox.Outbox`)."""
    return Outbox(client, store, account, window_open=window_open)


class SendbeeApp(ScreenOpeners):
    """The sendbee-tui application; ``config`` comes from :func:`sendbee_tui.cli.make_app`."""

    TITLE = "sendbee"
    CSS_PATH: ClassVar[list[str]] = ["styles/app.tcss", "styles/main.tcss"]  # type: ignore[assignment]
    COMMANDS = App.COMMANDS | {InboxCommands}
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("app")

    def __init__(
        self,
        config: AppConfig,
        *,
        client_factory: ClientFactory = default_client,
        outbox_factory: OutboxFactory = default_outbox,
    ) -> None:
        """``client_factory(profile, on_retry=...)`` replaces SendbeeClient (tests: fast retry);
        ``outbox_factory`` the outbox (tests: short check schedules)."""
        super().__init__()
        self.config = config
        self._client_factory = client_factory
        self._outbox_factory = outbox_factory
        self.client: SendbeeClient | None = None
        self.inbox: InboxService | None = None
        #: The process's local database and the account's state in it.
        self.store: local_db.LocalStore | None = None
        self.state: LocalStore | None = None
        self.outbox: Outbox | None = None
        self.main_screen: MainScreen | None = None
        self._exit_callbacks_ran = False
        #: Until the first rows are painted (see post_display_hook).
        self._starting = True
        self._title_unread = -1

    # ------------------------------------------------------------------ start / stop

    async def on_mount(self) -> None:
        # [keymap]: what the registry accepts is applied; the rest is named in a notice.
        keymap, keymap_notices = keys.check_keymap(self.config.keymap)
        self.set_keymap(keymap)
        for notice in self.config.notices:
            self.notify(keys.fill_keys(clean(notice), keymap), markup=False, severity="warning")
        for notice in keymap_notices:
            self.notify(clean(notice), markup=False, severity="warning")
        if self.config.profile is None:
            self._start_up_over()  # a set-up form, not the inbox: nothing to wait for
            self._push_setup()
        else:
            await self.start_inbox(self.config.profile)

    def _push_setup(self) -> None:
        def done(profile: Profile | None) -> None:
            if profile is None:
                self.exit()
            else:
                self.config.profile = profile
                self.run_worker(self.start_inbox(profile), exit_on_error=False)

        from sendbee_tui.tui.screens.setup import SetupScreen

        self.push_screen(SetupScreen(self.config.paths), done)

    async def start_inbox(self, profile: Profile) -> None:
        """Open the local state, create the client (on this loop), the service, the outbox
        and the main screen; start the outbox and polling.

        State is filed under the *account* (``profile.account_key``), so the same
        account under another profile name keeps its drafts, read marks and outbox.
        """
        opened = open_local_state(self.config.paths, profile, self.config.clock)
        if opened.notice:
            self.notify(opened.notice, severity="warning", markup=False, timeout=10)
        self.store, self.state = opened.store, opened.state
        self.client = self._client_factory(profile, on_retry=self._on_retry)
        inbox = self.inbox = InboxService(
            self.client,
            settings=self.config.settings,
            state=self.state,
            post=self._post_to_main,
            clock=self.config.clock,
        )
        self.outbox = self._outbox_factory(
            self.client, self.store, profile.account_key, window_open=inbox.window_open
        )
        inbox.attach_outbox(self.outbox)
        # The first page travels while the main screen is composed (see EarlyRequest).
        inbox.start_early()
        # Start-up (again, after the set-up screen) lasts until post_display_hook sees the
        # first rows painted, or until the limit for a start that never gets there.
        self._starting = True
        self.set_timer(_STARTUP_LIMIT, self._start_up_over)
        account = "demo sandbox" if self.config.demo else profile.name
        team = self.config.team
        if team is not None:
            from sendbee_tui.tui.team import team_screen  # team sessions only

            self.main_screen = team_screen(inbox, team, self.client)
        else:
            self.main_screen = MainScreen(inbox, account=clean(account), demo=self.config.demo)
        await self.push_screen(self.main_screen)
        # Its loop first checks whatever a previous run left "sending"/"checking"
        # (recover()), and only then sends anything queued.
        await self.outbox.start()
        for name in _POLL_WORKERS:
            self._start_polling(inbox, name)
        self.set_unread_title(0)

    def post_display_hook(self) -> None:
        """After each frame: the first one with rows in the list ends start-up."""
        if self._starting and self.main_screen is not None and self.main_screen.conv_list.rows:
            self._start_up_over()

    def _start_up_over(self) -> None:
        """Resume the collector held by the entry point, and let previews be fetched."""
        if not self._starting:
            return
        self._starting = False
        startup.release_collector()
        if self.inbox is not None:
            self.inbox.first_rows_shown()

    def _start_polling(self, inbox: InboxService, name: str) -> None:
        """Run the polling loop called ``name`` (one of :data:`_POLL_WORKERS`) in a worker."""
        loop = {
            "poll-list": inbox.list_loop,
            "poll-thread": inbox.thread_loop,
            "poll-previews": inbox.preview_loop,
            "poll-local": inbox.local_loop,
        }[name]
        self.run_worker(loop(), name=name, group="poll", exit_on_error=False)

    def _on_retry(self, event: RetryEvent) -> None:
        """The client's retry hook (the client exists before the service that shows it)."""
        if self.inbox is not None:
            self.inbox.on_retry(event)

    def _post_to_main(self, message: Message) -> bool:
        if self.main_screen is None:
            return False
        return self.main_screen.post_message(message)

    async def on_unmount(self) -> None:
        await self._cleanup()

    async def _cleanup(self) -> None:
        if self._exit_callbacks_ran:
            return
        self._exit_callbacks_ran = True
        self.workers.cancel_group(self, "poll")
        if self.outbox is not None:
            # Before the client closes: a reply on the wire may still get its answer.
            try:
                await self.outbox.aclose(grace=OUTBOX_CLOSE_GRACE)
            except Exception:
                log.exception("could not stop the outbox")
        if self.client is not None:
            with contextlib.suppress(Exception):
                await self.client.aclose()
        if self.main_screen is not None:
            try:
                self.main_screen.keep_composer_draft()
            except Exception:
                log.exception("could not keep the composer's draft")
        if self.state is not None:
            try:
                self.state.close()
            except Exception:
                log.exception("could not save the local state")
        if self.store is not None:
            try:
                self.store.close()
            except Exception:
                log.exception("could not close the local database")
        for callback in self.config.on_exit:
            try:
                callback()
            except Exception:
                log.exception("on_exit callback failed")

    # ------------------------------------------------------------------ errors

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures surface: a notification, never a crash."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if error is None:
            return
        log.error("worker %s failed: %r", event.worker.name, error)
        text = describe_error(error)
        if isinstance(error, AuthenticationError):
            text = "The server rejected the API key/secret: " + text
        self.notify(text, title="Error", severity="error", markup=False, timeout=8)
        name = event.worker.name
        if name in _POLL_WORKERS and self.inbox is not None:
            # A polling loop must never stay dead: restart it.
            self._start_polling(self.inbox, name)

    # ------------------------------------------------------------------ notifications

    def set_unread_title(self, count: int) -> None:
        """Terminal title (OSC 2) with the unread count, like mail clients."""
        if count == self._title_unread:
            return
        self._title_unread = count
        name = "sendbee" + (" DEMO" if self.config.demo else "")
        title = f"({count}) {name}" if count else name
        self.title = title
        self._write_escape(f"\x1b]2;{clean(title)}\x07")

    def _write_escape(self, data: str) -> None:
        driver = self._driver
        if driver is None or self.is_headless:
            return
        with contextlib.suppress(Exception):
            driver.write(data)
            driver.flush()

    def notify_inbound(self, name: str, preview: str) -> None:
        """New customer message: toast, and optionally bell / OSC 9 / OSC 777."""
        self.notify(preview or "new message", title=name, markup=False, timeout=6)
        settings = self.config.settings
        if settings.notify_bell:
            self.bell()
        if settings.notify_osc:
            body = clean(f"{name}: {preview}")[:200].replace(";", ",")
            self._write_escape(f"\x1b]9;{body}\x07")
            self._write_escape(
                f"\x1b]777;notify;{clean(name)[:60].replace(';', ',')};"
                f"{clean(preview)[:200].replace(';', ',')}\x07"
            )

    # ------------------------------------------------------------------ actions

    def _not_in_team(self, what: str) -> bool:
        """In a team session: say that ``what`` is not offered, and return True.

        A session runs on the team's host for an agent who logged in over SSH:
        no program is started for her there (editor, browser, shell), and the
        account is the server's to set up.
        """
        if self.config.team is None:
            return False
        self.notify(f"{what}: {NOT_IN_TEAM}.", severity="warning", markup=False)
        return True

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's palette entries, less those a team session does not offer."""
        for command in super().get_system_commands(screen):
            if self.config.team is None or command.title not in NOT_IN_TEAM_SYSTEM_COMMANDS:
                yield command

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """A browser would start on the team's host, not the agent's: not in a team session."""
        if not self._not_in_team("Opening links"):
            super().open_url(url, new_tab=new_tab)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's "Screenshot" would write a file on the team's host: not in a session."""
        if self._not_in_team("Screenshots"):
            return None
        return super().deliver_screenshot(filename, path, time_format)

    def action_suspend_process(self) -> None:
        """Suspending would leave an SSH session hanging: not in a team session."""
        if not self._not_in_team("Suspending"):
            super().action_suspend_process()

    def action_help(self) -> None:
        from sendbee_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_compose_in_editor(self) -> None:
        """Ctrl+E: write the reply in $VISUAL/$EDITOR (the app is suspended meanwhile)."""
        if self._not_in_team("$EDITOR"):
            return
        screen = self.main_screen
        if screen is None or screen.composer.conversation is None:
            self.notify("Open a conversation first.", markup=False)
            return
        composer = screen.composer
        try:
            with self.suspend():
                text = editor.edit_text(composer.input.text)
        except Exception as exc:
            self.notify(f"Editor failed: {describe_error(exc)}", severity="error", markup=False)
            return
        if text is not None:
            composer.input.load_text(text.rstrip("\n"))
            composer.input.focus()

    def action_setup_account(self) -> None:
        """Enter real credentials (from demo mode): the CLI restarts on the saved profile."""
        if self.exiting or self._not_in_team("Account setup"):
            return

        def done(profile: Profile | None) -> None:
            if profile is not None:
                self.exit(result=profile)  # type: ignore[arg-type]

        from sendbee_tui.tui.screens.setup import SetupScreen

        self.push_screen(SetupScreen(self.config.paths), done)
