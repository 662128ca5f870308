"""Benchmark: our A2A server against the official `a2a-sdk` 1.3 server, same machine, same run.

    .venv/bin/python -m bench.a2a_server [--duration 10] [--concurrency 1,16,64]

Both servers run an echo agent (task, working, artifact `echo: <text>`, completed) with an
in-memory task store, each in its own process under uvicorn (one worker, `log_level=warning`,
no access log):

  (a) ours: `a2a.server.create_app` (this file, `--serve`);
  (b) the SDK's: `DefaultRequestHandler` + `create_jsonrpc_routes`, run by
      `.venv-interop/bin/python tests/interop/peers/sdk_server.py` (reference a2a.md §7.2).

`wrk` (Debian package) with `bench/a2a_send.lua` posts `SendMessage` (A2A 1.0 JSON-RPC) with a
unique messageId per request; the script counts bad replies. Both servers are up at once and,
after a warm-up, loaded in turn for each concurrency (ours, then the SDK's), so changes in the
load of a shared machine hit both alike. Per run: req/s, p50 and p99 latency, and the
server's CPU time per request (utime + stime of its process from /proc/PID/stat). Then the time
to first event of `SendStreamingMessage` (sequential, a raw socket per request). It prints a
table and the ratios ours/SDK. The goal of issue #4: at least 1.5x the SDK's req/s at 16 and
64 connections, with a lower p99.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
LUA = REPO / "bench" / "a2a_send.lua"
INTEROP_PYTHON = REPO / ".venv-interop" / "bin" / "python"
SDK_SERVER = REPO / "tests" / "interop" / "peers" / "sdk_server.py"
CLK_TCK = os.sysconf("SC_CLK_TCK")
V1 = {"Content-Type": "application/json", "A2A-Version": "1.0"}


# -- our server (run in its own process by `--serve PORT`) ---------------------------------


def serve_ours(port: int) -> None:
    """Our echo agent under uvicorn, configured like the SDK's."""
    import uvicorn

    from a2a import AgentCard, AgentSkill
    from a2a.server import RequestContext, TaskUpdater, create_app
    from a2a.stores import InMemoryTaskStore

    async def echo(context: RequestContext, updater: TaskUpdater) -> None:
        await updater.working()
        await updater.artifact(f"echo: {context.text}", name="echo")
        await updater.complete()

    card = AgentCard(
        name="Echo",
        description="Echoes text",
        skills=[AgentSkill(id="echo", name="Echo", description="Echo", tags=["echo"])],
    )
    app = create_app(echo, card, store=InMemoryTaskStore())
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# -- running servers and wrk -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    name: str
    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """utime + stime of the server process so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 and 15 of stat


@contextmanager
def running(name: str, command: list[str], port: int) -> Iterator[Server]:
    """A server subprocess, once its card answers; stopped on exit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    proc = subprocess.Popen(command, cwd=REPO, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"{name} server exited with {proc.returncode}")
            try:
                if httpx.get(url + "/.well-known/agent-card.json").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} server did not start within 30 s")
            time.sleep(0.05)
        yield Server(name, url, proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def check_echo(server: Server) -> None:
    """One SendMessage must come back as a completed task echoing the text."""
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "SendMessage",
        "params": {
            "message": {
                "role": "ROLE_USER",
                "messageId": uuid.uuid4().hex,
                "parts": [{"text": "x"}],
            }
        },
    }
    reply = httpx.post(server.url + "/", json=body, headers=V1).json()
    task = reply["result"]["task"]
    text = task["artifacts"][0]["parts"][0]["text"]
    if task["status"]["state"] != "TASK_STATE_COMPLETED" or text != "echo: x":
        raise SystemExit(f"{server.name} does not echo: {reply}")


@dataclass
class Load:
    server: str
    connections: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_request: float
    errors: int
    bad: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def wrk(server: Server, connections: int, seconds: float) -> Load:
    """One wrk run; the server's CPU time is read around it."""
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",  # wrk takes whole seconds
        "--latency",
        "--timeout",
        "30s",  # a slow reply counts in the latency, not as an error
        "-s",
        str(LUA),
        server.url + "/",
        "--",
        uuid.uuid4().hex[:8],
    ]
    cpu_before = server.cpu_seconds()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    out = done.stdout
    cpu = server.cpu_seconds() - cpu_before
    line = next(x for x in out.splitlines() if x.startswith("JSON "))
    data = json.loads(line[5:])
    requests = max(int(data["requests"]), 1)
    return Load(
        server=server.name,
        connections=connections,
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        cpu_ms_per_request=cpu * 1000 / requests,
        errors=int(data["errors"]),
        bad=int(data["bad"]),
    )


