"""The agents file: parsing, errors that name the line, reloading that keeps the last good file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from team_support import agents_toml

from sendbee_tui.team.agents import AgentsFileError, AgentsWatcher, load_agents, slugify
from sendbee_tui.team.hostkey import HostKeyError, load_or_create_host_key


def test_a_good_file_maps_each_key_to_its_agent(
    agents_file: Path, keys: dict[str, asyncssh.SSHKey]
) -> None:
    loaded = load_agents(agents_file)
    assert [(a.name, a.slug) for a in loaded.agents] == [
        ("Ana Horvat", "ana-horvat"),
        ("Borna Kovač", "borna-kovac"),
    ]
    ana = loaded.agent_for(keys["ana"].convert_to_public())
    assert ana is not None and ana.name == "Ana Horvat"
    assert loaded.agent_for(keys["stranger"]) is None
    assert ana.fingerprints == (keys["ana"].get_fingerprint(),)


def test_slugs_are_directory_safe() -> None:
    assert slugify("Đurđica Šarić-Bauer") == "durdica-saric-bauer"
    assert slugify("陈伟").startswith("agent-")
    assert slugify("../../etc") == "etc"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[agent]]\nname = "Ana\nmember_id = "m1"\n', "line 2, column"),  # tomllib's position
        (
            '[[agent]]\nname = "Ana"\nmember_id = "m1"\nkeys = ["ssh-ed25519 AAAA"\n',
            "line 4: not valid TOML: Unclosed array",
        ),  # at the end: the last line
        (
            '# x\n\n[[agent]]\nname = "Ana"\nmember_id = "m1"\n'
            'keys = ["ssh-ed25519 notbase64 a"]\n',
            "line 6: not an OpenSSH public key",
        ),
        (
            '[[agent]]\nname = "Ana"\nkeys = ["ssh-ed25519 AAAA"]\n',
            "line 1: the agent has no member_id",
        ),
        (
            '[[agent]]\nname = "Ana"\nmember_id = "m1"\nkeys = []\nrole = "boss"\n',
            "line 5: unknown key 'role'",
        ),
        ('[[agent]]\nname = "Ana"\nmember_id = "m1"\nkeys = []\n', "line 1: keys must be"),
    ],
)
def test_errors_name_the_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "agents.toml"
    path.write_text(text)
    with pytest.raises(AgentsFileError) as caught:
        load_agents(path)
    assert str(caught.value).startswith(str(path))
    assert expected in str(caught.value)


def test_a_key_belongs_to_one_agent_only(
    tmp_path: Path, members: list[dict[str, Any]], keys: dict[str, asyncssh.SSHKey]
) -> None:
    ana_key = keys["ana"].export_public_key().decode().strip()
    text = agents_toml(members, keys) + (
        f'\n[[agent]]\nname = "Eve"\nmember_id = "m9"\nkeys = ["{ana_key}"]\n'
    )
    path = tmp_path / "agents.toml"
    path.write_text(text)
    with pytest.raises(AgentsFileError, match="already belongs to 'Ana Horvat'"):
        load_agents(path)


def test_reload_takes_a_good_file_and_keeps_the_last_good_one_on_errors(
    agents_file: Path, keys: dict[str, asyncssh.SSHKey]
) -> None:
    watcher = AgentsWatcher(agents_file)
    assert watcher.check() is False  # unchanged
    good = agents_file.read_text()
    stranger = keys["stranger"].export_public_key().decode().strip()
    agents_file.write_text(
        good + f'\n[[agent]]\nname = "Cvita"\nmember_id = "m3"\nkeys = ["{stranger}"]\n'
    )
    assert watcher.check() is True
    assert watcher.current.agent_for(keys["stranger"]) is not None

    agents_file.write_text(good + '\n[[agent]]\nname = "Broken"\n member_id = \n')
    assert watcher.check() is False
    assert watcher.last_error is not None and "line 14" in watcher.last_error
    assert watcher.current.agent_for(keys["stranger"]) is not None  # the last good file

    agents_file.unlink()
    assert watcher.check() is False
    assert len(watcher.current.agents) == 3


def test_the_host_key_is_created_private_and_then_reused(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "host"
    key = load_or_create_host_key(path)
    assert key.algorithm == b"ssh-ed25519"
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert load_or_create_host_key(path).get_fingerprint() == key.get_fingerprint()
    os.chmod(path, 0o644)
    with pytest.raises(HostKeyError, match="chmod 600"):
        load_or_create_host_key(path)
