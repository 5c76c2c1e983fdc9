"""Progress shows on a terminal's stderr only: never on a pipe, never in machine output."""

from __future__ import annotations

import io
import os
import pty
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from seamfinder.core.progress import SILENT
from seamfinder.report.progress import on_terminal

REPO = Path(__file__).resolve().parents[2]


def shop_copy(tmp_path: Path) -> Path:
    target = tmp_path / "shop"
    shutil.copytree(
        REPO / "fixtures" / "django_shop",
        target,
        ignore=shutil.ignore_patterns(".seamfinder_cache"),
    )
    return target


def command(shop: Path, cache: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "seamfinder",
        "analyze",
        str(shop),
        "--cache-dir",
        str(cache),
        "--format",
        "json",
        "--exit-zero",
    ]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    # Shown at once, so that even this small project would show it on a terminal.
    return {**env, "SEAMFINDER_PROGRESS_DELAY": "0", "TERM": "xterm"}


def test_progress_is_silent_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    shop = shop_copy(tmp_path)
    done = subprocess.run(
        command(shop, tmp_path / "cache"),
        capture_output=True,
        env=environment(),
        timeout=120,
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr == b""
    assert done.stdout.startswith(b"{")
    assert on_terminal(io.StringIO()) is SILENT


def test_progress_on_a_terminal_names_the_stage_on_stderr_and_leaves_stdout_alone(
    tmp_path: Path,
) -> None:
    shop = shop_copy(tmp_path)
    piped = subprocess.run(
        command(shop, tmp_path / "piped"), capture_output=True, timeout=120, check=False
    )
    master, slave = pty.openpty()
    screen: list[bytes] = []

    def read_screen() -> None:
        # Read while the process runs: a terminal nobody reads fills up and blocks it.
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal is closed once the process is gone
                return
            if not chunk:
                return
            screen.append(chunk)

    reader = threading.Thread(target=read_screen, daemon=True)
    reader.start()
    try:
        process = subprocess.Popen(
            command(shop, tmp_path / "tty"),
            stdout=subprocess.PIPE,
            stderr=slave,
            env=environment(),
        )
        os.close(slave)
        stdout, _ = process.communicate(timeout=120)
        reader.join(timeout=10)
    finally:
        os.close(master)
    assert process.returncode == 0
    shown = b"".join(screen)
    assert b"seamfinder: " in shown and b"parsing files" in shown
    assert stdout == piped.stdout  # the JSON is the same, with or without a terminal
