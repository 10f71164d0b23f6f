"""config.toml's [keymap] and [snippets] tables, in-place edits that keep comments, account keys."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

import pytest

from sendbee_tui.config import (
    AppConfig,
    ConfigError,
    Paths,
    Profile,
    account_key,
    legacy_state_path,
    load_config_file,
    remove_profile,
    save_profile,
    save_snippets,
    write_default_profile,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

KEY = "key-abcdef-123456"
SECRET = "s3cr3t-VALUE-that-must-not-leak-9876"

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX-only")


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(config_dir=tmp_path / "cfg", data_dir=tmp_path / "data")


def write(paths: Paths, text: str) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")
    paths.config_file.chmod(0o600)


HAND_WRITTEN = """\
# My sendbee-tui setup.  Do not share: it has secrets.
default_profile = "shop"

[settings]
poll_list_seconds = 7 # the shop is busy

[snippets]
# greetings first
hello = "Hi there!" # the short one
bye = "Bye for now"
thanks = "Thanks!"

[profiles.shop]
api_key = "shop-key"
api_secret = "shop-secret" # rotated in May

[future_table] # from a newer version
answer = 42
"""


# --------------------------------------------------------------------------- [keymap]


def test_keymap_is_binding_id_to_keys(paths: Paths) -> None:
    write(
        paths,
        '[keymap]\n"inbox.done" = "x"\n"list.down" = " j,down "\n'
        '# unquoted ids are dotted keys: sub-tables, flattened back\napp.help = "f1"\n',
    )
    loaded = load_config_file(paths)
    assert loaded.keymap == {"inbox.done": "x", "list.down": "j,down", "app.help": "f1"}
    assert loaded.warnings == ()


def test_bad_keymap_entries_are_skipped_with_a_notice(paths: Paths) -> None:
    write(paths, '[keymap]\n"inbox.done" = 3\n"inbox.reply" = ""\n"list.up" = "k"\n')
    loaded = load_config_file(paths)
    assert loaded.keymap == {"list.up": "k"}
    joined = "\n".join(loaded.warnings)
    assert "keymap 'inbox.done'" in joined and "not a int" in joined
    assert "keymap 'inbox.reply'" in joined and "empty" in joined


def test_a_keymap_that_is_not_a_table_is_ignored_with_a_notice(paths: Paths) -> None:
    write(paths, 'keymap = "vim"\n')
    loaded = load_config_file(paths)
    assert loaded.keymap == {}
    assert any("[keymap] must be a table" in w for w in loaded.warnings)


def test_keymap_and_snippets_reach_the_app_config(paths: Paths) -> None:
    from sendbee_tui import cli

    write(
        paths,
        '[keymap]\n"inbox.done" = "x"\n"inbox.reply" = 1\n[snippets]\nb = "B"\na = "A"\n'
        '[profiles.shop]\napi_key = "k"\napi_secret = "s"\n',
    )
    config: AppConfig = cli.build_app_config(cli.parse_args([]), env={}, paths=paths)
    assert config.keymap == {"inbox.done": "x"}
    assert list(config.snippets.items()) == [("b", "B"), ("a", "A")]
    assert any("keymap 'inbox.reply'" in notice for notice in config.notices)


# --------------------------------------------------------------------------- [snippets]


def test_snippets_keep_the_file_order_and_skip_non_text(paths: Paths) -> None:
    write(paths, '[snippets]\nzebra = "Z"\nalpha = "A"\nodd = ["x"]\nmiddle = """two\nlines"""\n')
    loaded = load_config_file(paths)
    assert list(loaded.snippets.items()) == [
        ("zebra", "Z"),
        ("alpha", "A"),
        ("middle", "two\nlines"),
    ]
    assert any("snippet 'odd' must be text, not list" in w for w in loaded.warnings)


def test_save_snippets_edits_in_place_keeping_everything_else(paths: Paths) -> None:
    write(paths, HAND_WRITTEN)
    save_snippets(
        paths,
        {"hello": "Hi there!", "thanks": "Thank you so much!", "hours": "Mon-Fri\n9-17"},
    )
    text = paths.config_file.read_text()
    # the user's comments, the other tables and their order are all still there
    for kept in (
        "# My sendbee-tui setup.  Do not share: it has secrets.",
        "poll_list_seconds = 7 # the shop is busy",
        "# greetings first",
        'hello = "Hi there!" # the short one',
        'api_secret = "shop-secret" # rotated in May',
        "[future_table] # from a newer version",
    ):
        assert kept in text
    assert text.index("[settings]") < text.index("[snippets]") < text.index("[profiles.shop]")
    assert "bye" not in text
    loaded = load_config_file(paths)
    assert list(loaded.snippets.items()) == [
        ("hello", "Hi there!"),
        ("thanks", "Thank you so much!"),
        ("hours", "Mon-Fri\n9-17"),
    ]
    assert loaded.profiles["shop"].api_secret == "shop-secret"
    assert loaded.settings.poll_list_seconds == 7.0
    assert tomllib.loads(text)["future_table"] == {"answer": 42}


def test_save_snippets_follows_a_new_order(paths: Paths) -> None:
    write(paths, HAND_WRITTEN)
    save_snippets(paths, {"thanks": "Thanks!", "hello": "Hi there!", "bye": "Bye for now"})
    loaded = load_config_file(paths)
    assert list(loaded.snippets) == ["thanks", "hello", "bye"]
    assert 'hello = "Hi there!" # the short one' in paths.config_file.read_text()


@pytest.mark.parametrize(
    "text",
    [
        "quotes \" and 'single' and a backslash \\ and a tab \t",
        "ends with a backslash \\",
        'three quotes """ inside\nand a second line',
        "windows\r\nline ends",
        "emoji 😊, Ćevapi, 日本語",
        "\nstarts with a newline",
        "control \x1b[31m characters \x07 \x7f",
        "control \x1b[31m characters\nin a block \x00",
    ],
)
def test_snippet_text_round_trips_exactly(paths: Paths, text: str) -> None:
    save_snippets(paths, {"tricky": text, "after": "still parsed"})
    assert load_config_file(paths).snippets == {"tricky": text, "after": "still parsed"}


