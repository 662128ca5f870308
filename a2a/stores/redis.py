"""A Redis task store and event bus, so an agent can run as several replicas behind a balancer.

Any replica answers for any task: every stream event is appended to a per-task Redis Stream
(entry id `<seq>-0`, so the log keeps the server's sequence numbers and refuses a repeat) in
the same transaction as the task snapshot it leads to. A client that lost its stream resumes
on any replica with `Last-Event-ID` and gets exactly the events after it, in order, once.
A cancel sent to a replica that does not run the task is published on a channel; the replica
running it stops the agent.

Writes go through a few ordered queues (a task always uses the same one), written in
batches (one MULTI/EXEC per batch), so a task's events and saves land in the order the task
manager produced them, without locks, and each event lands together with the task snapshot
it leads to.

Each replica keeps a heartbeat key and a set of the tasks it runs. When a replica dies
(SIGKILL, lost host), its heartbeat expires and any other replica (or the replica itself
after a restart) fails those tasks with a reason and logs the failure event, so a client
tailing the task on another replica sees the end instead of waiting forever.

Keys, under `prefix` (default `a2a`), with owner and task id length-prefixed so that no two
(owner, id) pairs share a key: `t:` task hash, `i:` per-owner index (zset by update time),
`e:` event stream, `p:` push configs, `run:` / `alive:` / `claim:` per replica, `replicas`,
and the channel `cancel`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.client import Pipeline
from typing_extensions import override

from a2a.dialects import V1_0
from a2a.stores.base import (
    DEFAULT_PAGE_SIZE,
    INTERRUPTED_REASON,
    RUNNING_STATES,
    PushRecord,
    TaskPage,
    TaskRecord,
    TaskStore,
    decode_page_token,
    encode_page_token,
    fail_interrupted,
    matches,
)
from a2a.types import ListTasksRequest, Task, TaskPushNotificationConfig

log = logging.getLogger("a2a.stores.redis")

Op = Callable[[Pipeline], None]
"""Commands added to a write pipeline."""
_FIELDS = ["body", "dialect", "updated"]
WRITE_LANES = 8
"""Parallel write queues (connections); each task's writes stay in one, in order."""


def _part(value: str) -> str:
    return f"{len(value)}:{value}"


