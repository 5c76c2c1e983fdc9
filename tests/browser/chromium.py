"""A headless Chromium driven over the DevTools protocol on a pipe, with the standard library.

Chromium reads commands from file descriptor 3 and writes replies and events to 4
(``--remote-debugging-pipe``), each message JSON ended by a NUL byte: no port, no
websocket, nothing downloaded. Every wait is bounded, so a hung browser fails a test
instead of hanging the suite.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--metrics-recording-only",
    "--mute-audio",
)


def find_chromium() -> str | None:
    # Debian's /usr/bin/chromium is a shell launcher; the binary behind it starts faster.
    if os.access("/usr/lib/chromium/chromium", os.X_OK):
        return "/usr/lib/chromium/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserError(RuntimeError):
    pass


@dataclass
class PageLog:
    """What a page did: requests, console errors, exceptions."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Chromium:
    """One browser process; ``page()`` opens a tab attached with a flat session."""

    def __init__(self, binary: str, timeout: float = 15.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="seamfinder-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_pipes() -> None:  # in the child: the protocol's fixed descriptors
            # Copied out of the way first (a pipe may already sit on 3 or 4); dup2 makes
            # the copies inheritable, which the pipes themselves are not.
            read_end, write_end = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-pipe"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes,  # noqa: PLW1509 - single-threaded test process
            close_fds=False,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self.version = self.call("Browser.getVersion")["product"]

    # --- the wire ---------------------------------------------------------------------

    def _send(self, method: str, params: dict[str, Any], session: str | None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("timed out waiting for Chromium")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if ready:
                chunk = os.read(self._from_child, 1 << 20)
                if not chunk:
                    raise BrowserError("Chromium closed the pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)  # type: ignore[no-any-return]

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        wanted = self._send(method, params or {}, session)
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._receive(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})  # type: ignore[no-any-return]
            if "method" in message:
                self._events.append(message)

    def events(self, wait: float = 0.0) -> list[dict[str, Any]]:
        """Events received so far, after reading for ``wait`` more seconds."""

        deadline = time.monotonic() + wait
        try:
            while True:
                if time.monotonic() >= deadline and b"\0" not in self._buffer:
                    break
                self._events.append(self._receive(max(deadline, time.monotonic() + 0.001)))
        except BrowserError:
            pass
        taken, self._events = self._events, []
        return taken

    def page(self, width: int = 1400, height: int = 900) -> Page:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=session)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        return Page(self, session, target)

    def close(self) -> None:
        try:
            self._send("Browser.close", {}, None)
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=5)
        finally:
            for fd in (self._to_child, self._from_child):
                with contextlib.suppress(OSError):
                    os.close(fd)
            shutil.rmtree(self.profile, ignore_errors=True)


# The middle of its first box (a link broken over two lines has nothing in its overall middle).
CENTRE = (
    "const r = e.getClientRects()[0] || e.getBoundingClientRect();"
    " return [r.left + r.width / 2, r.top + r.height / 2];"
)
# The middle of an SVG path (a curved edge's box centre is off the curve), on screen.
PATH_MIDDLE = (
    "const p = e.querySelector('path') || e; const pt = p.getPointAtLength(p.getTotalLength() / 2);"
    " const m = p.getScreenCTM(); return [pt.x * m.a + pt.y * m.c + m.e, pt.x * m.b + pt.y * m.d + m.f];"
)


class Page:
    def __init__(self, browser: Chromium, session: str, target: str) -> None:
        self.browser = browser
        self.session = session
        self.target = target
        self.log = PageLog()

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.call(method, params, self.session)

    def open(self, path: Path, ready: str = "document.documentElement.dataset.ready") -> float:
        """Load ``path`` and wait until ``ready`` is true there; the seconds it took."""

        url = path.resolve().as_uri()
        start = time.monotonic()
        self.call("Page.navigate", {"url": url})
        deadline = start + self.browser.timeout
        check = f"location.href === {json.dumps(url)} && !!document.documentElement && !!({ready})"
        while time.monotonic() < deadline:
            if self.evaluate(check):
                elapsed = time.monotonic() - start
                self.collect()
                return elapsed
            self.collect(0.02)
        self.collect()
        raise BrowserError(f"{path} never became ready; errors: {self.log.errors}")

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def collect(self, wait: float = 0.0) -> PageLog:
        for event in self.browser.events(wait):
            if event.get("sessionId") != self.session:
                continue
            method, params = event["method"], event.get("params", {})
            if method == "Network.requestWillBeSent":
                self.log.requests.append(params["request"]["url"])
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                text = details.get("exception", {}).get("description") or details.get("text")
                self.log.errors.append(f"exception: {text}")
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                self.log.errors.append(f"console.{params['type']}: {params['args']}")
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                self.log.errors.append(f"log: {params['entry']['text']}")
        return self.log

    def click(self, expression: str, at: str = CENTRE) -> None:
        """A real mouse click on the element ``expression`` evaluates to, at the point the
        JavaScript ``at`` computes from it (``e``): by default the middle of its box."""

        self.reveal(expression)
        x, y = self.evaluate(f"(e => {{ {at} }})({expression})")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    def reveal(self, expression: str) -> None:
        """Scroll the element into the middle of the view until it stays put.

        Sections out of sight are neither painted nor hit-tested (content-visibility), and
        take their real height only once shown, which moves what comes after them.
        """

        where = f"JSON.stringify(({expression}).getBoundingClientRect())"
        last = None
        for _ in range(6):
            self.evaluate(
                f"({expression}).scrollIntoView({{block: 'center', behavior: 'instant'}})"
            )
            self.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 30)))")
            now = self.evaluate(where)
            if now == last:
                return
            last = now

    def screenshot(self, path: Path, full: bool = False, element: str | None = None) -> None:
        """The viewport, the whole page (``full``) or one element (an expression)."""

        params: dict[str, Any] = {"format": "png"}
        if element is not None:
            self.reveal(element)
            x, y, width, height = self.evaluate(
                f"(() => {{ const r = ({element}).getBoundingClientRect();"
                " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; })()"
            )
            params["clip"] = {"x": x, "y": y, "width": width, "height": height, "scale": 1}
            params["captureBeyondViewport"] = True
        elif full:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {
                "x": 0,
                "y": 0,
                "width": size["width"],
                "height": min(size["height"], 16000),
                "scale": 1,
            }
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", params)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        self.browser.call("Target.closeTarget", {"targetId": self.target})
