"""``kill -9`` of a process running the outbox, in each state; a restart loses nothing and
sends nothing twice.

A child process runs the real outbox engine (fsync on, as the app does) against
the module's sandbox over loopback and prints every state its reply goes
through; the test kills it with SIGKILL the moment the reply is in the state
under test (for ``sending``: once the server holds the message, its answer
held back by the sandbox's ``hang`` fault).  A new outbox on the same database
then runs to the end, and the server is read: the reply is there exactly once
if the final state is ``sent``, and not at all otherwise — in which case the
agent sees it (``failed``/``unconfirmed``, with its text).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from outbox_support import fast_outbox, make_client, outbound_bodies

from sendbee_tui.api import SendbeeClient
from sendbee_tui.outbox import State
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.store import LocalStore

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "acct"

CHILD = """
import asyncio, json, sys
from sendbee_tui.api import SendbeeClient
from sendbee_tui.outbox import Outbox
from sendbee_tui.store import LocalStore

data, base_url, key, secret, phone, conversation, text, agent, schedule = sys.argv[1:]

async def main() -> None:
    client = SendbeeClient(key, secret, base_url, max_retries=0, timeout=60)
    store = LocalStore(data)  # fsync on: the app's settings
    outbox = Outbox(client, store, "acct", check_schedule=json.loads(schedule),
                    retry_delays=(0.05, 0.1), poll_interval=0.05, clock_skew=5.0)
    outbox.subscribe(lambda entry: print(entry.state.value, flush=True))
    async with outbox:
        outbox.enqueue_text(phone, text, conversation_id=conversation, agent_id=agent or None)
        await asyncio.Event().wait()  # until killed

asyncio.run(main())
"""

Conversation = Callable[[], tuple[str, str]]


class Child:
    """The outbox engine in its own process; :meth:`kill_at` ends it with SIGKILL."""

    def __init__(self, args: list[str]) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(CHILD), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.seen: list[str] = []

    def wait_for(self, state: str, after: str | None = None) -> None:
        """Read the states printed until ``state`` (following ``after``, if given) shows."""
        assert self.proc.stdout is not None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                err = self.proc.stderr.read() if self.proc.stderr else ""
                raise AssertionError(f"child ended before {state!r}: {self.seen}\n{err}")
            self.seen.append(line.strip())
            if self.seen[-1] == state and (after is None or after in self.seen[:-1]):
                return

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        assert self.proc.returncode == -signal.SIGKILL


@pytest.fixture
def spawn(server: SandboxServer, tmp_path: Path) -> Iterator[Callable[..., Child]]:
    children: list[Child] = []

    def start(
        phone: str,
        conversation: str,
        text: str,
        *,
        base_url: str | None = None,
        agent: str = "",
        schedule: str = "[0.0, 0.05, 0.1]",
    ) -> Child:
        child = Child(
            [
                str(tmp_path / "data"),
                base_url or server.base_url,
                server.api_key,
                server.api_secret,
                phone,
                conversation,
                text,
                agent,
                schedule,
            ]
        )
        children.append(child)
        return child

    yield start
    for child in children:
        if child.proc.poll() is None:
            child.proc.kill()
            child.proc.wait(10)
    server.set_faults(send_fault=None, error_rate=0.0)


async def restart(server: SandboxServer, tmp_path: Path) -> list[tuple[State, str | None]]:
    """A new outbox on the killed one's database, run until idle: (state, error) per entry."""
    client = make_client(server)
    with LocalStore(tmp_path / "data", fsync=False) as store:
        outbox = fast_outbox(client, store, ACCOUNT)
        async with outbox:
            await asyncio.wait_for(outbox.wait_idle(), 20)
        result = [(e.state, e.error) for e in outbox.journal]
        assert all(e.text for e in outbox.journal)  # its text is kept, whatever happened
    await client.aclose()
    return result


async def bodies_on_server(reader: SendbeeClient, conversation: str, text: str) -> int:
    return (await outbound_bodies(reader, conversation)).count(text)


