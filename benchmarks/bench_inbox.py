"""Inbox benchmark: 10,000 conversations and a 5,000-message thread.

Runs the sandbox in a separate process (so its memory and CPU are not counted),
then the real app headless (``App.run_test``) against it over loopback, and prints
each figure with its target and the ratio to it:

* time to first painted inbox (app start -> first rows composited);
* the window sort (``s``): every page of the 6,050-row folder, several requests
  at a time, one relayout per batch (the floor: the bare client fetching the
  same pages in the same run);
* key press ``j``: CPU per key beyond the test harness (the harness's own cost
  measured with a key bound to nothing, interleaved with the ``j`` rounds);
* open a 5,000-message conversation, one older page on scrolling up, and Home
  (every page of the thread at once; floor: the bare client's ``messages_all``);
* idle: CPU% and requests over 30 s with nothing happening, frames drawn;
* resident memory of the app process; and the load average (the machine is shared).

Usage:  python benchmarks/bench_inbox.py [--conversations 10000] [--messages 5000]
            [--idle 30] [--sequential]
``--sequential`` also times the old way (one page after the other) as a baseline.
"""

from __future__ import annotations

import os

# Before Textual is imported (it reads this once): PageDown would animate for 0.8 s.
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

import argparse
import asyncio
import contextlib
import sqlite3
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import sandbox_process

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.transport import Transport
from sendbee_tui.config import AppConfig, Paths, Profile, Settings
from sendbee_tui.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET
from sendbee_tui.tui.app import SendbeeApp