def test_snippet_names_need_not_be_bare_keys(paths: Paths) -> None:
    snippets = {"thank you": "T", "a.b": "dotted", "ü": "umlaut"}
    save_snippets(paths, snippets)
    assert load_config_file(paths).snippets == snippets


def test_deleting_every_snippet_empties_the_table(paths: Paths) -> None:
    write(paths, HAND_WRITTEN)
    save_snippets(paths, {})
    assert load_config_file(paths).snippets == {}
    assert "# greetings first" in paths.config_file.read_text()


def test_no_snippets_and_no_file_writes_nothing(paths: Paths) -> None:
    save_snippets(paths, {})
    assert not paths.config_file.exists()


def test_first_snippet_creates_a_private_file(paths: Paths) -> None:
    save_snippets(paths, {"hi": "Hello!"})
    assert load_config_file(paths).snippets == {"hi": "Hello!"}
    if os.name == "posix":
        assert stat.S_IMODE(paths.config_file.stat().st_mode) == 0o600
    assert sorted(p.name for p in paths.config_dir.iterdir()) == ["config.toml"]


@posix_only
def test_save_snippets_writes_atomically_with_mode_0600(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(paths, HAND_WRITTEN)
    paths.config_file.chmod(0o644)  # even a file someone widened comes back private
    save_snippets(paths, {"hi": "Hello!"})
    assert stat.S_IMODE(paths.config_file.stat().st_mode) == 0o600
    before = paths.config_file.read_bytes()

    def boom(*a: object, **k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        save_snippets(paths, {"hi": "changed"})
    assert paths.config_file.read_bytes() == before
    assert sorted(p.name for p in paths.config_dir.iterdir()) == ["config.toml"]


def test_bad_snippets_are_refused_before_writing(paths: Paths) -> None:
    write(paths, HAND_WRITTEN)
    before = paths.config_file.read_bytes()
    with pytest.raises(ConfigError, match="needs a name"):
        save_snippets(paths, {" ": "text"})
    with pytest.raises(ConfigError, match="must be text"):
        save_snippets(paths, {"n": 3})  # type: ignore[dict-item]
    assert paths.config_file.read_bytes() == before


def test_writing_a_broken_file_is_refused_without_echoing_it(paths: Paths) -> None:
    write(paths, "[profiles.shop]\napi_secret = TOPSECRETVALUE\n")
    before = paths.config_file.read_bytes()
    with pytest.raises(ConfigError, match="not valid TOML") as info:
        save_snippets(paths, {"hi": "Hello!"})
    assert "TOPSECRETVALUE" not in str(info.value) and "line 2" in str(info.value)
    with pytest.raises(ConfigError, match="not valid TOML"):
        save_profile(paths, Profile("cafe", KEY, SECRET))
    assert paths.config_file.read_bytes() == before


# --------------------------------------------------------------------------- profiles, in place


def test_profile_edits_keep_comments_and_unknown_tables(paths: Paths) -> None:
    write(paths, HAND_WRITTEN)
    save_profile(paths, Profile("cafe", KEY, SECRET, "https://cafe.test"), make_default=False)
    save_profile(paths, Profile("shop", "shop-key", "new-secret"))  # replaced in place
    text = paths.config_file.read_text()
    assert "# My sendbee-tui setup." in text and "# greetings first" in text
    assert "[future_table] # from a newer version" in text
    loaded = load_config_file(paths)
    assert loaded.profiles["shop"].api_secret == "new-secret"
    assert loaded.profiles["cafe"].base_url == "https://cafe.test"
    write_default_profile(paths, "cafe")
    assert load_config_file(paths).default_profile == "cafe"
    assert remove_profile(paths, "cafe") == "shop"
    text = paths.config_file.read_text()
    assert "cafe" not in text and "# greetings first" in text
    assert list(load_config_file(paths).snippets) == ["hello", "bye", "thanks"]


def test_a_new_file_says_it_holds_secrets(paths: Paths) -> None:
    save_profile(paths, Profile("shop", KEY, SECRET))
    first = paths.config_file.read_text().splitlines()[0]
    assert first.startswith("# sendbee-tui configuration. Holds API secrets")


# --------------------------------------------------------------------------- account keys


@pytest.mark.parametrize(
    "spelling",
    [
        "https://api-v2.sendbee.io",
        "https://api-v2.sendbee.io/",
        "HTTPS://API-V2.Sendbee.IO",
        "https://api-v2.sendbee.io:443",
        "  https://api-v2.sendbee.io/  ",
        "https://user:password@api-v2.sendbee.io",
    ],
)
def test_one_server_one_account_key(spelling: str) -> None:
    assert account_key(spelling, KEY) == account_key("https://api-v2.sendbee.io", KEY)


def test_account_key_tells_accounts_apart_and_hides_the_key() -> None:
    base = account_key("https://api-v2.sendbee.io", KEY)
    assert base.startswith("https://api-v2.sendbee.io#")
    fingerprint = base.rsplit("#", 1)[1]
    assert len(fingerprint) == 16 and int(fingerprint, 16) >= 0
    assert KEY not in base
    assert account_key("https://api-v2.sendbee.io", KEY + "x") != base
    assert account_key("http://api-v2.sendbee.io", KEY) != base
    assert account_key("https://api-v2.sendbee.io:8443", KEY) != base
    assert account_key("http://[::1]:8800/api/", KEY).startswith("http://[::1]:8800/api#")
    assert "password" not in account_key("https://u:password@h.test", KEY)


def test_profile_account_key_ignores_the_profile_name() -> None:
    a = Profile("shop", KEY, SECRET, "https://api-v2.sendbee.io")
    b = Profile("renamed", KEY, "other-secret", "https://api-v2.sendbee.io/")
    assert a.account_key == b.account_key == account_key(a.base_url, KEY)
    assert Profile("demo", KEY, SECRET, pinned_account_key="demo").account_key == "demo"
    assert "demo" not in repr(Profile("x", KEY, SECRET, pinned_account_key="demo"))


def test_the_demo_profile_is_pinned_across_ports(paths: Paths) -> None:
    from sendbee_tui import cli

    server, profile = cli.start_demo(paths, simulate=None)
    server.stop()
    assert profile.account_key == "demo"


def _hashed(name: str) -> str:
    return f"profile-{hashlib.sha256(name.encode()).hexdigest()[:16]}.json"


@pytest.mark.parametrize(
    ("name", "file_name"),
    [
        ("shop", "shop.json"),
        ("cli-1a2b3c4d", "cli-1a2b3c4d.json"),
        # Not plain: hashed (sha256, 16 hex digits), so no name escapes the state dir.
        ("odd name/../x", _hashed("odd name/../x")),
        ("é", _hashed("é")),
        ("../../etc/passwd", _hashed("../../etc/passwd")),
    ],
)
def test_legacy_state_path_is_where_local_state_lived(
    paths: Paths, name: str, file_name: str
) -> None:
    """The rule the per-profile JSON files (``sendbee_tui/state.py``, now retired) used."""
    assert legacy_state_path(paths, name) == paths.data_dir / "state" / file_name