class RedisTaskStore(TaskStore):
    """Tasks, push configs and stream events in Redis, shared by every replica.

    - `url`: a `redis://` / `rediss://` / `unix://` URL (or pass `client`).
    - `event_ttl`: seconds an event log is kept after its last event (resume window).
    - `replica_ttl`: seconds without a heartbeat after which a replica counts as dead and its
      running tasks are failed; the heartbeat runs every third of it.
    - `max_connections`: the connection pool's size (callers wait for a free connection);
      writes use at most `WRITE_LANES`, each stream tailing the log on another replica holds
      one while it waits.
    """

    supports_event_log = True

    def __init__(
        self,
        url: str = "redis://127.0.0.1:6379/0",
        *,
        prefix: str = "a2a",
        event_ttl: float = 3600.0,
        replica_ttl: float = 15.0,
        max_connections: int = 256,
        client: aioredis.Redis | None = None,
    ) -> None:
        if client is None:
            # Blocking pool: a burst waits for a free connection instead of failing with
            # "Too many connections" (each resumed stream holds one while it tails the log).
            pool = aioredis.BlockingConnectionPool.from_url(
                url, max_connections=max_connections, timeout=20
            )
            client = aioredis.Redis.from_pool(pool)
        self.redis: aioredis.Redis = client
        self.prefix = prefix
        self.event_ttl = event_ttl
        self.replica_ttl = replica_ttl
        self.replica_id = uuid.uuid4().hex
        self._pending: list[list[tuple[Op, asyncio.Future[None] | None]]] = [
            [] for _ in range(WRITE_LANES)
        ]
        self._writers: list[asyncio.Task[None] | None] = [None] * WRITE_LANES
        self._heartbeat: asyncio.Task[None] | None = None
        self._closed = False
        self._reason = INTERRUPTED_REASON

    def __repr__(self) -> str:
        return f"RedisTaskStore(prefix={self.prefix!r}, replica={self.replica_id[:8]})"

    # -- keys ------------------------------------------------------------------------
    def _key(self, kind: str, owner: str, task_id: str) -> str:
        return f"{self.prefix}:{kind}:{_part(owner)}:{task_id}"

    def _index(self, owner: str) -> str:
        return f"{self.prefix}:i:{owner}"

    def _replica_key(self, kind: str, replica: str) -> str:
        return f"{self.prefix}:{kind}:{replica}"

    @property
    def _replicas(self) -> str:
        return f"{self.prefix}:replicas"

    @property
    def _channel(self) -> str:
        return f"{self.prefix}:cancel"

    # -- ordered writes ----------------------------------------------------------------
    def _enqueue(
        self, owner: str, task_id: str, op: Op, done: asyncio.Future[None] | None = None
    ) -> None:
        """Queue commands for a task; they run after every command queued before them for the
        same task, and `done` resolves once they are written."""
        self._ensure_heartbeat()
        # A task always lands in the same lane, so its writes keep their order; the lanes
        # write in parallel on their own connections.
        lane = hash((owner, task_id)) % WRITE_LANES
        self._pending[lane].append((op, done))
        writer = self._writers[lane]
        if writer is None or writer.done():
            self._writers[lane] = asyncio.get_running_loop().create_task(self._write(lane))

    async def _write(self, lane: int) -> None:
        """Drain one lane in batches: one MULTI/EXEC round trip per batch, so an op (an event
        and its task snapshot) never shows half-written."""
        while self._pending[lane]:
            batch, self._pending[lane] = self._pending[lane], []
            errors: list[BaseException | None] = []
            try:
                async with self.redis.pipeline(transaction=True) as pipe:
                    bounds = []
                    for op, _ in batch:
                        first = len(pipe.command_stack)
                        op(pipe)
                        bounds.append((first, len(pipe.command_stack)))
                    results = await pipe.execute(raise_on_error=False)
                for first, last in bounds:
                    failed = [r for r in results[first:last] if isinstance(r, Exception)]
                    errors.append(failed[0] if failed else None)
            except Exception as exc:  # the whole batch failed (connection lost...)
                errors = [exc] * len(batch)
            for (_, done), error in zip(batch, errors, strict=True):
                if error is not None:
                    log.error("redis write failed: %s", error)
                if done is not None and not done.done():
                    if error is None:
                        done.set_result(None)
                    else:
                        done.set_exception(error)

    def _write_task(self, record: TaskRecord) -> Op:
        """Commands writing a task snapshot, its index entry and this replica's running set."""
        task = record.task
        body = task.model_dump_json(by_alias=True, exclude_none=True)
        fields: dict[str | bytes, str | bytes] = {
            "body": body,
            "dialect": record.dialect,
            "updated": repr(record.updated_at),
        }
        key = self._key("t", record.owner, task.id)
        running = self._replica_key("run", self.replica_id)
        member = json.dumps([record.owner, task.id])
        is_running = task.status.state in RUNNING_STATES
        index = self._index(record.owner)

        def op(pipe: Pipeline) -> None:
            pipe.hset(key, mapping=fields)  # type: ignore[arg-type]  # invariant Mapping key
            pipe.zadd(index, {task.id: record.updated_at})
            if is_running:
                pipe.sadd(running, member)
            else:
                pipe.srem(running, member)

        return op

    def _write_event(self, owner: str, task_id: str, seq: int, event: dict[str, Any]) -> Op:
        key = self._key("e", owner, task_id)
        data = json.dumps(event, separators=(",", ":"))
        ttl = max(1, int(self.event_ttl))

        def op(pipe: Pipeline) -> None:
            pipe.xadd(key, {"e": data}, id=f"{seq}-0")
            pipe.expire(key, ttl)

        return op

    # -- tasks ---------------------------------------------------------------------------
    @override
    async def save(self, record: TaskRecord) -> None:
        done = asyncio.get_running_loop().create_future()
        self._enqueue(record.owner, record.task.id, self._write_task(record), done)
        await done

    @override
    def append_event(self, record: TaskRecord, seq: int, event: dict[str, Any]) -> None:
        event_op = self._write_event(record.owner, record.task.id, seq, event)
        task_op = self._write_task(record)

        def op(pipe: Pipeline) -> None:
            event_op(pipe)
            task_op(pipe)

        self._enqueue(record.owner, record.task.id, op)

    @override
    async def get(self, owner: str, task_id: str) -> TaskRecord | None:
        return _record(owner, await self.redis.hmget(self._key("t", owner, task_id), _FIELDS))

    @override
    async def list_tasks(self, owner: str, query: ListTasksRequest) -> TaskPage:
        offset = decode_page_token(query.page_token)
        size = query.page_size or DEFAULT_PAGE_SIZE
        index = self._index(owner)
        filtered = (
            query.context_id is not None
            or query.status is not None
            or query.status_timestamp_after is not None
        )
        if filtered:
            every = await self.redis.zrevrange(index, 0, -1)
            records = [r for r in await self._load(owner, every) if matches(r, query)]
            total = len(records)
            page = records[offset : offset + size]
        else:
            total = int(await self.redis.zcard(index))
            ids = await self.redis.zrevrange(index, offset, offset + size - 1)
            page = await self._load(owner, ids)
        more = offset + size < total
        return TaskPage(page, total, encode_page_token(offset + size) if more else "")

    async def _load(self, owner: str, ids: list[Any]) -> list[TaskRecord]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for raw in ids:
                pipe.hmget(self._key("t", owner, _text(raw)), _FIELDS)
            rows = await pipe.execute()
        return [r for r in (_record(owner, row) for row in rows) if r is not None]

    # -- push configs ----------------------------------------------------------------------
    @override
    async def save_push_config(self, record: PushRecord) -> None:
        config = record.config
        key = self._key("p", record.owner, config.task_id or "")
        value = json.dumps(
            {
                "dialect": record.dialect,
                "body": config.model_dump_json(by_alias=True, exclude_none=True),
                "n": time.time_ns(),
            }
        )
        await self.redis.hset(key, config.id or "", value)

    @override
    async def list_push_configs(self, owner: str, task_id: str) -> list[PushRecord]:
        found = await self.redis.hgetall(self._key("p", owner, task_id))
        entries = sorted((json.loads(v) for v in found.values()), key=lambda e: e["n"])
        parse = TaskPushNotificationConfig.model_validate_json
        return [PushRecord(parse(e["body"]), owner, e["dialect"]) for e in entries]

    @override
    async def delete_push_config(self, owner: str, task_id: str, config_id: str) -> bool:
        return bool(await self.redis.hdel(self._key("p", owner, task_id), config_id))

    # -- the event log --------------------------------------------------------------------
    @override
    async def read_events(
        self, owner: str, task_id: str, after_seq: int, *, wait: float = 0.0
    ) -> list[tuple[int, dict[str, Any]]]:
        block = max(1, int(wait * 1000)) if wait > 0 else None
        key = self._key("e", owner, task_id)
        found: Any = await self.redis.xread({key: f"{after_seq}-0"}, block=block)
        return [
            (_seq(entry_id), json.loads(fields[b"e"]))
            for _, entries in found or []
            for entry_id, fields in entries
        ]

    @override
    async def last_seq(self, owner: str, task_id: str) -> int:
        last: Any = await self.redis.xrevrange(self._key("e", owner, task_id), count=1)
        return _seq(last[0][0]) if last else 0

    # -- cross-replica cancel ----------------------------------------------------------------
    @override
    async def request_cancel(self, owner: str, task_id: str) -> None:
        await self.redis.publish(self._channel, json.dumps([owner, task_id]))

    @override
    async def cancel_requests(self) -> AsyncIterator[tuple[str, str]]:
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(self._channel)
        try:
            async for message in pubsub.listen():
                owner, task_id = json.loads(message["data"])
                yield str(owner), str(task_id)
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    # -- replicas and recovery -------------------------------------------------------------
    def _ensure_heartbeat(self) -> None:
        if self._heartbeat is None and not self._closed:
            self._heartbeat = asyncio.get_running_loop().create_task(self._beat())

    async def _beat(self) -> None:
        alive = self._replica_key("alive", self.replica_id)
        while True:
            try:
                async with self.redis.pipeline(transaction=True) as pipe:
                    pipe.set(alive, b"1", px=max(1, int(self.replica_ttl * 1000)))
                    pipe.sadd(self._replicas, self.replica_id)
                    await pipe.execute()
                await asyncio.sleep(self.replica_ttl / 3)
                await self._sweep(self._reason)
            except Exception as exc:  # Redis away for a moment: try again next beat
                log.warning("replica heartbeat failed: %s", exc)
                await asyncio.sleep(self.replica_ttl / 3)

    async def recover(self, reason: str) -> int:
        """Fail the running tasks of replicas whose heartbeat has expired."""
        self._reason = reason
        self._ensure_heartbeat()
        return await self._sweep(reason)

    async def _sweep(self, reason: str) -> int:
        failed = 0
        for raw in await self.redis.smembers(self._replicas):
            replica = _text(raw)
            if replica == self.replica_id:
                continue
            if await self.redis.exists(self._replica_key("alive", replica)):
                continue
            # One replica recovers a dead one; if it dies meanwhile, its claim expires and
            # another finishes the job (failing a task twice is a no-op).
            claim = self._replica_key("claim", replica)
            claim_ms = max(1000, int(self.replica_ttl * 2000))
            if not await self.redis.set(claim, self.replica_id, nx=True, px=claim_ms):
                continue
            running = self._replica_key("run", replica)
            for member in await self.redis.smembers(running):
                owner, task_id = json.loads(member)
                failed += await self._fail(owner, task_id, reason)
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.srem(self._replicas, replica)
                pipe.delete(running, claim)
                await pipe.execute()
        return failed

    async def _fail(self, owner: str, task_id: str, reason: str) -> int:
        record = await self.get(owner, task_id)
        if record is None or record.task.status.state not in RUNNING_STATES:
            return 0
        event = fail_interrupted(record, reason)
        seq = await self.last_seq(owner, task_id) + 1
        self.append_event(record, seq, V1_0.encode_event(event))
        await self.save(record)
        log.warning("task %s failed: its replica stopped mid-run", task_id)
        return 1

    async def close(self) -> None:
        """Finish queued writes, stop the heartbeat; tasks still running are left for another
        replica to fail once this one's heartbeat expires."""
        self._closed = True
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._heartbeat
        writers = [w for w in self._writers if w is not None]
        await asyncio.gather(*writers, return_exceptions=True)
        if self._heartbeat is not None:
            with contextlib.suppress(Exception):
                running = self._replica_key("run", self.replica_id)
                await self.redis.delete(self._replica_key("alive", self.replica_id))
                if not await self.redis.scard(running):
                    await self.redis.srem(self._replicas, self.replica_id)
        await self.redis.aclose()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _seq(entry_id: bytes | str) -> int:
    return int(_text(entry_id).partition("-")[0])


def _record(owner: str, row: list[Any]) -> TaskRecord | None:
    body, dialect, updated = row
    if body is None or dialect is None or updated is None:
        return None
    return TaskRecord(Task.model_validate_json(body), owner, _text(dialect), float(updated))