TARGET_FIRST_PAINT = 0.5
TARGET_KEY_CPU = 0.012
TARGET_ALL_CONVERSATIONS = 1.5
TARGET_WHOLE_THREAD = 3.0
TARGET_IDLE_CPU = 0.01
TARGET_RSS_MB = 300.0
#: Pressed to measure the harness: bound to nothing on the inbox (checked at run time).
UNBOUND_KEY = "f12"


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MB (Linux /proc)."""
    fields = {}
    with open("/proc/self/status") as handle:
        for line in handle:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def start_sandbox(
    db: Path, conversations: int, messages: int
) -> tuple[subprocess.Popen[bytes], str]:
    """A sandbox of ``conversations`` (as many contacts) and a ``messages``-long thread."""
    return sandbox_process.start_sandbox(
        db,
        "--conversations",
        str(conversations),
        "--contacts",
        str(conversations),
        "--messages-per-conversation",
        "4",
        "--big-thread-messages",
        str(messages),
    )


def big_thread(db: Path) -> tuple[str, str, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT m.conversation_id, c.folder, count(*) FROM messages m "
            "JOIN conversations c ON c.id = m.conversation_id "
            "GROUP BY m.conversation_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        return row[0], row[1], int(row[2])
    finally:
        conn.close()


def folder_sizes(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT folder, count(*) FROM conversations GROUP BY folder"))
    finally:
        conn.close()


def ratio(value: float, target: float) -> str:
    return f"{value / target:.2f}x of target" if target else ""


async def until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise SystemExit("timed out waiting for the app")
        await asyncio.sleep(0.002)


def count_calls(obj: Any, name: str, counter: Counter[str]) -> None:
    """Count calls of ``obj.name`` (an instance attribute shadows the method)."""
    original = getattr(obj, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        counter[name] += 1
        return original(*args, **kwargs)

    setattr(obj, name, counted)


async def floors(base_url: str, folder: str, big_id: str) -> dict[str, float]:
    """The bare client fetching what the app fetches, in this process, same run."""
    out: dict[str, float] = {}
    async with SendbeeClient(DEFAULT_API_KEY, DEFAULT_API_SECRET, base_url=base_url) as client:
        t = time.perf_counter()
        await client.conversations.list_all(folder=folder, limit=100, concurrency=4)
        out["floor_all_conversations_s"] = time.perf_counter() - t
        t = time.perf_counter()
        await client.conversations.messages_all(big_id, concurrency=4)
        out["floor_whole_thread_s"] = time.perf_counter() - t
    return out


async def run(
    base_url: str, big_id: str, big_folder: str, tmp: Path, idle_seconds: float, sequential: bool
) -> dict[str, float]:
    results: dict[str, float] = {}
    config = AppConfig(
        paths=Paths(tmp / "config", tmp / "data"),
        profile=Profile("bench", DEFAULT_API_KEY, DEFAULT_API_SECRET, base_url),
        settings=Settings(poll_list_seconds=30, poll_thread_seconds=30, page_size=100),
    )
    t0 = time.perf_counter()
    app = SendbeeApp(config)
    async with app.run_test(size=(160, 48)) as pilot:
        await until(lambda: app.main_screen is not None and bool(app.main_screen.conv_list.rows))
        await pilot.pause()  # one composited frame
        results["first_paint_s"] = time.perf_counter() - t0
        main = app.main_screen
        inbox = app.inbox
        assert main is not None and inbox is not None
        relayouts: Counter[str] = Counter()
        count_calls(main.conv_list, "set_rows", relayouts)
        count_calls(main.thread, "set_messages", relayouts)

        if inbox.view.folder != big_folder:
            await pilot.press({"open": "1", "done": "2", "spam": "3", "notified": "4"}[big_folder])
            await until(lambda: inbox.view.folder == big_folder and bool(main.conv_list.rows))
        total = inbox.lists.total
        if sequential:
            t = time.perf_counter()
            while inbox.has_more():
                await inbox.load_more()
            await pilot.pause()
            results["sequential_all_conversations_s"] = time.perf_counter() - t
            await inbox.reload()
        # The window sort: every page of the folder, several at a time.
        main.conv_list.focus()
        relayouts.clear()
        t = time.perf_counter()
        await pilot.press("s")
        await until(lambda: not inbox.has_more() and len(main.conv_list.rows) == total)
        await pilot.pause()
        results["all_conversations_s"] = time.perf_counter() - t
        results["all_conversations_relayouts"] = relayouts["set_rows"]
        results["rows"] = float(len(main.conv_list.rows))
        await pilot.press("s")  # back to most recent first
        await until(lambda: inbox.view.sort == "recent")

        # A poll that re-sorts everything: rebuild and re-render all rows of the list.
        t = time.perf_counter()
        main.conv_list.set_rows(inbox.rows(), has_more=False)
        await pilot.pause()
        results["rerender_all_rows_s"] = time.perf_counter() - t

        # Key press: CPU beyond the harness (a key bound to nothing), interleaved rounds.
        if UNBOUND_KEY in app.active_bindings:
            raise SystemExit(f"{UNBOUND_KEY} is bound: pick another key for the harness")
        main.conv_list.action_first()
        await pilot.pause()
        diffs, times = [], []
        for _ in range(5):
            cpu = time.process_time()
            for _ in range(20):
                await pilot.press(UNBOUND_KEY)
            floor = (time.process_time() - cpu) / 20
            cpu = time.process_time()
            for _ in range(20):
                t = time.perf_counter()
                await pilot.press("j")
                times.append(time.perf_counter() - t)
            diffs.append((time.process_time() - cpu) / 20 - floor)
        results["key_cpu_s"] = statistics.median(diffs)
        results["key_median_s"] = statistics.median(times)
        t = time.perf_counter()
        await pilot.press("end")
        results["key_end_jump_s"] = time.perf_counter() - t
        # In-process cost of one cursor move + repaint of the visible rows.
        rows_on_screen = main.conv_list.scrollable_content_region
        t = time.perf_counter()
        for _ in range(100):
            main.conv_list.action_cursor_up()
            main.conv_list.render_lines(rows_on_screen)
        results["cursor_move_render_s"] = (time.perf_counter() - t) / 100

        # Open the big thread.
        if not main.conv_list.move_to(big_id):
            raise SystemExit("big thread not in the loaded rows")
        t = time.perf_counter()
        await pilot.press("enter")
        await until(lambda: main.thread.conversation_id == big_id and bool(main.thread.messages))
        await pilot.pause()
        results["open_thread_s"] = time.perf_counter() - t
        # Scroll to the top: loads one older page.
        before = len(main.thread.messages)
        main.thread.focus()
        t = time.perf_counter()
        main.thread.scroll_to(y=0, animate=False)
        await until(lambda: len(main.thread.messages) > before or not main.thread.has_older)
        await pilot.pause()
        results["older_page_s"] = time.perf_counter() - t
        if sequential:
            t = time.perf_counter()
            while inbox.has_older():
                await inbox.load_older()
            await pilot.pause()
            results["sequential_whole_thread_s"] = time.perf_counter() - t
            main.thread.scroll_end(animate=False)
            await inbox.open_conversation(big_id)  # back to the newest page only
            await until(lambda: len(main.thread.messages) <= 10)
        # Home: the oldest message, every page of the thread at once.
        relayouts.clear()
        t = time.perf_counter()
        await pilot.press("home")
        await until(lambda: not main.thread.has_older and main.thread.scroll_y == 0)
        await pilot.pause()
        results["whole_thread_s"] = time.perf_counter() - t
        results["whole_thread_relayouts"] = relayouts["set_messages"]
        results["thread_messages"] = float(len(main.thread.messages))
        times = []
        for _ in range(50):
            t = time.perf_counter()
            await pilot.press("pagedown")
            times.append(time.perf_counter() - t)
        results["thread_pagedown_median_s"] = statistics.median(times)

        results.update(await idle(app, idle_seconds))
        results["rss_mb"], results["peak_rss_mb"] = rss_mb()
    return results


async def idle(app: SendbeeApp, seconds: float) -> dict[str, float]:
    """Nothing happening for ``seconds``: CPU, requests sent, frames drawn."""
    requests: Counter[str] = Counter()
    frames: Counter[str] = Counter()
    original = Transport.request

    async def counted(self: Transport, method: str, path: str, **kwargs: Any) -> Any:
        requests[f"{method} {path}"] += 1
        return await original(self, method, path, **kwargs)

    screen = app.screen
    refresh: Callable[[], Awaitable[None] | None] = screen._compositor_refresh

    def drawn() -> Any:
        if screen._compositor._dirty_regions:
            frames["frames"] += 1
            frames["lines"] += sum(r.height for r in screen._compositor._dirty_regions)
        return refresh()

    await asyncio.sleep(2)  # let the last key's work settle
    Transport.request = counted  # type: ignore[method-assign]
    screen._compositor_refresh = drawn  # type: ignore[method-assign]
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        await asyncio.sleep(seconds)
        cpu_share = (time.process_time() - cpu) / (time.perf_counter() - wall)
    finally:
        Transport.request = original  # type: ignore[method-assign]
        del screen._compositor_refresh
    return {
        "idle_seconds": seconds,
        "idle_cpu": cpu_share,
        "idle_requests": float(sum(requests.values())),
        "idle_frames": float(frames["frames"]),
        "idle_lines": float(frames["lines"]),
        **{f"idle_request {key}": float(n) for key, n in requests.items()},
    }


def report(r: dict[str, float], load: tuple[float, float]) -> None:
    ms = 1000.0

    def line(label: str, value: str, note: str = "") -> None:
        print(f"{label:34s} {value:>10s}   {note}")

    def timed(label: str, key: str, target: float | None = None, floor: str = "") -> None:
        note = f"(target < {target * ms:.0f} ms: {ratio(r[key], target)})" if target else ""
        if floor and floor in r:
            note += f" floor {r[floor] * ms:.0f} ms ({r[key] / r[floor]:.2f}x)"
        line(label, f"{r[key] * ms:.0f} ms", note)

    print()
    timed("first painted inbox", "first_paint_s", TARGET_FIRST_PAINT)
    timed(
        f"window sort: all {int(r['rows'])} rows",
        "all_conversations_s",
        TARGET_ALL_CONVERSATIONS,
        "floor_all_conversations_s",
    )
    line("  relayouts (batches)", f"{r['all_conversations_relayouts']:.0f}")
    if "sequential_all_conversations_s" in r:
        timed("  baseline: page after page", "sequential_all_conversations_s")
        print(f"{'':34s} {r['sequential_all_conversations_s'] / r['all_conversations_s']:9.1f}x")
    line("re-render all rows", f"{r['rerender_all_rows_s'] * ms:.1f} ms")
    line(
        "key j: CPU beyond the harness",
        f"{r['key_cpu_s'] * ms:.1f} ms",
        f"(target < {TARGET_KEY_CPU * ms:.0f} ms: {ratio(r['key_cpu_s'], TARGET_KEY_CPU)}; "
        f"median of 5 rounds of 20, harness = {UNBOUND_KEY})",
    )
    line("key j: Pilot round trip (median)", f"{r['key_median_s'] * ms:.1f} ms")
    line("End over all rows", f"{r['key_end_jump_s'] * ms:.1f} ms")
    line("cursor move + render rows", f"{r['cursor_move_render_s'] * ms:.2f} ms", "(in-process)")
    timed("open 5,000-msg thread", "open_thread_s")
    timed("older page on scroll up", "older_page_s")
    timed(
        f"Home: whole thread ({int(r['thread_messages'])})",
        "whole_thread_s",
        TARGET_WHOLE_THREAD,
        "floor_whole_thread_s",
    )
    line("  relayouts (batches)", f"{r['whole_thread_relayouts']:.0f}")
    if "sequential_whole_thread_s" in r:
        timed("  baseline: page after page", "sequential_whole_thread_s")
        print(f"{'':34s} {r['sequential_whole_thread_s'] / r['whole_thread_s']:9.1f}x")
    line("thread PageDown from the top (median)", f"{r['thread_pagedown_median_s'] * ms:.1f} ms")
    line(
        f"idle {r['idle_seconds']:.0f} s: CPU",
        f"{r['idle_cpu'] * 100:.2f} %",
        f"(target < {TARGET_IDLE_CPU * 100:.0f} %: {ratio(r['idle_cpu'], TARGET_IDLE_CPU)})",
    )
    polls = ", ".join(
        f"{key.split(' ', 1)[1]} {n:.0f}" for key, n in r.items() if key.startswith("idle_request ")
    )
    line("  requests", f"{r['idle_requests']:.0f}", f"({polls or 'none'}; polls every 30 s here)")
    line("  frames drawn", f"{r['idle_frames']:.0f}", f"({r['idle_lines']:.0f} lines)")
    line(
        "resident memory",
        f"{r['rss_mb']:.0f} MB",
        f"(peak {r['peak_rss_mb']:.0f} MB; target < {TARGET_RSS_MB:.0f} MB: "
        f"{ratio(r['peak_rss_mb'], TARGET_RSS_MB)})",
    )
    print(f"load average {load[0]:.1f} before, {load[1]:.1f} after, on {os.cpu_count()} CPUs")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=5_000)
    parser.add_argument("--idle", type=float, default=30.0, help="seconds of idle to measure")
    parser.add_argument(
        "--sequential", action="store_true", help="also time loading page after page"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        db = tmp / "bench.db"
        t = time.perf_counter()
        proc, base = start_sandbox(db, args.conversations, args.messages)
        try:
            print(
                f"sandbox with {args.conversations} conversations ready in "
                f"{time.perf_counter() - t:.1f} s; folders: {folder_sizes(db)}"
            )
            big_id, big_folder, count = big_thread(db)
            print(f"big thread: {count} messages in folder {big_folder!r}")
            print(f"baseline RSS before the app: {rss_mb()[0]:.0f} MB")
            load_before = os.getloadavg()[0]
            print(
                f"load average {load_before:.1f} on {os.cpu_count()} CPUs "
                "(timings are only comparable on an otherwise idle machine)"
            )
            r = asyncio.run(floors(base, big_folder, big_id))
            r.update(asyncio.run(run(base, big_id, big_folder, tmp, args.idle, args.sequential)))
        finally:
            proc.terminate()
            with contextlib.suppress(Exception):
                proc.wait(timeout=10)
    report(r, (load_before, os.getloadavg()[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
