"""First-run setup: ask for API key and secret, check them against the API, save a profile.

Built on the shared :class:`~sendbee_tui.tui.forms.FormModal`, so it
behaves like every other form: Enter submits, Escape cancels (asking first when
something was typed), errors sit under their fields and typed values survive a
failed check.

"Check & save" makes one cheap, read-only request (one conversation) with the
typed credentials before anything is written: a wrong key or secret shows up
here, next to the fields, instead of as a broken inbox later.  Only then is the
profile saved, with mode 0600 (:func:`~sendbee_tui.config.save_profile`), and the
screen dismissed with the :class:`~sendbee_tui.config.Profile` — the app switches
to it.  The secret is never shown after typing: the inputs are password inputs
and every message that could quote it is scrubbed.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Checkbox, Input

from sendbee_tui.api import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    SendbeeClient,
    SendbeeError,
)
from sendbee_tui.config import (
    DEFAULT_BASE_URL,
    ConfigError,
    Paths,
    Profile,
    load_config_file,
    mask_secret,
    save_profile,
    validate_base_url,
    validate_profile_name,
)
from sendbee_tui.tui import keys
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.forms import FormField, FormModal, http_url

log = logging.getLogger(__name__)

#: Seconds to wait for the check request: long enough for a slow link, short
#: enough that a wrong host does not leave the user staring at "Checking…".
CHECK_TIMEOUT = 15.0


def _profile_name_check(value: object) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        validate_profile_name(text)
    except ConfigError:
        return "Use letters, digits, '-' or '_' (up to 64), starting with a letter or digit."
    return None


class SetupScreen(FormModal[Profile]):
    """Profile name, API key, API secret, base URL -> checked and saved profile.

    Dismissed with the saved :class:`Profile`, or ``None`` when cancelled.
    """

    form_title = "Connect a Sendbee account"
    submit_label = "Check & save"
    discard_message = "Discard the credentials you typed?"

    def __init__(
        self,
        paths: Paths,
        *,
        profile_name: str | None = None,
        base_url: str | None = None,
        make_default: bool = True,
        client_factory: type[SendbeeClient] = SendbeeClient,
        id: str | None = "setup",
    ) -> None:
        super().__init__(id=id)
        self.paths = paths
        self._client_factory = client_factory
        self._initial_base_url = base_url or DEFAULT_BASE_URL
        self._initial_default = make_default
        try:
            self._existing = sorted(load_config_file(paths).profiles)
        except ConfigError as exc:
            # A broken file is reported on the form; saving rewrites the profile
            # only after reading the file again (and fails loudly if still broken).
            log.warning("config file unreadable while opening setup: %s", exc)
            self._existing = []
            self._config_problem: str | None = str(exc)
        else:
            self._config_problem = None
        self._initial_name = profile_name or ("default" if not self._existing else "")
        #: Whether the saved profile was made the default (read after dismissal).
        self.made_default = make_default

    def compose_form(self) -> ComposeResult:
        existing = (
            f"Saved: {', '.join(self._existing)} (same name replaces)"
            if self._existing
            else "e.g. the shop's name or its business number"
        )
        yield FormField(
            "name",
            "Profile name",
            Input(self._initial_name, placeholder="default"),
            validators=[_profile_name_check],
            required=True,
            help=existing,
            aliases=("profile",),
        )
        yield FormField(
            "api_key",
            "API key",
            Input(password=True, placeholder="from Sendbee: Settings → API"),
            required=True,
            aliases=("key", "x-api-key"),
        )
        yield FormField(
            "api_secret",
            "API secret",
            Input(password=True, placeholder="never shown again after saving"),
            required=True,
            help="Saved readable only by you (mode 0600).",
            aliases=("secret", "token", "auth token"),
        )
        yield FormField(
            "base_url",
            "API base URL",
            Input(self._initial_base_url),
            validators=[http_url],
            required=True,
            help="Keep it unless you use the sandbox or a proxy.",
            aliases=("url", "host"),
        )
        yield FormField(
            "make_default",
            "Default profile",
            Checkbox("use it when no --profile is given", self._initial_default),
        )

    def on_mount(self) -> None:
        super().on_mount()
        if self._config_problem:
            self.show_form_error(f"Note: {self._config_problem}")
        # Start where typing is needed.
        target = "#input-name" if not self._initial_name else "#input-api_key"
        self.query_one(target, Input).focus()

    def check_form(self, values: dict[str, Any]) -> dict[str, str]:
        problems: dict[str, str] = {}
        try:
            validate_base_url(str(values.get("base_url") or ""))
        except ConfigError:
            problems["base_url"] = "Enter a URL starting with https:// (or http:// for a sandbox)."
        return problems

    async def submit_form(self, values: dict[str, Any]) -> Profile:
        profile = Profile(
            name=str(values["name"]).strip(),
            api_key=str(values["api_key"]).strip(),
            api_secret=str(values["api_secret"]).strip(),
            base_url=validate_base_url(str(values["base_url"])),
        )
        self.show_form_info(f"Checking the credentials with {profile.base_url} …")
        async with self._client_factory(
            profile.api_key,
            profile.api_secret,
            base_url=profile.base_url,
            timeout=CHECK_TIMEOUT,
            max_retries=1,
        ) as client:
            await client.conversations.list(limit=1)
        make_default = bool(values.get("make_default", True))
        try:
            save_profile(self.paths, profile, make_default=make_default)
        except ConfigError as exc:
            raise ValueError(f"Checked, but not saved: {exc}") from None
        except OSError as exc:
            raise ValueError(
                f"Checked, but could not write {self.paths.config_file}: {exc.strerror or exc}"
            ) from None
        self.made_default = make_default or not self._existing
        log.info(
            "profile %r checked and saved (key %s)", profile.name, mask_secret(profile.api_key)
        )
        return profile

    def handle_submit_error(self, exc: BaseException) -> None:
        if isinstance(exc, AuthenticationError):
            message = (
                f"Sendbee did not accept this key and secret (HTTP {exc.status}). "
                "Check both, e.g. for a missing last character."
            )
            self.show_field_error("api_key", "Key or secret is wrong.")
            self.show_field_error("api_secret", self._scrub(message))
            self.show_form_error("Not saved: the credentials were refused.")
            self.fields["api_secret"].control.focus()
            return
        if isinstance(exc, APITimeoutError):
            self.show_field_error("base_url", "No answer from this address in time.")
            self.show_form_error("Not saved: the server did not answer. Check the URL and retry.")
            return
        if isinstance(exc, APIConnectionError):
            self.show_field_error("base_url", self._scrub(f"Cannot connect to this address: {exc}"))
            self.show_form_error("Not saved: connection failed. Check the URL and your network.")
            return
        if isinstance(exc, SendbeeError):
            self.show_form_error(self._scrub(f"Not saved: {describe_error(exc)}"))
            return
        super().handle_submit_error(exc)

    def show_field_error(self, name: str, message: str) -> None:
        super().show_field_error(name, self._scrub(message))

    def show_form_error(self, message: str) -> None:
        super().show_form_error(self._scrub(message))

    def _scrub(self, message: str) -> str:
        """Mask the typed secret (and key) wherever a message might quote it."""
        if not self.is_attached:
            return message
        for name in ("api_secret", "api_key"):
            row = self.fields.get(name)
            value = str(row.value).strip() if row is not None else ""
            if len(value) >= 4 and value in message:
                message = message.replace(value, mask_secret(value))
        return message


class SetupApp(App[Profile]):
    """``sendbee-tui setup``: the setup screen alone; exits with the saved profile or None."""

    TITLE = "sendbee-tui setup"
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("setup")

    def __init__(
        self,
        paths: Paths,
        *,
        name: str | None = None,
        base_url: str | None = None,
        client_factory: type[SendbeeClient] = SendbeeClient,
    ) -> None:
        super().__init__()
        self.paths = paths
        self.made_default = True
        self._profile_name = name
        self._base_url = base_url
        self._client_factory = client_factory

    def on_mount(self) -> None:
        self.setup_screen = SetupScreen(
            self.paths,
            profile_name=self._profile_name,
            base_url=self._base_url,
            client_factory=self._client_factory,
        )
        self.push_screen(self.setup_screen, self._finished)

    def _finished(self, profile: Profile | None) -> None:
        self.made_default = self.setup_screen.made_default
        self.exit(profile)