def first_event_ms(server: Server, samples: int) -> list[float]:
    """Time from sending SendStreamingMessage to receiving its first SSE event, per request.

    A raw socket client (a fresh loopback connection per request, `Connection: close`), so
    the figure is the server's and not an HTTP client library's.
    """
    host, port = server.url.removeprefix("http://").split(":")
    times: list[float] = []
    for i in range(samples + 5):
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "id": i,
                "method": "SendStreamingMessage",
                "params": {
                    "message": {
                        "role": "ROLE_USER",
                        "messageId": uuid.uuid4().hex,
                        "parts": [{"text": f"stream {i}"}],
                    }
                },
            }
        ).encode()
        head = (
            f"POST / HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"A2A-Version: 1.0\r\nAccept: text/event-stream\r\nConnection: close\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        with socket.create_connection((host, int(port))) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            received = b""
            elapsed: float | None = None
            start = time.perf_counter()
            sock.sendall(head + body)
            while chunk := sock.recv(65536):  # read to the end of the stream
                received += chunk
                if elapsed is None and b"\ndata:" in received:
                    elapsed = time.perf_counter() - start
        if elapsed is None:
            raise SystemExit(f"{server.name}: the stream carried no event: {received[:300]!r}")
        if i >= 5:  # the first few warm up
            times.append(elapsed * 1000)
    return times


# -- the run -----------------------------------------------------------------------------------


def servers() -> list[tuple[str, list[str]]]:
    if not INTEROP_PYTHON.exists():
        raise SystemExit(
            f"{INTEROP_PYTHON} is missing: python3 -m venv .venv-interop && "
            '.venv-interop/bin/pip install "a2a-sdk[http-server]==1.3.0" uvicorn httpx'
        )
    ours = [sys.executable, "-m", "bench.a2a_server", "--serve"]
    sdk = [str(INTEROP_PYTHON), "-I", str(SDK_SERVER), "--port"]
    return [("ours", ours), ("sdk", sdk)]


def measure(args: argparse.Namespace) -> tuple[list[Load], dict[str, list[float]]]:
    """Both servers up at once, loaded in turn (ours, then the SDK's, per concurrency), so a
    change in the load of this shared machine hits both alike; the idle one costs nothing."""
    loads: list[Load] = []
    ttfe: dict[str, list[float]] = {}
    with ExitStack() as stack:
        running_servers = []
        for name, command in servers():
            port = free_port()
            server = stack.enter_context(running(name, [*command, str(port)], port))
            check_echo(server)
            running_servers.append(server)
        for server in running_servers:
            wrk(server, 16, args.warmup)
        for connections in args.concurrency:
            for server in running_servers:
                load = wrk(server, connections, args.duration)
                loads.append(load)
                print(
                    f"  {server.name:4} c={connections:<3} {load.rps:8.0f} req/s  "
                    f"p50 {load.p50_ms:6.1f} ms  p99 {load.p99_ms:6.1f} ms  "
                    f"cpu {load.cpu_ms_per_request:5.2f} ms/req  bad {load.bad + load.errors}",
                    flush=True,
                )
        for server in running_servers:
            ttfe[server.name] = first_event_ms(server, args.stream_samples)
    return loads, ttfe


def report(loads: list[Load], ttfe: dict[str, list[float]]) -> None:
    print()
    print("| server | connections | req/s | p50 ms | p99 ms | server CPU ms/req | bad |")
    print("|---|---|---|---|---|---|---|")
    for load in sorted(loads, key=lambda x: (x.connections, x.server)):
        print(
            f"| {load.server} | {load.connections} | {load.rps:,.0f} | {load.p50_ms:.1f} | "
            f"{load.p99_ms:.1f} | {load.cpu_ms_per_request:.2f} | {load.bad + load.errors} |"
        )
    print()
    print("| connections | req/s ours/SDK | p99 ours/SDK | CPU per request ours/SDK |")
    print("|---|---|---|---|")
    by_key = {(x.server, x.connections): x for x in loads}
    for connections in sorted({x.connections for x in loads}):
        ours, sdk = by_key[("ours", connections)], by_key[("sdk", connections)]
        print(
            f"| {connections} | {ours.rps / sdk.rps:.2f}x | {ours.p99_ms / sdk.p99_ms:.2f}x | "
            f"{ours.cpu_ms_per_request / sdk.cpu_ms_per_request:.2f}x |"
        )
    print()
    print("| server | time to first stream event: median ms | p90 ms |")
    print("|---|---|---|")
    for name, times in ttfe.items():
        p90 = statistics.quantiles(times, n=10)[-1]
        print(f"| {name} | {statistics.median(times):.2f} | {p90:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up load")
    parser.add_argument(
        "--concurrency",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[1, 16, 64],
        help="comma-separated connection counts",
    )
    parser.add_argument("--stream-samples", type=int, default=100)
    args = parser.parse_args()
    if args.serve:
        serve_ours(args.serve)
        return
    loads, ttfe = measure(args)
    report(loads, ttfe)


if __name__ == "__main__":
    main()
