"""Load on the A2A server: many concurrent streaming clients against one replica (SQLite) and
against two replicas sharing Redis, with errors, latency percentiles and server memory.

    .venv/bin/python -m bench.a2a_load                     # 200 clients, 30 s, both setups
    .venv/bin/python -m bench.a2a_load --clients 50 --duration 10 --setups one

Each client keeps one keep-alive connection and sends `SendStreamingMessage` in a loop; it
reads the event stream to its end and checks it (HTTP 200, event stream, ids 1..n in order,
Task first, COMPLETED last). With two replicas the clients alternate between them (a
balancer) and every tenth task is also read back with `GetTask` from the other replica. The
load runs in several client processes speaking raw HTTP/1.1 over asyncio streams, because an
httpx client in one process saturates a core long before the server does (see
/work/shared/reference/performance.md).

Reported: completed streams, streams/s, errors, latency to the last event (p50/p99/max),
time to the first event (p50/p99), the servers' CPU time per completed stream (the figure
that holds best on a shared machine), and each server's RSS after the warm-up and at the end,
with the growth per 10,000 completed tasks.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]


# -- the server ----------------------------------------------------------------------------


async def bench_agent(context: Any, updater: Any) -> None:
    """Working, one artifact, completed: four stream events per task."""
    await updater.working()
    await updater.artifact(f"echo: {context.text}", name="echo")
    await updater.complete()


def serve(port: int, store_spec: str, prefix: str, replay_window: float) -> None:
    """One replica (no auth, access log off), until killed."""
    import uvicorn

    from a2a.server import create_app
    from a2a.stores import open_store
    from a2a.types import AgentCard

    options: dict[str, Any] = {"prefix": prefix} if store_spec.startswith("redis") else {}
    app = create_app(
        bench_agent,
        AgentCard(name="bench", description="load test agent"),
        store=open_store(store_spec, **options),
        replay_window=replay_window,
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(store_spec: str, prefix: str, replay_window: float) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "bench.a2a_load", "serve", "--port", str(port)]
    command += ["--store", store_spec, "--prefix", prefix, "--replay-window", str(replay_window)]
    process = subprocess.Popen(command, cwd=ROOT)
    server = Server(process, f"http://127.0.0.1:{port}/")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            asyncio.run(_probe(port))
            return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("the server did not start")


async def _probe(port: int) -> None:
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()
    await writer.wait_closed()


# -- the clients -----------------------------------------------------------------------------


@dataclass
class Tally:
    """What one client process measured."""

    latencies: list[float] = field(default_factory=list)
    first_events: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cross_reads: int = 0


class Connection:
    """One keep-alive HTTP/1.1 connection speaking just enough of the protocol."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(
        self, body: bytes, on_first_chunk: Any = None
    ) -> tuple[int, dict[str, str], bytes]:
        head = (
            f"POST / HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Content-Type: application/json\r\nA2A-Version: 1.0\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        reused = self.writer is not None and not self.writer.is_closing()
        if not reused:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None and self.writer is not None
        self.writer.write(head + body)
        line = await self.reader.readline()
        if not line and reused:
            # The server closed the idle keep-alive connection (uvicorn: after 5 s) before
            # reading the request: send it again on a new one, as HTTP clients do.
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.writer.write(head + body)
            line = await self.reader.readline()
        status = int(line.split()[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                if size == 0:
                    await self.reader.readline()
                    break
                chunk = await self.reader.readexactly(size + 2)
                if on_first_chunk is not None and not chunks:
                    on_first_chunk()
                chunks.append(chunk[:-2])
            return status, headers, b"".join(chunks)
        content = await self.reader.readexactly(int(headers.get("content-length", "0")))
        return status, headers, content


def request(method: str, params: dict[str, Any], rid: int) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": rid, "method": method, "params": params}).encode()


def check_stream(status: int, headers: dict[str, str], content: bytes) -> str:
    """The task id of a complete, well-formed stream; raises ValueError otherwise."""
    if status != 200 or not headers.get("content-type", "").startswith("text/event-stream"):
        raise ValueError(f"HTTP {status} {headers.get('content-type')}: {content[:200]!r}")
    ids, results = [], []
    for event in content.split(b"\n\n"):
        for line in event.split(b"\n"):
            if line.startswith(b"id: "):
                ids.append(int(line[4:]))
            elif line.startswith(b"data: "):
                payload = json.loads(line[6:])
                if "result" not in payload:
                    raise ValueError(f"error event: {payload}")
                results.append(payload["result"])
    if ids != list(range(1, len(results) + 1)) or "task" not in results[0]:
        raise ValueError(f"events out of order or missing: {ids}")
    last = results[-1].get("statusUpdate", {}).get("status", {}).get("state")
    if last != "TASK_STATE_COMPLETED":
        raise ValueError(f"stream ended in {last}")
    task_id: str = results[0]["task"]["id"]
    return task_id


async def client_loop(index: int, urls: list[str], stop_at: float, tally: Tally) -> None:
    own = Connection(urls[index % len(urls)])
    other = Connection(urls[(index + 1) % len(urls)])
    rid = 0
    while time.monotonic() < stop_at:
        rid += 1
        text = f"client {index} message {rid}"
        params = {
            "message": {
                "role": "ROLE_USER",
                "messageId": f"{index}-{rid}",
                "parts": [{"text": text}],
            }
        }
        started = time.monotonic()
        first: list[float] = []
        try:
            status, headers, content = await own.post(
                request("SendStreamingMessage", params, rid),
                lambda first=first: first.append(time.monotonic()),
            )
            task_id = check_stream(status, headers, content)
            tally.latencies.append(time.monotonic() - started)
            tally.first_events.append((first[0] if first else time.monotonic()) - started)
            if len(urls) > 1 and rid % 10 == 0:
                status, _, body = await other.post(request("GetTask", {"id": task_id}, rid))
                state = json.loads(body).get("result", {}).get("status", {}).get("state")
                if status != 200 or state != "TASK_STATE_COMPLETED":
                    raise ValueError(f"GetTask on the other replica: {status} {body[:200]!r}")
                tally.cross_reads += 1
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
            tally.errors.append(f"{type(exc).__name__}: {exc}"[:300])
            # The connection is in an unknown state: start over on fresh ones.
            own = Connection(urls[index % len(urls)])
            other = Connection(urls[(index + 1) % len(urls)])


async def run_clients(urls: list[str], clients: int, offset: int, duration: float) -> Tally:
    tally = Tally()
    stop_at = time.monotonic() + duration
    await asyncio.gather(*(client_loop(offset + i, urls, stop_at, tally) for i in range(clients)))
    return tally


def client_process(urls: list[str], clients: int, offset: int, duration: float, out: Path) -> None:
    """Run `clients` clients and write the tally as JSON to `out` (a file, not a pipe: a big
    tally would fill the pipe and block while the parent waits for the exit)."""
    tally = asyncio.run(run_clients(urls, clients, offset, duration))
    out.write_text(json.dumps(tally.__dict__))


# -- one measured run ------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(
    servers: list[Server], clients: int, duration: float, processes: int, workdir: Path
) -> dict[str, Any]:
    urls = [s.url for s in servers]
    per = clients // processes
    outputs = [workdir / f"tally-{i}.json" for i in range(processes)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "bench.a2a_load", "clients", "--urls", ",".join(urls),
             "--clients", str(per + (clients % processes if i == 0 else 0)),
             "--offset", str(i * per), "--duration", str(duration), "--out", str(outputs[i])],
            cwd=ROOT,
        )
        for i in range(processes)
    ]  # fmt: skip
    started = time.monotonic()
    rss_warm: list[float] | None = None
    rss_first = [s.rss_mb() for s in servers]
    cpu_first = [s.cpu_seconds() for s in servers]
    warm_elapsed = 0.0
    timeline: list[list[float]] = []
    while any(w.poll() is None for w in workers):
        time.sleep(1.0)
        elapsed = time.monotonic() - started
        if not timeline or elapsed - timeline[-1][0] >= 10:
            timeline.append([round(elapsed), *(round(s.rss_mb(), 1) for s in servers)])
        if rss_warm is None and elapsed >= min(5.0, duration / 3):
            rss_warm, warm_elapsed = [s.rss_mb() for s in servers], elapsed
    rss_end = [s.rss_mb() for s in servers]
    cpu_used = sum(s.cpu_seconds() for s in servers) - sum(cpu_first)
    if any(w.returncode for w in workers):
        raise RuntimeError("a client process failed (see its traceback above)")
    tallies = [Tally(**json.loads(out.read_text())) for out in outputs]
    elapsed = time.monotonic() - started
    latencies = [x for t in tallies for x in t.latencies]
    firsts = [x for t in tallies for x in t.first_events]
    errors = [e for t in tallies for e in t.errors]
    done = len(latencies)
    warm_done = done * warm_elapsed / elapsed if elapsed else 0
    growth = [end - warm for end, warm in zip(rss_end, rss_warm or rss_first, strict=True)]
    per_10k = [g * 10_000 / max(1.0, done - warm_done) for g in growth]
    return {
        "servers": len(servers),
        "clients": clients,
        "duration_s": round(elapsed, 1),
        "completed": done,
        "streams_per_s": round(done / elapsed, 1),
        "errors": len(errors),
        "error_samples": errors[:5],
        "cross_replica_reads": sum(t.cross_reads for t in tallies),
        "server_cpu_ms_per_stream": round(cpu_used * 1000 / max(1, done), 2),
        "latency_ms": {
            "p50": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p99": round(percentile(latencies, 0.99) * 1000, 1),
            "max": round(max(latencies) * 1000, 1) if latencies else None,
        },
        "first_event_ms": {
            "p50": round(statistics.median(firsts) * 1000, 1) if firsts else None,
            "p99": round(percentile(firsts, 0.99) * 1000, 1),
        },
        "rss_mb": {
            "start": [round(x, 1) for x in rss_first],
            "after_warmup": [round(x, 1) for x in rss_warm or rss_first],
            "end": [round(x, 1) for x in rss_end],
            "growth_after_warmup": [round(x, 1) for x in growth],
            "growth_per_10k_tasks": [round(x, 1) for x in per_10k],
            "every_10s": timeline,
        },
    }


