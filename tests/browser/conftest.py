"""Browser-test fixtures: headless Chromium through Playwright, and the explorer server.

Chromium is Debian's ``chromium`` package (``/usr/bin/chromium``, or the
path in ``$CHROMIUM``); Playwright's own browser download is not used.
``.ci/run`` installs it and sets ``MEDIACLUSTER_REQUIRE_BROWSER=1``, so in
CI a missing browser fails the tests instead of skipping them; elsewhere
they skip with the reason when no Chromium (or no Playwright) is installed.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from experiments.explorer import serve

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "results" / "browser"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_SECONDS = 90


def chromium_path() -> str | None:
    """The Chromium executable: $CHROMIUM, /usr/bin/chromium, or chromium on PATH."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _unavailable(reason: str):
    """Skip, or fail where the browser tests must run (CI)."""
    if os.environ.get("MEDIACLUSTER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium, closed after the session."""
    try:
        from playwright import sync_api
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e .[dev])")
    path = chromium_path()
    if path is None:
        _unavailable(
            "no Chromium found at $CHROMIUM or /usr/bin/chromium: "
            "install it with `apt-get install -y chromium` (.ci/run does)"
        )
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page with its console errors and failed requests recorded in ``page.problems``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    page.on("requestfailed", lambda req: problems.append(f"request failed: {req.url}"))
    page.problems = problems
    try:
        yield page
    finally:
        context.close()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A child process serving HTTP on 127.0.0.1; stopped (with its children) on exit."""

    def __init__(self, command: list[str], port: int, env: dict[str, str], log: Path):
        self.url = f"http://127.0.0.1:{port}/"
        self.log = log
        self._log_file = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() ends its children too
        )

    def wait_ready(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.tail()}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"server not ready after {seconds} s: {self.tail()}")

    def tail(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log_file.close()


def start_explorer(sweep: Path, log: Path, policy_dir: Path | None = None) -> Server:
    """The explorer (as `make explore` starts it) on a free port, comparing with ``sweep``
    and saving policy files to ``policy_dir`` (default: params/policies)."""
    port = free_port()
    env = serve.environment()
    env["MEDIACLUSTER_SWEEP"] = str(sweep)
    if policy_dir is not None:
        env["MEDIACLUSTER_POLICY_DIR"] = str(policy_dir)
    server = Server(serve.command(port), port, env, log)
    try:
        server.wait_ready(SERVER_START_SECONDS)
    except BaseException:
        server.stop()
        raise
    return server
