"""Inbox benchmark: 10,000 conversations and a 5,000-message thread.

Runs the sandbox in a separate process (so its memory is not counted), then the
real app headless (``App.run_test``) against it over loopback, and prints:

* time to first painted inbox (app start -> first rows composited),
* loading all pages of a 10,000-row folder, and a full re-render of 10,000 rows,
* key press -> selection moved (pilot press round trip, median and p95),
* open a 5,000-message conversation (Enter -> thread shown), older page on scroll up,
* resident memory of the app process.

Usage:  python benchmarks/bench_inbox.py [--conversations 10000] [--messages 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from sendbee_tui.config import AppConfig, Paths, Profile, Settings
from sendbee_tui.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET
from sendbee_tui.tui.app import SendbeeApp

TARGET_FIRST_PAINT = 1.0
TARGET_KEY = 0.050
TARGET_RSS_MB = 300.0


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MB (Linux /proc)."""
    fields = {}
    with open("/proc/self/status") as handle:
        for line in handle:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_sandbox(
    db: Path, conversations: int, messages: int
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sendbee_tui",
            "sandbox",
            "--port",
            str(port),
            "--db",
            str(db),
            "--conversations",
            str(conversations),
            "--contacts",
            str(conversations),
            "--messages-per-conversation",
            "4",
            "--big-thread-messages",
            str(messages),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=1)  # loopback only
            break
        except urllib.error.HTTPError:
            break  # any HTTP answer means it is listening
        except OSError:
            time.sleep(0.2)
    return proc, base


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


