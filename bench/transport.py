"""Benchmark: the client's transport against a bare httpx client and the plugin's pattern.

    .venv/bin/python -m bench.transport [--calls 2000] [--concurrency 64]

A loopback uvicorn server (in its own process) answers `GET /api/v1/credits/balance`
with a small JSON body. The same number of calls goes, sequentially and at the given
concurrency, through:

  (a) `AsyncElizaCloud().credits.balance()`: auth headers, rate limiter, retry plan,
      typed response model;
  (b) one shared bare `httpx.AsyncClient` (`get` + `response.json()`), the floor of
      any httpx-based client;
  (c) a new `httpx.AsyncClient` per request, the pattern of the official elizaOS
      Python plugin.

It prints req/s, p50 and p99 per case and the ratios (a)/(b) and (a)/(c). The goal
of issue #2: (a) at least 0.9x of (b), and at least 10x (c).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from eliza_tools import AsyncElizaCloud

FAKE_KEY = "eliza_" + "0123456789abcdef" * 4
BODY = b'{"balance":12.5}'

SERVER_CODE = f"""
import uvicorn

BODY = {BODY!r}
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({{"type": "http.response.start", "status": 200, "headers": HEADERS}})
    await send({{"type": "http.response.body", "body": BODY}})


if __name__ == "__main__":
    import sys
    # Keep idle connections for 75 s (uvicorn's default is 5 s): the cases take turns,
    # and a pool must not find its connections closed when its turn comes back.
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
                access_log=False, lifespan="off", timeout_keep_alive=75)
"""


@dataclass
class Result:
    """Figures for one case at one concurrency."""

    name: str
    concurrency: int
    calls: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.calls / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def loopback_server() -> Iterator[str]:
    """Start the JSON server in its own process; yield its base URL."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER_CODE, str(port)])
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def _measure(
    call: Callable[[], Awaitable[object]], calls: int, concurrency: int, result: Result
) -> None:
    """Run `calls` calls at `concurrency`, adding their figures to `result`."""
    remaining = iter(range(calls))

    async def worker() -> None:
        for _ in remaining:
            started = time.perf_counter()
            await call()
            result.latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.seconds += time.perf_counter() - started
    result.calls += calls


async def run(base: str, calls: int, concurrency: int, rounds: int) -> list[Result]:
    """Run the three cases sequentially and at `concurrency`; return every figure.

    The cases take turns in `rounds` slices so that noise from other processes on
    this shared machine falls on all of them alike.
    """
    url = f"{base}/api/v1/credits/balance"
    headers = {"Authorization": f"Bearer {FAKE_KEY}", "X-API-Key": FAKE_KEY}
    results: list[Result] = []
    async with AsyncElizaCloud(FAKE_KEY, base) as cloud, httpx.AsyncClient(timeout=60) as bare:

        async def bare_call() -> object:
            response = await bare.get(url, headers=headers)
            return response.json()

        async def per_request_client() -> object:
            async with httpx.AsyncClient(timeout=60) as fresh:
                response = await fresh.get(url, headers=headers)
                return response.json()

        cases: list[tuple[str, Callable[[], Awaitable[object]]]] = [
            ("a client", cloud.credits.balance),
            ("b bare httpx", bare_call),
            ("c new client/request", per_request_client),
        ]
        for _, call in cases:  # warm-up: connections, imports, caches
            for _ in range(20):
                await call()
        for level in (1, concurrency):
            level_results = [Result(name, level, 0, 0.0, []) for name, _ in cases]
            pairs = list(zip(cases, level_results, strict=True))
            for turn in range(rounds):
                # Rotate who goes first: the case after "new client per request" meets a
                # server still closing that case's sockets.
                shift = turn % len(pairs)
                for (_, call), result in pairs[shift:] + pairs[:shift]:
                    await _measure(call, max(1, calls // rounds), level, result)
            results.extend(level_results)
    return results


def report(results: list[Result]) -> str:
    """A plain-text table with the ratios the issue asks for."""
    lines = [
        f"{'case':<22}{'conc':>5}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}",
    ]
    for r in results:
        lines.append(
            f"{r.name:<22}{r.concurrency:>5}{r.rps:>10.0f}"
            f"{r.percentile(0.5):>9.2f}{r.percentile(0.99):>9.2f}"
        )
    for level in sorted({r.concurrency for r in results}):
        by_name = {r.name[0]: r for r in results if r.concurrency == level}
        a, b, c = by_name["a"], by_name["b"], by_name["c"]
        lines.append(
            f"concurrency {level}: (a)/(b) = {a.rps / b.rps:.2f}x  (a)/(c) = {a.rps / c.rps:.1f}x"
            f"  [goal: >= 0.9x and >= 10x]"
        )
    return "\n".join(lines)


def main() -> None:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=10, help="interleaved slices per case")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, httpx {httpx.__version__}, cpus {os.cpu_count()}")
    with loopback_server() as base:
        results = asyncio.run(run(base, args.calls, args.concurrency, args.rounds))
    print(report(results))


if __name__ == "__main__":
    main()
