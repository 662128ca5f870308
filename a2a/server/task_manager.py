"""The task lifecycle: runs agents, applies their events to tasks, fans events out.

Each execution of an agent is a `TaskRun`. It numbers its events (a per-task sequence
number, the SSE `id`), keeps them for replay, hands them to every subscriber, queues push
deliveries, and writes the task to the store when the run ends or pauses. Running tasks are
answered from memory; the store is written once per run end, so a fast blocking send costs
one write.

Stream rules: a run either answers with one Message (then nothing else), or its first event
is the Task, followed by status and artifact updates, ending at a terminal or interrupted
state. A subscription to a paused (input-required, auth-required) task gets the Task, then
follows the run that continues it, to that run's end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from a2a.dialects import V1_0, get_dialect
from a2a.jsonrpc import (
    InvalidParamsError,
    PushNotificationNotSupportedError,
    TaskNotCancelableError,
    TaskNotFoundError,
    UnsupportedOperationError,
)
from a2a.server.agent import Agent, RequestContext, TaskUpdater
from a2a.server.push import PushSender, check_push_url
from a2a.server.replicas import TAIL_WAIT, cancel_elsewhere, events_from_log, listen_for_cancels
from a2a.stores.base import RUNNING_STATES, PushRecord, TaskRecord, TaskStore
from a2a.types import (
    DEFAULT_PAGE_SIZE,
    Event,
    ListTaskPushNotificationConfigsResponse,
    ListTasksRequest,
    ListTasksResponse,
    Message,
    PushConfigQuery,
    Role,
    SendMessageRequest,
    SendResult,
    Task,
    TaskArtifactUpdateEvent,
    TaskPushNotificationConfig,
    TaskQuery,
    TaskState,
    TaskStatus,
    TaskStatusUpdateEvent,
    ends_stream,
    new_id,
    now_iso,
)

log = logging.getLogger("a2a.server")

Item = tuple[int, Event]
"""A sequence-numbered event."""


def snapshot(task: Task) -> Task:
    """A copy of a task that later events do not change.

    Cheap on purpose (this runs for every task): runs never mutate a task's parts in place,
    they assign new status objects, new history lists and new artifact objects, so copying
    the two lists is enough.
    """
    update: dict[str, Any] = {}
    if task.artifacts is not None:
        update["artifacts"] = list(task.artifacts)
    if task.history is not None:
        update["history"] = list(task.history)
    return task.model_copy(update=update)


def state_name(state: TaskState) -> str:
    """A state for error messages, readable in every dialect ("canceled", "input-required")."""
    return state.name.lower().replace("_", "-")


def trim(task: Task, history_length: int | None, *, artifacts: bool = True) -> Task:
    """A shallow copy of a task with at most `history_length` history (0: none)."""
    update: dict[str, Any] = {}
    if history_length is not None and task.history is not None:
        update["history"] = task.history[-history_length:] if history_length > 0 else None
    if not artifacts and task.artifacts is not None:
        update["artifacts"] = None
    return task.model_copy(update=update) if update else task


class TaskRun:
    """One execution of the agent for one task."""

    def __init__(
        self,
        manager: TaskManager,
        record: TaskRecord,
        context: RequestContext,
        *,
        first_seq: int = 0,
        existing: bool = False,
    ) -> None:
        self.manager = manager
        self.record = record
        self.task = record.task
        self.context = context
        self.seq = first_seq
        self.log: list[Item] = []
        self.subscribers: set[asyncio.Queue[Item | None]] = set()
        self.started = existing
        self.reply: Message | None = None
        self.done = False
        self.first_event = asyncio.Event()
        self.finished = asyncio.Event()
        self.runner: asyncio.Task[None] | None = None
        self.cancel_requested = False
        self.watched = False
        """Someone streams this run: keep it after the end so a dropped stream can resume."""
        self.push: list[PushRecord] = []
        if existing:
            # A continued task: its snapshot is the first thing a subscriber sees.
            self._publish(snapshot(self.task))

    @property
    def key(self) -> tuple[str, str]:
        """(owner, task id): where the manager files this run."""
        return (self.record.owner, self.task.id)

    # -- events -----------------------------------------------------------------------
    async def emit(self, event: Event) -> None:
        """Apply one agent event to the task and publish it."""
        if self.done:
            log.debug("task %s: event after the run ended ignored", self.task.id)
            return
        if isinstance(event, Message):
            if not self.started:
                self.reply = event
                self._publish(event)
                await self._finish(save=False)
                return
            # A message in the middle of a task is a status update carrying it.
            event = TaskStatusUpdateEvent(
                task_id=self.task.id,
                context_id=self.task.context_id,
                status=TaskStatus(state=self._live_state(), message=event, timestamp=now_iso()),
            )
        if not self.started:
            self.started = True
            self._publish(snapshot(self.task))
        self._apply(event)
        self._publish(event)
        if ends_stream(event):
            await self._finish(save=True)

    def _live_state(self) -> TaskState:
        state = self.task.status.state
        return TaskState.WORKING if state is TaskState.SUBMITTED else state

    def _apply(self, event: Event) -> None:
        task = self.task
        if isinstance(event, TaskStatusUpdateEvent):
            task.status = event.status
            if event.status.message is not None:
                task.history = [*(task.history or []), event.status.message]
        elif isinstance(event, TaskArtifactUpdateEvent):
            incoming = event.artifact
            artifacts = task.artifacts = task.artifacts or []
            for index, existing in enumerate(artifacts):
                if existing.artifact_id == incoming.artifact_id:
                    parts = [*existing.parts, *incoming.parts] if event.append else incoming.parts
                    artifacts[index] = existing.model_copy(update={"parts": parts})
                    return
            artifacts.append(incoming.model_copy(update={"parts": list(incoming.parts)}))

    def _publish(self, event: Event) -> None:
        self.seq += 1
        item = (self.seq, event)
        self.log.append(item)
        for queue in self.subscribers:
            queue.put_nowait(item)
        self.first_event.set()
        self.manager.on_event(self, item)

    async def _finish(self, *, save: bool) -> None:
        self.done = True
        if save:
            self.record.updated_at = time.time()
            await self.manager.store.save(self.record)
        for queue in self.subscribers:
            queue.put_nowait(None)
        self.finished.set()
        self.manager.forget_later(self)

    # -- running ----------------------------------------------------------------------
    def start(self, agent: Agent) -> None:
        """Run the agent in the background."""
        self.runner = asyncio.get_running_loop().create_task(self._drive(agent))

    async def _drive(self, agent: Agent) -> None:
        updater = TaskUpdater(self.context, self.emit)
        try:
            await agent.execute(self.context, updater)
        except asyncio.CancelledError:
            if not self.cancel_requested:
                raise
            return
        except Exception as exc:
            log.exception("agent failed on task %s", self.task.id)
            if not self.done:
                await updater.fail(f"The agent failed ({type(exc).__name__}).")
            return
        if not self.done:
            await updater.complete()

    async def cancel(self, agent: Agent) -> None:
        """Stop the agent and mark the task canceled."""
        self.cancel_requested = True
        runner = self.runner
        if runner is not None and not runner.done():
            runner.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await runner
        updater = TaskUpdater(self.context, self.emit)
        cancel_hook = getattr(agent, "cancel", None)
        if cancel_hook is not None:
            try:
                await cancel_hook(self.context, updater)
            except Exception:
                log.exception("agent cancel hook failed on task %s", self.task.id)
        if not self.done:
            if not self.started:
                self.started = True
                self._publish(snapshot(self.task))
            await self.emit(
                TaskStatusUpdateEvent(
                    task_id=self.task.id,
                    context_id=self.task.context_id,
                    status=TaskStatus(state=TaskState.CANCELED, timestamp=now_iso()),
                )
            )

    # -- subscribing --------------------------------------------------------------------
    async def events(self, after: int | None = None) -> AsyncIterator[Item]:
        """Events from the log (all, or those after a sequence number), then live ones."""
        queue: asyncio.Queue[Item | None] = asyncio.Queue()
        backlog = [item for item in self.log if after is None or item[0] > after]
        if not self.done:
            self.subscribers.add(queue)
        try:
            for item in backlog:
                yield item
            if self.done:
                return
            while True:
                next_item = await queue.get()
                if next_item is None:
                    return
                yield next_item
        finally:
            self.subscribers.discard(queue)


class TaskManager:
    """Runs agents for requests and answers task queries, scoped by owner."""

    def __init__(
        self,
        agent: Agent,
        store: TaskStore,
        *,
        push_sender: PushSender | None = None,
        push_enabled: bool = True,
        replay_window: float = 60.0,
    ) -> None:
        self.agent = agent
        self.store = store
        self.push_sender = push_sender or PushSender()
        self.push_enabled = push_enabled
        self.replay_window = replay_window
        self.runs: dict[tuple[str, str], TaskRun] = {}
        self.remote_cancel_wait = 10.0
        """Seconds a cancel waits for the replica running the task (shared stores)."""
        self._listener: asyncio.Task[None] | None = None
        self._cancels: set[asyncio.Task[None]] = set()
        self._paused_watchers: dict[tuple[str, str], set[asyncio.Event]] = {}
        """Subscriptions waiting for a paused task to be continued (or canceled)."""

    # -- internal hooks ------------------------------------------------------------------
    def on_event(self, run: TaskRun, item: Item) -> None:
        """Fan one event out to push receivers and the store's event log."""
        seq, event = item
        for push in run.push:
            dialect = get_dialect(push.dialect)
            if dialect is V1_0:
                payload = V1_0.encode_event(event)
            elif isinstance(event, Message):
                continue
            else:
                payload = dialect.encode_task(run.task)
            self.push_sender.enqueue(f"{run.record.owner}\x00{run.task.id}", push.config, payload)
        if self.store.supports_event_log:
            # Queued synchronously, in event order (the store keeps that order).
            run.record.updated_at = time.time()
            self.store.append_event(run.record, seq, V1_0.encode_event(event))

    def _wake_watchers(self, key: tuple[str, str]) -> None:
        """A paused task moved on (a new run, a cancel): its waiting subscriptions look again."""
        for wake in self._paused_watchers.get(key, ()):
            wake.set()

    def _listen(self) -> None:
        """Follow cancel requests from other replicas (stores with an event log), once."""
        if self.store.supports_event_log and self._listener is None:
            listener = listen_for_cancels(self.store, self._cancel_local)
            self._listener = asyncio.get_running_loop().create_task(listener)

    def _cancel_local(self, owner: str, task_id: str) -> None:
        run = self.runs.get((owner, task_id))
        if run is not None and not run.done and not run.cancel_requested:
            cancel = asyncio.get_running_loop().create_task(run.cancel(self.agent))
            self._cancels.add(cancel)
            cancel.add_done_callback(self._cancels.discard)

    def close(self) -> None:
        """Stop following cancel requests."""
        if self._listener is not None:
            self._listener.cancel()
            self._listener = None

    def forget_later(self, run: TaskRun) -> None:
        """Drop a finished run: at once when nobody streamed it (the store has the task) or the
        store keeps the event log (resumes read it there), else after `replay_window` seconds
        so a dropped stream can still resume from the run's own log."""

        def forget() -> None:
            if self.runs.get(run.key) is run:
                del self.runs[run.key]

        if run.watched and not self.store.supports_event_log:
            asyncio.get_running_loop().call_later(self.replay_window, forget)
        else:
            forget()

    async def _find(self, owner: str, task_id: str) -> tuple[TaskRecord, TaskRun | None]:
        run = self.runs.get((owner, task_id))
        if run is not None:
            return run.record, run
        record = await self.store.get(owner, task_id)
        if record is None:
            raise TaskNotFoundError(f"Task not found: {task_id}")
        return record, None

    async def task_dialect(self, owner: str, task_id: str) -> str | None:
        """The dialect a task was created in (None when unknown to this owner)."""
        try:
            record, _ = await self._find(owner, task_id)
        except TaskNotFoundError:
            return None
        return record.dialect

    # -- send -------------------------------------------------------------------------------
    async def start(self, owner: str, dialect: str, request: SendMessageRequest) -> TaskRun:
        """Create or continue the task of a request and start the agent on it."""
        message = request.message
        if message.role is not Role.USER:
            raise InvalidParamsError("params.message.role: must be the user role")
        if not message.parts:
            raise InvalidParamsError("params.message.parts: at least one part is required")
        record: TaskRecord | None = None
        first_seq = 0
        if message.task_id is not None:
            try:
                record, live = await self._find(owner, message.task_id)
            except TaskNotFoundError:
                if not get_dialect(dialect).client_task_ids:
                    raise
                live = None
            if live is not None:
                if not live.done:
                    raise UnsupportedOperationError(
                        f"Task {message.task_id} is still running; wait for it or cancel it"
                    )
                first_seq = live.seq
            elif record is not None:
                # Numbering goes on from the task's last logged event (another replica's run).
                first_seq = await self.store.last_seq(owner, record.task.id)
        if record is not None:
            task = record.task
            if task.status.state.is_terminal:
                raise UnsupportedOperationError(
                    f"Task {task.id} is in terminal state {state_name(task.status.state)}"
                )
            if message.context_id is not None and message.context_id != task.context_id:
                raise InvalidParamsError("params.message.contextId: does not match the task's")
            message.context_id = task.context_id
            task.history = [*(task.history or []), message]
        else:
            message.task_id = message.task_id or new_id()
            message.context_id = message.context_id or new_id()
            task = Task(
                id=message.task_id,
                context_id=message.context_id,
                status=TaskStatus(state=TaskState.SUBMITTED, timestamp=now_iso()),
                history=[message],
            )
            record = TaskRecord(task, owner, dialect, time.time())
        assert task.context_id is not None
        continuing = len(task.history or []) > 1
        context = RequestContext(
            message=message,
            task_id=task.id,
            context_id=task.context_id,
            principal=owner,
            current_task=task if continuing else None,
            configuration=request.configuration,
            metadata=request.metadata,
            dialect=dialect,
        )
        run = TaskRun(self, record, context, first_seq=first_seq, existing=continuing)
        push = (
            request.configuration.task_push_notification_config if request.configuration else None
        )
        if push is not None:
            run.push.append(await self._new_push_record(owner, dialect, task.id, push))
        if continuing:
            run.push.extend(await self.store.list_push_configs(owner, task.id))
        self.runs[run.key] = run
        self._wake_watchers(run.key)
        self._listen()
        run.start(self.agent)
        return run

    async def send(self, owner: str, dialect: str, request: SendMessageRequest) -> SendResult:
        """SendMessage: blocking by default, or after the first event with returnImmediately."""
        run = await self.start(owner, dialect, request)
        config = request.configuration
        if config is not None and config.return_immediately:
            await self._save_started(run)
        else:
            await run.finished.wait()
        if run.reply is not None:
            return run.reply
        return trim(run.task, config.history_length if config else None)

    async def stream(
        self, owner: str, dialect: str, request: SendMessageRequest
    ) -> AsyncIterator[Item]:
        """SendStreamingMessage: the run's events as they happen."""
        run = await self.start(owner, dialect, request)
        run.watched = True
        # The client learns the task id now: the store must know it too (a crash, a replica).
        await self._save_started(run)
        return run.events()

    async def _save_started(self, run: TaskRun) -> None:
        """Save a task once its run has begun, unless it already ended (and was saved) or the
        store logs every event anyway."""
        await run.first_event.wait()
        if not run.done and not self.store.supports_event_log:
            run.record.updated_at = time.time()
            await self.store.save(run.record)

    # -- queries --------------------------------------------------------------------------
    async def get_task(self, owner: str, query: TaskQuery) -> Task:
        """GetTask."""
        record, _ = await self._find(owner, query.id)
        return trim(record.task, query.history_length)

    async def list_tasks(self, owner: str, request: ListTasksRequest) -> ListTasksResponse:
        """ListTasks, newest first, paginated."""
        page = await self.store.list_tasks(owner, request)
        tasks = [
            trim(r.task, request.history_length, artifacts=bool(request.include_artifacts))
            for r in page.records
        ]
        return ListTasksResponse(
            tasks=tasks,
            next_page_token=page.next_page_token,
            page_size=request.page_size or DEFAULT_PAGE_SIZE,
            total_size=page.total_size,
        )

    async def cancel(self, owner: str, query: TaskQuery) -> Task:
        """CancelTask: stops a running agent; a paused task is canceled in the store."""
        record, run = await self._find(owner, query.id)
        if record.task.status.state.is_terminal:
            raise TaskNotCancelableError(
                f"Task {query.id} is already {state_name(record.task.status.state)}"
            )
        if run is not None and not run.done:
            await run.cancel(self.agent)
        elif (
            run is None
            and self.store.supports_event_log
            and record.task.status.state in (RUNNING_STATES)
        ):
            return await cancel_elsewhere(self.store, record, wait=self.remote_cancel_wait)
        else:
            record.task.status = TaskStatus(state=TaskState.CANCELED, timestamp=now_iso())
            record.updated_at = time.time()
            await self.store.save(record)
            self._wake_watchers((owner, query.id))
        return record.task

    async def subscribe(
        self, owner: str, query: TaskQuery, after: int | None
    ) -> AsyncIterator[Item]:
        """SubscribeToTask: the current Task, then live events; or, resuming after a sequence
        number (the SSE `Last-Event-ID`), exactly the events after it."""
        record, run = await self._find(owner, query.id)
        if run is not None:
            run.watched = True
        if run is not None and after is not None:
            return run.events(after)
        elsewhere = after is not None or record.task.status.state in RUNNING_STATES
        if run is None and self.store.supports_event_log and elsewhere:
            # Running (or ran) on another replica: its events are in the shared log.
            return events_from_log(self.store, record, after)
        if record.task.status.state.is_terminal:
            raise UnsupportedOperationError(
                f"Task {query.id} is in terminal state {state_name(record.task.status.state)}"
            )
        return self._snapshot_then_live(record, run)

    async def _snapshot_then_live(
        self, record: TaskRecord, run: TaskRun | None
    ) -> AsyncIterator[Item]:
        if run is not None and not run.done:
            seq = run.seq
            yield seq, snapshot(run.task)
            async for item in run.events(seq):
                yield item
            return
        owner, task_id = record.owner, record.task.id
        seq = run.seq if run is not None else await self.store.last_seq(owner, task_id)
        yield seq, snapshot(record.task)
        if record.task.status.state.is_interrupted:
            async for item in self._continuation(record, run, seq):
                yield item

    async def _continuation(
        self, record: TaskRecord, paused: TaskRun | None, seq: int
    ) -> AsyncIterator[Item]:
        """The events of the run that continues a paused task, to that run's end, without its
        Task snapshot (the subscriber has the Task). Woken at once by a run or a cancel on this
        replica; every `TAIL_WAIT` seconds it also looks at the store, where another replica
        may have moved the task on."""
        key = owner, task_id = record.owner, record.task.id
        paused_status = record.task.status
        wake = asyncio.Event()
        watchers = self._paused_watchers.setdefault(key, set())
        watchers.add(wake)
        try:
            while True:
                wake.clear()
                run = self.runs.get(key)
                if run is not None and run is not paused:
                    run.watched = True
                    items = run.events()
                    break
                if (
                    self.store.supports_event_log
                    and await self.store.last_seq(owner, task_id) > seq
                ):
                    items = events_from_log(self.store, record, seq)
                    break
                current = await self.store.get(owner, task_id)
                if current is None or current.task.status != paused_status:
                    # Moved on with no run left to follow (canceled while paused, or a run that
                    # already ended): its state ends the stream.
                    task = (current or record).task
                    status = TaskStatusUpdateEvent(
                        task_id=task.id, context_id=task.context_id, status=task.status
                    )
                    yield seq + 1, status
                    return
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), TAIL_WAIT)
        finally:
            watchers.discard(wake)
            if not watchers and self._paused_watchers.get(key) is watchers:
                del self._paused_watchers[key]
        async for item in items:
            if not isinstance(item[1], Task):
                yield item

    # -- push configs -------------------------------------------------------------------
    def _require_push(self) -> None:
        if not self.push_enabled:
            raise PushNotificationNotSupportedError()

    async def _new_push_record(
        self, owner: str, dialect: str, task_id: str, config: TaskPushNotificationConfig
    ) -> PushRecord:
        self._require_push()
        await check_push_url(config.url, allow_private=self.push_sender.allow_private)
        stored = config.model_copy(update={"task_id": task_id, "id": config.id or new_id()})
        record = PushRecord(stored, owner, dialect)
        await self.store.save_push_config(record)
        return record

    async def set_push_config(
        self, owner: str, dialect: str, config: TaskPushNotificationConfig
    ) -> TaskPushNotificationConfig:
        """Create (or replace) a push config of a task the caller owns."""
        self._require_push()
        if not config.task_id:
            raise InvalidParamsError("params.taskId: required")
        _, run = await self._find(owner, config.task_id)
        record = await self._new_push_record(owner, dialect, config.task_id, config)
        if run is not None and not run.done:
            run.push = [p for p in run.push if p.config.id != record.config.id] + [record]
        return record.config

    async def get_push_config(
        self, owner: str, query: PushConfigQuery
    ) -> TaskPushNotificationConfig:
        """One push config (the first when no id is given, as 0.1 and 0.3 allow)."""
        self._require_push()
        await self._find(owner, query.task_id)
        for record in await self.store.list_push_configs(owner, query.task_id):
            if query.id is None or record.config.id == query.id:
                return record.config
        raise TaskNotFoundError(f"No push config {query.id or ''} for task {query.task_id}")

    async def list_push_configs(
        self, owner: str, query: PushConfigQuery
    ) -> ListTaskPushNotificationConfigsResponse:
        """The push configs of a task."""
        self._require_push()
        await self._find(owner, query.task_id)
        records = await self.store.list_push_configs(owner, query.task_id)
        return ListTaskPushNotificationConfigsResponse(configs=[r.config for r in records])

    async def delete_push_config(self, owner: str, query: PushConfigQuery) -> None:
        """Delete a push config of a task the caller owns (succeeds when it is already gone)."""
        self._require_push()
        _, run = await self._find(owner, query.task_id)
        if query.id is None:
            raise InvalidParamsError("params.id: the push config id is required")
        # Idempotent: deleting a config that is already gone succeeds (the TCK's PUSH-DEL-002).
        await self.store.delete_push_config(owner, query.task_id, query.id)
        if run is not None:
            run.push = [p for p in run.push if p.config.id != query.id]
