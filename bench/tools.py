"""Benchmark: what the tool layer costs over the direct client call.

    .venv/bin/python -m bench.tools [--calls 1000] [--warmup 100]

Starts the emulator (`eliza-tools emulator`) in its own process on loopback, so
the server does not share this process's GIL, then times three paths on one
`AsyncElizaCloud`, interleaved call by call so drift hits them equally:

  (a) the direct client call, e.g. `await cloud.credits.balance()`;
  (b) `await tool.ainvoke(args)` on the LangChain tool of `ElizaCloudToolkit`;
  (c) `await executor.aexecute(name, json_arguments)` (JSON parsing, jsonschema and
      pydantic validation, budget, result serialisation).

For `check_credits` (the cheapest call, so the worst ratio) and `query_knowledge`
(a JSON POST). Prints median and p90 per path and the ratios (b)/(a) and (c)/(a).
Goal of issue #5: both ratios at most 1.25. The client's own rate limiter is off
and the emulator is sped up, so no path ever waits for a rate limit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from eliza_tools import AsyncElizaCloud
from eliza_tools.tools import ElizaCloudToolkit

Timed = Callable[[], Awaitable[Any]]


@contextmanager
def emulator_process() -> Iterator[tuple[str, str]]:
    """Run `eliza-tools emulator` on a free port; yield (base_url, api_key)."""
    command = [
        str(Path(sys.executable).parent / "eliza-tools"),
        "emulator",
        "--port",
        "0",
        "--speedup",
        "10000",
        "--balance",
        "1000",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        found: dict[str, str] = {}
        assert process.stdout is not None
        for line in process.stdout:
            key, _, value = line.strip().partition("=")
            if key in ("ELIZACLOUD_BASE_URL", "ELIZACLOUD_API_KEY"):
                found[key] = value
            if len(found) == 2:
                break
        yield found["ELIZACLOUD_BASE_URL"], found["ELIZACLOUD_API_KEY"]
    finally:
        process.terminate()
        process.wait(timeout=10)


async def measure(paths: dict[str, Timed], calls: int, warmup: int) -> dict[str, list[float]]:
    """Per-call seconds of each path, interleaved call by call."""
    times: dict[str, list[float]] = {name: [] for name in paths}
    for index in range(warmup + calls):
        for name, call in paths.items():
            start = time.perf_counter()
            await call()
            elapsed = time.perf_counter() - start
            if index >= warmup:
                times[name].append(elapsed)
    return times


def report(title: str, times: dict[str, list[float]]) -> None:
    """Median, p90 and the ratio to the direct call, per path."""
    direct = statistics.median(times["direct"])
    print(f"\n{title}")
    print(f"  {'path':<10} {'median ms':>10} {'p90 ms':>8} {'ratio':>6} {'overhead us':>12}")
    for name, samples in times.items():
        median = statistics.median(samples)
        p90 = statistics.quantiles(samples, n=10)[-1]
        overhead = (median - direct) * 1e6
        ratio = median / direct
        print(
            f"  {name:<10} {median * 1e3:>10.3f} {p90 * 1e3:>8.3f} {ratio:>6.2f} {overhead:>12.0f}"
        )


async def run(calls: int, warmup: int) -> None:
    with emulator_process() as (base_url, api_key):
        cloud = AsyncElizaCloud(api_key, base_url, rate_limit=False)
        toolkit = ElizaCloudToolkit(cloud, output_dir=tempfile.mkdtemp())
        tools = {tool.name: tool for tool in toolkit.get_tools()}
        executor = toolkit.executor()
        await cloud.knowledge.upload_text("The office opens at 9 am and closes at 5 pm.")

        def balance() -> Awaitable[Any]:
            return cloud.credits.balance()

        def query() -> Awaitable[Any]:
            return cloud.knowledge.query("When does the office open?", limit=5)

        cases: dict[str, tuple[Timed, dict[str, Any]]] = {
            "check_credits": (balance, {}),
            "query_knowledge": (query, {"query": "When does the office open?", "limit": 5}),
        }
        print(f"{calls} calls per path after {warmup} warm-up calls, emulator at {base_url}")
        for name, (direct, args) in cases.items():
            tool, arguments = tools[name], json.dumps(args)

            def via_tool(tool: Any = tool, args: dict[str, Any] = args) -> Awaitable[Any]:
                return tool.ainvoke(args)  # type: ignore[no-any-return]

            def via_executor(name: str = name, arguments: str = arguments) -> Awaitable[Any]:
                return executor.aexecute(name, arguments)

            paths = {"direct": direct, "ainvoke": via_tool, "executor": via_executor}
            report(name, await measure(paths, calls, warmup))
        await cloud.aclose()


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    options = parser.parse_args()
    asyncio.run(run(options.calls, options.warmup))


if __name__ == "__main__":
    main()
