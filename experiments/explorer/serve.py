"""Start the explorer server (`make explore`): ``python -m experiments.explorer.serve``.

Serves :mod:`experiments.explorer.app` with Solara on 127.0.0.1 only, in
production mode, without opening a browser, checking for Solara updates or
sending telemetry (the page works offline). Run it from the repository root
(params/ and results/ are found from there). The browser tests start the
server with the same :func:`command` and :func:`environment`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
APP = Path(__file__).with_name("app.py")


def command(port: int = DEFAULT_PORT) -> list[str]:
    """The command line that serves the explorer on 127.0.0.1:``port``."""
    solara = Path(sys.executable).with_name("solara")
    exe = str(solara) if solara.exists() else shutil.which("solara") or "solara"
    return [
        exe,
        "run",
        str(APP),
        "--host",
        HOST,
        "--port",
        str(port),
        "--production",
        "--no-open",
        "--no-check-version",
    ]


def environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for the server: Solara's telemetry off."""
    env = dict(os.environ if base is None else base)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    return env


def main(argv: list[str] | None = None) -> None:
    """Parse ``--port`` and replace this process by the server."""
    parser = argparse.ArgumentParser(prog="python -m experiments.explorer.serve")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="default 8765")
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536:
        parser.error("--port must be between 1 and 65535")
    cmd = command(args.port)
    print(f"Media Valley 2040 explorer: http://{HOST}:{args.port}/  (Ctrl-C stops it)", flush=True)
    os.execvpe(cmd[0], cmd, environment())


if __name__ == "__main__":
    main()