async def until_on_server(reader: SendbeeClient, conversation: str, text: str) -> None:
    for _ in range(500):
        if await bodies_on_server(reader, conversation, text):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the server never stored the message")


async def test_killed_while_queued(
    spawn: Callable[..., Child],
    server: SandboxServer,
    reader: SendbeeClient,
    tmp_path: Path,
    open_conversation: Conversation,
) -> None:
    phone, conversation = open_conversation()
    # Nothing listens there: the send is refused before it leaves, the reply waits.
    child = spawn(phone, conversation, "queued at the crash", base_url="http://127.0.0.1:9")
    child.wait_for("queued", after="sending")
    child.kill()
    assert await restart(server, tmp_path) == [(State.SENT, None)]
    assert await bodies_on_server(reader, conversation, "queued at the crash") == 1


async def test_killed_while_sending_after_the_server_stored_it(
    spawn: Callable[..., Child],
    server: SandboxServer,
    reader: SendbeeClient,
    tmp_path: Path,
    open_conversation: Conversation,
) -> None:
    phone, conversation = open_conversation()
    server.set_faults(send_fault="hang", send_fault_next=1)  # stored, never answered
    child = spawn(phone, conversation, "on the wire at the crash")
    child.wait_for("sending")
    await until_on_server(reader, conversation, "on the wire at the crash")
    child.kill()
    assert await restart(server, tmp_path) == [(State.SENT, None)]  # found, not resent
    assert await bodies_on_server(reader, conversation, "on the wire at the crash") == 1


async def test_killed_while_checking(
    spawn: Callable[..., Child],
    server: SandboxServer,
    reader: SendbeeClient,
    tmp_path: Path,
    open_conversation: Conversation,
) -> None:
    phone, conversation = open_conversation()
    server.set_faults(send_fault="drop", send_fault_next=1)  # stored, connection dropped
    # The first look is a minute away: the child is still checking when it dies.
    child = spawn(phone, conversation, "being checked at the crash", schedule="[60.0]")
    child.wait_for("checking")
    child.kill()
    assert await restart(server, tmp_path) == [(State.SENT, None)]
    assert await bodies_on_server(reader, conversation, "being checked at the crash") == 1


async def test_killed_after_sent(
    spawn: Callable[..., Child],
    server: SandboxServer,
    reader: SendbeeClient,
    tmp_path: Path,
    open_conversation: Conversation,
) -> None:
    phone, conversation = open_conversation()
    child = spawn(phone, conversation, "sent before the crash")
    child.wait_for("sent")
    child.kill()
    assert await restart(server, tmp_path) == [(State.SENT, None)]
    assert await bodies_on_server(reader, conversation, "sent before the crash") == 1


async def test_killed_after_failed(
    spawn: Callable[..., Child],
    server: SandboxServer,
    reader: SendbeeClient,
    tmp_path: Path,
    open_conversation: Conversation,
) -> None:
    phone, conversation = open_conversation()
    child = spawn(phone, conversation, "refused before the crash", agent="no-such-member")
    child.wait_for("failed")
    child.kill()
    [(state, error)] = await restart(server, tmp_path)
    assert state is State.FAILED and error and "400" in error  # still there, not retried
    assert await bodies_on_server(reader, conversation, "refused before the crash") == 0


async def test_killed_after_unconfirmed(
    spawn: Callable[..., Child],
    server: SandboxServer,
    reader: SendbeeClient,
    tmp_path: Path,
    open_conversation: Conversation,
) -> None:
    phone, conversation = open_conversation()
    server.set_faults(error_rate=1.0)  # a 500 before anything is stored (reads fail too)
    child = spawn(phone, conversation, "unknown fate at the crash")
    child.wait_for("checking")
    server.set_faults(error_rate=0.0)  # the looks now answer: not there
    child.wait_for("unconfirmed")
    child.kill()
    assert await restart(server, tmp_path) == [(State.UNCONFIRMED, "not seen on the server")]
    assert await bodies_on_server(reader, conversation, "unknown fate at the crash") == 0
