"""Config file, profiles, precedence of credential sources, file modes."""

from __future__ import annotations

import argparse
import logging
import os
import stat
import sys
from pathlib import Path

import pytest

from sendbee_tui.config import (
    DEFAULT_BASE_URL,
    ConfigError,
    Paths,
    Profile,
    Settings,
    default_paths,
    load_config,
    load_config_file,
    mask_secret,
    save_profile,
)
from sendbee_tui.credentials import resolve_profile

SECRET = "s3cr3t-VALUE-that-must-not-leak-9876"
KEY = "key-abcdef-123456"

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX-only")


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(config_dir=tmp_path / "cfg" / "sendbee-tui", data_dir=tmp_path / "data")


def args(**kw: str | None) -> argparse.Namespace:
    base = {"api_key": None, "api_secret": None, "base_url": None, "profile": None}
    base.update(kw)
    return argparse.Namespace(**base)


def write(paths: Paths, text: str) -> None:
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")
    paths.config_file.chmod(0o600)


# --------------------------------------------------------------------------- masking / repr


def test_profile_repr_hides_key_and_secret() -> None:
    profile = Profile(name="shop", api_key=KEY, api_secret=SECRET)
    for text in (repr(profile), str(profile), profile.describe()):
        assert SECRET not in text
        assert KEY not in text
    assert "shop" in repr(profile)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "(not set)"),
        (None, "(not set)"),
        ("abc", "****"),
        ("abcdefgh", "****gh"),
        ("abcdefghijklmnop", "****mnop"),
        (SECRET, "****9876"),
    ],
)
def test_mask_secret_shows_at_most_four_chars(value: str | None, expected: str) -> None:
    assert mask_secret(value) == expected


def test_mask_does_not_reveal_length() -> None:
    assert len(mask_secret("x" * 20)) == len(mask_secret("y" * 200))


# --------------------------------------------------------------------------- paths


def test_default_paths_honours_sendbee_tui_home(tmp_path: Path) -> None:
    p = default_paths({"SENDBEE_TUI_HOME": str(tmp_path)})
    assert p.config_dir == tmp_path / "config"
    assert p.data_dir == tmp_path / "data"
    assert p.config_file == tmp_path / "config" / "config.toml"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG dirs are a Linux convention")
def test_default_paths_follow_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xc"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xd"))
    p = default_paths({})
    assert p.config_dir == tmp_path / "xc" / "sendbee-tui"
    assert p.data_dir == tmp_path / "xd" / "sendbee-tui"


# --------------------------------------------------------------------------- load / save


def test_missing_file_is_empty_config(paths: Paths) -> None:
    profiles, settings = load_config(paths)
    assert profiles == {}
    assert settings == Settings()


def test_round_trip_keeps_settings_and_other_profiles(paths: Paths) -> None:
    write(
        paths,
        """
[settings]
poll_list_seconds = 7
notify_bell = true

[profiles.old]
api_key = "old-key"
api_secret = "old-secret"
""",
    )
    save_profile(paths, Profile("shop", KEY, SECRET, "https://example.test/"))
    loaded = load_config_file(paths)
    assert loaded.default_profile == "shop"
    assert loaded.settings.poll_list_seconds == 7.0
    assert loaded.settings.notify_bell is True
    assert loaded.profiles["old"] == Profile("old", "old-key", "old-secret", DEFAULT_BASE_URL)
    assert loaded.profiles["shop"] == Profile("shop", KEY, SECRET, "https://example.test")


def test_first_profile_becomes_default_even_without_make_default(paths: Paths) -> None:
    save_profile(paths, Profile("a", KEY, SECRET), make_default=False)
    save_profile(paths, Profile("b", KEY, SECRET), make_default=False)
    assert load_config_file(paths).default_profile == "a"
    save_profile(paths, Profile("b", KEY, "new-secret"), make_default=True)
    loaded = load_config_file(paths)
    assert loaded.default_profile == "b"
    assert loaded.profiles["b"].api_secret == "new-secret"