async def run(base_url: str, big_id: str, big_folder: str, tmp: Path) -> dict[str, float]:
    results: dict[str, float] = {}
    config = AppConfig(
        paths=Paths(tmp / "config", tmp / "data"),
        profile=Profile("bench", DEFAULT_API_KEY, DEFAULT_API_SECRET, base_url),
        settings=Settings(poll_list_seconds=30, poll_thread_seconds=30, page_size=100),
    )
    t0 = time.perf_counter()
    app = SendbeeApp(config)
    async with app.run_test(size=(160, 48)) as pilot:
        while not (app.main_screen is not None and app.main_screen.conv_list.rows):
            await asyncio.sleep(0.005)
        await pilot.pause()  # one composited frame
        results["first_paint_s"] = time.perf_counter() - t0
        main = app.main_screen
        inbox = app.inbox
        assert inbox is not None

        if inbox.view.folder != big_folder:
            await pilot.press({"open": "1", "done": "2", "spam": "3", "notified": "4"}[big_folder])
            while inbox.view.folder != big_folder or not main.conv_list.rows:
                await asyncio.sleep(0.005)
        # Load every page of the folder (what scrolling to the end does).
        t = time.perf_counter()
        while inbox.has_more():
            await inbox.load_more()
        await pilot.pause()
        results["load_all_pages_s"] = time.perf_counter() - t
        results["rows"] = float(len(main.conv_list.rows))

        # A poll that re-sorts everything: rebuild and re-render all rows of the list.
        t = time.perf_counter()
        main.conv_list.set_rows(inbox.rows(), has_more=False)
        await pilot.pause()
        results["rerender_all_rows_s"] = time.perf_counter() - t

        main.conv_list.focus()
        # Pilot's own round trip (wait for idle + frame pacing) for a key bound to nothing.
        base_times, base_cpu = [], time.process_time()
        for _ in range(50):
            t = time.perf_counter()
            await pilot.press("z")
            base_times.append(time.perf_counter() - t)
        base_cpu = (time.process_time() - base_cpu) / 50
        results["key_unbound_median_s"] = statistics.median(base_times)
        times = []
        cpu = time.process_time()
        for _ in range(100):
            t = time.perf_counter()
            await pilot.press("j")
            times.append(time.perf_counter() - t)
        results["key_cpu_s"] = (time.process_time() - cpu) / 100 - base_cpu
        t = time.perf_counter()
        await pilot.press("end")
        results["key_end_jump_s"] = time.perf_counter() - t
        for _ in range(50):
            t = time.perf_counter()
            await pilot.press("k")
            times.append(time.perf_counter() - t)
        results["key_median_s"] = statistics.median(times)
        results["key_p95_s"] = sorted(times)[int(len(times) * 0.95)]
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
        while main.thread.conversation_id != big_id or not main.thread.messages:
            await asyncio.sleep(0.002)
        await pilot.pause()
        results["open_thread_s"] = time.perf_counter() - t
        # Scroll to the top: loads one older page.
        before = len(main.thread.messages)
        main.thread.focus()
        t = time.perf_counter()
        await pilot.press("home")
        while len(main.thread.messages) == before and main.thread.has_older:
            await asyncio.sleep(0.002)
        await pilot.pause()
        results["older_page_s"] = time.perf_counter() - t
        # Load the whole 5,000-message thread, then scroll through it.
        t = time.perf_counter()
        while inbox.has_older():
            await inbox.load_older()
        await pilot.pause()
        results["load_whole_thread_s"] = time.perf_counter() - t
        results["thread_messages"] = float(len(main.thread.messages))
        times = []
        for _ in range(50):
            t = time.perf_counter()
            await pilot.press("pagedown")
            times.append(time.perf_counter() - t)
        results["thread_pagedown_median_s"] = statistics.median(times)
        results["rss_mb"], results["peak_rss_mb"] = rss_mb()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=5_000)
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
            load = os.getloadavg()[0]
            print(
                f"load average {load:.1f} on {os.cpu_count()} CPUs "
                "(timings are only comparable on an otherwise idle machine)"
            )
            r = asyncio.run(run(base, big_id, big_folder, tmp))
        finally:
            proc.terminate()
            with contextlib.suppress(Exception):
                proc.wait(timeout=10)
    ms = 1000.0
    print()
    print(
        f"first painted inbox        {r['first_paint_s'] * ms:8.0f} ms   "
        f"(target < {TARGET_FIRST_PAINT * ms:.0f} ms: "
        f"{ratio(r['first_paint_s'], TARGET_FIRST_PAINT)})"
    )
    print(f"load all pages ({int(r['rows'])} rows)  {r['load_all_pages_s'] * ms:8.0f} ms")
    print(f"re-render all rows         {r['rerender_all_rows_s'] * ms:8.1f} ms")
    print(
        f"key press j/k (median)     {r['key_median_s'] * ms:8.1f} ms   "
        f"(target < {TARGET_KEY * ms:.0f} ms: {ratio(r['key_median_s'], TARGET_KEY)})"
    )
    print(f"key press j/k (p95)        {r['key_p95_s'] * ms:8.1f} ms")
    print(
        f"  pilot round trip, unbound key {r['key_unbound_median_s'] * ms:5.1f} ms (harness floor)"
    )
    print(
        f"  CPU per j beyond that     {r['key_cpu_s'] * ms:8.1f} ms   "
        f"(target < {TARGET_KEY * ms:.0f} ms: {ratio(r['key_cpu_s'], TARGET_KEY)})"
    )
    print(f"End over all rows          {r['key_end_jump_s'] * ms:8.1f} ms")
    print(f"cursor move + render rows  {r['cursor_move_render_s'] * ms:8.2f} ms (in-process)")
    print(f"open 5,000-msg thread      {r['open_thread_s'] * ms:8.0f} ms")
    print(f"older page on scroll up    {r['older_page_s'] * ms:8.0f} ms")
    print(
        f"load whole thread ({int(r['thread_messages'])})  {r['load_whole_thread_s'] * ms:8.0f} ms"
    )
    print(f"thread PageDown (median)   {r['thread_pagedown_median_s'] * ms:8.1f} ms")
    print(
        f"resident memory            {r['rss_mb']:8.0f} MB   (peak {r['peak_rss_mb']:.0f} MB; "
        f"target < {TARGET_RSS_MB:.0f} MB: {ratio(r['peak_rss_mb'], TARGET_RSS_MB)})"
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    raise SystemExit(main())
