"""Benchmark: how long `eliza-tools emulator` takes from launch to serving.

    .venv/bin/python -m bench.emulator_start [--runs 5]

Each run launches the real console script on a free port, waits for the line that
prints the API key, then times a first `GET /api/v1/credits/balance` answered over
loopback, and stops the process with Ctrl-C. Issue #3's goal: under two seconds.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

GOAL_SECONDS = 2.0


def one_start() -> float:
    """Seconds from launch until the emulator answered its first API call."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "eliza-tools"), "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        values: dict[str, str] = {}
        while "ELIZACLOUD_API_KEY" not in values:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError("the emulator exited before it was ready")
            if "=" in line:
                name, value = line.strip().split("=", 1)
                values[name] = value
        key = values["ELIZACLOUD_API_KEY"]
        response = httpx.get(
            f"{values['ELIZACLOUD_BASE_URL']}/credits/balance",
            headers={"Authorization": f"Bearer {key}", "X-API-Key": key},
        )
        response.raise_for_status()
        return time.perf_counter() - started
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)


def main() -> None:
    """Run, print every start and the median against the goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times = [one_start() for _ in range(args.runs)]
    print("starts (s): " + ", ".join(f"{t:.2f}" for t in times))
    median = statistics.median(times)
    verdict = "meets" if median < GOAL_SECONDS else "misses"
    print(
        f"median {median:.2f} s, best {min(times):.2f} s: {verdict} the {GOAL_SECONDS:.0f} s goal"
    )


if __name__ == "__main__":
    main()
