"""A headless Chromium driven over the DevTools protocol, for loading built pages in tests.

No driver package and no browser download: Debian's chromium talks the protocol over a pair of
pipes (--remote-debugging-pipe: it reads commands on fd 3 and writes replies on fd 4, each JSON
message ended by a NUL byte). Console messages, uncaught exceptions and failed loads are
collected, so a test can say "no console errors" and mean it.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The flags this machine needs (no sandbox as root, no GPU, nothing fetched in the background).
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--mute-audio")


class BrowserError(Exception):
    pass


@dataclass(frozen=True)
class Message:
    """Something the page said: a console call, an uncaught exception, a log entry."""

    source: str  # "console", "exception" or "log"
    level: str
    text: str

    @property
    def is_error(self) -> bool:
        return self.source == "exception" or self.level in ("error", "assert")


class Chromium:
    """One browser; open pages with page()."""

    def __init__(self, executable: str, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="plangen-chromium-")
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def pipes_on_3_and_4() -> None:
            # Move both out of the way first: either may already be fd 3 or 4, and dup2 onto
            # itself would leave it close-on-exec.
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands_read, replies_write)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.log = open(Path(self.profile) / "stderr.txt", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-pipe",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            preexec_fn=pipes_on_3_and_4, close_fds=False, start_new_session=True)
        os.close(commands_read)
        os.close(replies_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        with contextlib.suppress(BrowserError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for descriptor in (self._commands, self._replies):
            with contextlib.suppress(OSError):
                os.close(descriptor)
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._replies], [], [], left)
            if ready:
                chunk = os.read(self._replies, 1 << 16)
                if not chunk:
                    raise BrowserError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        result: dict[str, Any] = json.loads(message)
        return result

    def send(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None) -> dict[str, Any]:
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method,
                                   "params": params or {}}
        if session:
            command["sessionId"] = session
        try:
            os.write(self._commands, json.dumps(command).encode() + b"\0")
        except OSError as error:
            raise BrowserError(f"Chromium is not listening: {error}") from error
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._read(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                reply: dict[str, Any] = message.get("result", {})
                return reply
            self.events.append(message)

    def wait_for(self, method: str, session: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        for index, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(index)
        while True:
            message = self._read(deadline)
            if message.get("method") == method and message.get("sessionId") == session:
                return message
            self.events.append(message)

    def page(self, url: str, width: int, height: int, *, mobile: bool = False) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
                  session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_for("Page.loadEventFired", session)
        return Page(self, session, width, height)


class Page:
    def __init__(self, browser: Chromium, session: str, width: int, height: int) -> None:
        self.browser, self.session = browser, session
        self.width, self.height = width, height

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, session=self.session)

    def evaluate(self, expression: str) -> Any:
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in reply:
            raise BrowserError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def messages(self) -> list[Message]:
        """Everything the page has said so far (after a short settle)."""
        self.evaluate("1")  # a round trip, so events sent before it have arrived
        found = []
        for event in self.browser.events:
            if event.get("sessionId") != self.session:
                continue
            params = event.get("params", {})
            if event.get("method") == "Runtime.consoleAPICalled":
                text = " ".join(str(arg.get("value", arg.get("description", "")))
                                for arg in params.get("args", []))
                found.append(Message("console", params.get("type", ""), text))
            elif event.get("method") == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                text = details.get("exception", {}).get("description") or details.get("text")
                found.append(Message("exception", "error", str(text)))
            elif event.get("method") == "Log.entryAdded":
                entry = params.get("entry", {})
                found.append(Message("log", entry.get("level", ""),
                                     f"{entry.get('text', '')} {entry.get('url', '')}".strip()))
        return found

    def key(self, key: str, code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": key,
                                                 "windowsVirtualKeyCode": code})

    def screenshot(self, path: Path, *, full_page: bool = True) -> Path:
        height = self.height
        if full_page:
            height = int(self.evaluate("document.documentElement.scrollHeight"))
        reply = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": full_page,
            "clip": {"x": 0, "y": 0, "width": self.width, "height": height, "scale": 1}})
        path.write_bytes(base64.b64decode(reply["data"]))
        return path

    def print_pdf(self, path: Path) -> Path:
        self.send("Emulation.setEmulatedMedia", {"media": "print"})
        reply = self.send("Page.printToPDF", {"printBackground": True, "paperWidth": 8.27,
                                              "paperHeight": 11.69})
        path.write_bytes(base64.b64decode(reply["data"]))
        return path
