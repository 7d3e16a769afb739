"""What a newcomer waits for: `make run` in a fresh clone until `/ja/` answers 200, then a second `make run`.

    python3 bench/first_run.py [--repo PATH] [--keep]

Clones the repository (its committed HEAD) into a temporary folder with no `.venv`, runs `make run` on a free
port and times each command make runs (make echoes a command as it starts it) up to the first 200 of `/ja/`.
Then stops the server and does it again: the second run, nothing changed. Prints both, with the load average,
since other work on the machine stretches wall-clock times.
"""

import argparse
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_PAGE_TIMEOUT = 1200


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def timed_make_run(folder: Path, port: int) -> tuple[float, list[tuple[float, str]]]:
    """Seconds from `make run` to the first 200 of /ja/, and when each command make echoed started."""
    steps: list[tuple[float, str]] = []
    start = time.monotonic()
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        env={k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "VIRTUAL_ENV"}},
    )

    def read() -> None:
        for line in process.stdout:
            if not line.startswith((" ", "\t", "[", "Watching", "Performing", "System check", "Django version")):
                steps.append((time.monotonic() - start, line.rstrip()))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}/ja/"
    try:
        while not answers(url):
            if process.poll() is not None:
                raise RuntimeError(f"make run exited with {process.returncode}:\n" + "\n".join(s for _, s in steps))
            if time.monotonic() - start > FIRST_PAGE_TIMEOUT:
                raise RuntimeError("no first page after 20 minutes")
            time.sleep(0.2)
        return time.monotonic() - start, list(steps)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def report(label: str, total: float, steps: list[tuple[float, str]]) -> None:
    print(f"\n{label}: first 200 of /ja/ after {total:.1f} s (load average now {load_average()})")
    for index, (started, command) in enumerate(steps):
        ended = steps[index + 1][0] if index + 1 < len(steps) else total
        print(f"  {started:7.1f} s  +{ended - started:6.1f} s  {command[:110]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(ROOT), help="the repository to clone (default: this one)")
    parser.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mieplan-first-run-"))
    try:
        subprocess.run(["git", "clone", "--quiet", options.repo, str(folder)], check=True)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=folder, capture_output=True, text=True, check=True
        ).stdout.strip()
        print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print(f"clone of {options.repo} at {commit} in {folder}; load average before: {load_average()}")
        port = free_port()
        report("first `make run` (fresh clone, no .venv)", *timed_make_run(folder, port))
        report("second `make run` (nothing changed)", *timed_make_run(folder, port))
    finally:
        if options.keep:
            print(f"\nkept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