@posix_only
def test_saved_file_is_0600_and_dir_0700(paths: Paths) -> None:
    old_umask = os.umask(0)  # the most permissive umask must not widen the modes
    try:
        path = save_profile(paths, Profile("shop", KEY, SECRET))
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(paths.config_dir).st_mode) == 0o700
    # no temporary files left behind
    assert sorted(p.name for p in paths.config_dir.iterdir()) == ["config.toml"]


@posix_only
def test_file_is_never_created_with_a_wider_mode(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mode is given to os.open itself; nothing chmods the file afterwards."""
    opened: list[int] = []
    chmodded: list[str] = []
    real_open, real_chmod = os.open, os.chmod

    def spy_open(path: str, flags: int, mode: int = 0o777, *a: object, **k: object) -> int:
        if str(path).startswith(str(paths.config_dir)):
            opened.append(mode)
        return real_open(path, flags, mode, *a, **k)

    def spy_chmod(path: str | Path, mode: int, *a: object, **k: object) -> None:
        chmodded.append(str(path))
        real_chmod(path, mode, *a, **k)

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "chmod", spy_chmod)
    save_profile(paths, Profile("shop", KEY, SECRET))
    assert opened == [0o600]
    assert not [p for p in chmodded if p.endswith(".toml") or ".tmp" in p]


@posix_only
def test_existing_wide_directory_is_tightened(paths: Paths) -> None:
    paths.config_dir.mkdir(parents=True)
    paths.config_dir.chmod(0o755)
    save_profile(paths, Profile("shop", KEY, SECRET))
    assert stat.S_IMODE(os.stat(paths.config_dir).st_mode) == 0o700


@posix_only
def test_world_readable_file_gives_a_warning(paths: Paths) -> None:
    save_profile(paths, Profile("shop", KEY, SECRET))
    paths.config_file.chmod(0o644)
    warnings = load_config_file(paths).warnings
    assert any("chmod 600" in w for w in warnings)


def test_unknown_keys_are_ignored_with_a_warning(
    paths: Paths, caplog: pytest.LogCaptureFixture
) -> None:
    write(
        paths,
        """
colour = "blue"
[settings]
theme = "dark"
poll_thread_seconds = 2.5
[profiles.shop]
api_key = "k"
api_secret = "TOPSECRETVALUE"
nickname = "x"
""",
    )
    with caplog.at_level(logging.WARNING, logger="sendbee_tui.config"):
        loaded = load_config_file(paths)
    assert loaded.settings.poll_thread_seconds == 2.5
    assert loaded.profiles["shop"].api_key == "k"
    joined = "\n".join(loaded.warnings)
    for word in ("colour", "theme", "nickname"):
        assert word in joined
        assert word in caplog.text
    assert "TOPSECRETVALUE" not in caplog.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[settings]\npoll_list_seconds = 'fast'", "settings.poll_list_seconds must be a number"),
        ("[settings]\npoll_list_seconds = true", "must be a number, not bool"),
        ("[settings]\npage_size = 1.5", "settings.page_size must be an integer"),
        ("[settings]\npage_size = 500", "between 1 and 100"),
        ("[settings]\nnotify_bell = 'yes'", "notify_bell must be true or false"),
        ("[settings]\npoll_thread_seconds = 0", "between 0.5 and 3600"),
        ("settings = 3", "[settings] must be a table"),
        ("profiles = 3", "[profiles] must be a table"),
        ("[profiles.shop]\napi_key = 'k'", "[profiles.shop] has no api_secret"),
        ("[profiles.shop]\napi_key = 1\napi_secret = 's'", "api_key must be a string, not int"),
        ("[profiles.shop]\napi_key = ''\napi_secret = 's'", "api_key is empty"),
        ("[profiles.shop]\napi_key='k'\napi_secret='s'\nbase_url='ftp://x'", "invalid base URL"),
        ("[profiles.'bad name']\napi_key='k'\napi_secret='s'", "invalid profile name"),
        ("default_profile = 'nope'", "no [profiles.nope]"),
        ("default_profile = 3", "default_profile must be a string"),
        ("this is not toml", "is not valid TOML"),
    ],
)
def test_bad_config_gives_a_clear_error(paths: Paths, text: str, message: str) -> None:
    write(paths, text)
    with pytest.raises(ConfigError) as info:
        load_config(paths)
    assert message in str(info.value)
    assert str(paths.config_file) in str(info.value)


def test_bad_value_error_does_not_echo_the_value(paths: Paths) -> None:
    write(paths, "[profiles.shop]\napi_key = 'k'\napi_secret = ['TOPSECRETVALUE']")
    with pytest.raises(ConfigError) as info:
        load_config(paths)
    assert "TOPSECRETVALUE" not in str(info.value)


def test_toml_syntax_error_does_not_echo_the_line(paths: Paths) -> None:
    write(paths, "[profiles.shop]\napi_key = 'k'\napi_secret = TOPSECRETVALUE\n")
    with pytest.raises(ConfigError) as info:
        load_config(paths)
    assert "TOPSECRETVALUE" not in str(info.value)


def test_save_rejects_bad_profiles(paths: Paths) -> None:
    with pytest.raises(ConfigError, match="invalid profile name"):
        save_profile(paths, Profile("../evil", KEY, SECRET))
    with pytest.raises(ConfigError, match="both an API key and an API secret"):
        save_profile(paths, Profile("shop", KEY, " "))
    with pytest.raises(ConfigError, match="invalid base URL"):
        save_profile(paths, Profile("shop", KEY, SECRET, "example.com"))
    assert not paths.config_file.exists()


def test_save_after_a_crash_mid_write_keeps_the_old_file(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_profile(paths, Profile("shop", KEY, SECRET))
    before = paths.config_file.read_bytes()

    def boom(*a: object, **k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        save_profile(paths, Profile("other", KEY, SECRET))
    assert paths.config_file.read_bytes() == before
    assert sorted(p.name for p in paths.config_dir.iterdir()) == ["config.toml"]


# --------------------------------------------------------------------------- precedence


@pytest.fixture
def two_profiles(paths: Paths) -> Paths:
    save_profile(paths, Profile("shop", "shop-key", "shop-secret", "https://shop.test"))
    save_profile(paths, Profile("cafe", "cafe-key", "cafe-secret"), make_default=False)
    return paths


def test_nothing_configured_means_none(paths: Paths) -> None:
    assert resolve_profile(args(), {}, paths) is None


def test_default_profile_is_used(two_profiles: Paths) -> None:
    p = resolve_profile(args(), {}, two_profiles)
    assert p is not None and p.name == "shop" and p.api_secret == "shop-secret"


def test_profile_flag_beats_default(two_profiles: Paths) -> None:
    p = resolve_profile(args(profile="cafe"), {}, two_profiles)
    assert p is not None and p.name == "cafe" and p.base_url == DEFAULT_BASE_URL


def test_profile_env_var_selects_a_profile(two_profiles: Paths) -> None:
    p = resolve_profile(args(), {"SENDBEE_PROFILE": "cafe"}, two_profiles)
    assert p is not None and p.name == "cafe"
    p = resolve_profile(args(profile="shop"), {"SENDBEE_PROFILE": "cafe"}, two_profiles)
    assert p is not None and p.name == "shop"


def test_unknown_profile_is_an_error_listing_known_ones(two_profiles: Paths) -> None:
    with pytest.raises(ConfigError, match=r"no profile named 'nope' \(profiles: cafe, shop\)"):
        resolve_profile(args(profile="nope"), {}, two_profiles)


def test_env_beats_profiles(two_profiles: Paths) -> None:
    env = {"SENDBEE_API_KEY": "env-key", "SENDBEE_API_SECRET": "env-secret"}
    p = resolve_profile(args(profile="cafe"), env, two_profiles)
    assert p is not None
    assert (p.api_key, p.api_secret, p.base_url) == ("env-key", "env-secret", DEFAULT_BASE_URL)
    assert p.name.startswith("env-")
    assert "env-key" not in p.name


def test_cli_beats_env(two_profiles: Paths) -> None:
    env = {
        "SENDBEE_API_KEY": "env-key",
        "SENDBEE_API_SECRET": "env-secret",
        "SENDBEE_BASE_URL": "https://env.test",
    }
    p = resolve_profile(
        args(api_key="cli-key", api_secret="cli-secret", base_url="https://cli.test/"),
        env,
        two_profiles,
    )
    assert p is not None
    assert (p.api_key, p.api_secret, p.base_url) == ("cli-key", "cli-secret", "https://cli.test")
    assert p.name.startswith("cli-")


def test_key_on_cli_secret_in_env(paths: Paths) -> None:
    """Keeps the secret out of `ps` while naming the key on the command line."""
    p = resolve_profile(args(api_key="cli-key"), {"SENDBEE_API_SECRET": "env-secret"}, paths)
    assert p is not None and (p.api_key, p.api_secret) == ("cli-key", "env-secret")


def test_half_a_credential_pair_is_an_error(two_profiles: Paths) -> None:
    with pytest.raises(ConfigError, match="no API secret"):
        resolve_profile(args(api_key="k"), {}, two_profiles)
    with pytest.raises(ConfigError, match="no API key"):
        resolve_profile(args(), {"SENDBEE_API_SECRET": "s"}, two_profiles)


def test_base_url_override_applies_to_a_profile(two_profiles: Paths) -> None:
    p = resolve_profile(args(), {"SENDBEE_BASE_URL": "http://127.0.0.1:8800"}, two_profiles)
    assert p is not None and p.name == "shop" and p.base_url == "http://127.0.0.1:8800"
    p = resolve_profile(
        args(base_url="http://localhost:1"), {"SENDBEE_BASE_URL": "http://x:2"}, two_profiles
    )
    assert p is not None and p.base_url == "http://localhost:1"


def test_bad_base_url_override_is_an_error(paths: Paths) -> None:
    with pytest.raises(ConfigError, match="invalid base URL"):
        resolve_profile(args(base_url="api.sendbee.io"), {}, paths)


def test_env_credentials_matching_a_profile_take_its_name(two_profiles: Paths) -> None:
    env = {
        "SENDBEE_API_KEY": "shop-key",
        "SENDBEE_API_SECRET": "shop-secret",
        "SENDBEE_BASE_URL": "https://shop.test",
    }
    p = resolve_profile(args(), env, two_profiles)
    assert p is not None and p.name == "shop"


def test_single_profile_without_default_is_used(paths: Paths) -> None:
    write(paths, "[profiles.only]\napi_key='k'\napi_secret='s'\n")
    p = resolve_profile(args(), {}, paths)
    assert p is not None and p.name == "only"


def test_several_profiles_without_default_is_an_error(paths: Paths) -> None:
    write(
        paths,
        "[profiles.a]\napi_key='k'\napi_secret='s'\n[profiles.b]\napi_key='k'\napi_secret='s'\n",
    )
    with pytest.raises(ConfigError, match="pass --profile NAME"):
        resolve_profile(args(), {}, paths)


def test_resolving_logs_no_secret(two_profiles: Paths, caplog: pytest.LogCaptureFixture) -> None:
    env = {"SENDBEE_API_KEY": "env-key", "SENDBEE_API_SECRET": SECRET}
    with caplog.at_level(logging.DEBUG):
        resolve_profile(args(profile="cafe"), env, two_profiles)
    assert "override --profile cafe" in caplog.text
    assert SECRET not in caplog.text


def test_remove_profile(paths: Paths) -> None:
    from sendbee_tui.config import remove_profile

    save_profile(paths, Profile("shop", KEY, SECRET))
    save_profile(paths, Profile("cafe", KEY, SECRET), make_default=False)
    save_profile(paths, Profile("bar", KEY, SECRET), make_default=False)
    assert remove_profile(paths, "cafe") == "shop"
    assert remove_profile(paths, "shop") == "bar"  # the default went: first remaining
    loaded = load_config_file(paths)
    assert set(loaded.profiles) == {"bar"} and loaded.default_profile == "bar"
    assert remove_profile(paths, "bar") is None
    loaded = load_config_file(paths)
    assert loaded.profiles == {} and loaded.default_profile is None
    with pytest.raises(ConfigError, match="no profile named 'bar'"):
        remove_profile(paths, "bar")
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(paths.config_file).st_mode) == 0o600