def run_setup(setup: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    redis_process = None
    servers: list[Server] = []
    try:
        if setup == "one":
            servers = [start_server(f"sqlite:{workdir / 'tasks.db'}", "a2a", args.replay_window)]
        else:
            from tests.fixtures.redis import start_redis

            redis = start_redis(workdir)
            redis_process = redis.process
            servers = [start_server(redis.url, "bench", args.replay_window) for _ in range(2)]
        measure(servers, min(20, args.clients), 2.0, 1, workdir)  # warm up imports and caches
        result = measure(servers, args.clients, args.duration, args.processes, workdir)
        result["setup"] = "1 replica, SQLite" if setup == "one" else "2 replicas, Redis"
        return result
    finally:
        for server in servers:
            server.stop()
        if redis_process is not None:
            from tests.fixtures.redis import stop_redis

            stop_redis(redis_process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    srv = sub.add_parser("serve")
    srv.add_argument("--port", type=int, required=True)
    srv.add_argument("--store", required=True)
    srv.add_argument("--prefix", default="a2a")
    srv.add_argument("--replay-window", type=float, default=60.0)
    cli = sub.add_parser("clients")
    cli.add_argument("--urls", required=True)
    cli.add_argument("--clients", type=int, required=True)
    cli.add_argument("--offset", type=int, default=0)
    cli.add_argument("--duration", type=float, required=True)
    cli.add_argument("--out", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    parser.add_argument("--setups", default="one,two", help="one (SQLite), two (Redis)")
    parser.add_argument(
        "--replay-window", type=float, default=60.0,
        help="seconds a streamed run stays in memory for resumes (the server's default: 60)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()
    if args.command == "serve":
        serve(args.port, args.store, args.prefix, args.replay_window)
        return
    if args.command == "clients":
        client_process(args.urls.split(","), args.clients, args.offset, args.duration, args.out)
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="a2a-load-") as directory:
        for setup in args.setups.split(","):
            workdir = Path(directory) / setup
            workdir.mkdir()
            results.append(run_setup(setup.strip(), args, workdir))
            if not args.json:
                print(json.dumps(results[-1], indent=2), flush=True)
    if args.json:
        print(json.dumps(results))
    sys.exit(1 if any(r["errors"] for r in results) else 0)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
