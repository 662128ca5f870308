"""A2A clients: `A2AClient` (async) and `SyncA2AClient`, sharing request building and parsing.

    async with await A2AClient.from_url("https://agent.example") as client:
        task = await client.send_message("hello")
        async for event in client.stream_message("tell me more"):
            ...

`from_url` reads the agent card (`/.well-known/agent-card.json`, then `agent.json`, then the
elizaOS Cloud per-agent card at `/api/agents/{id}/a2a`) and picks the dialect from it.
`for_elizacloud()` talks to the cloud's `/api/a2a` with your API key.

Streams carry a per-task sequence number (the SSE `id`); when a stream drops before its last
event the client re-attaches with `SubscribeToTask` / `tasks/resubscribe` and
`Last-Event-ID`, so no event is lost or repeated (against servers that number their events;
others resend the current Task first). Only idempotent calls (get, list, card) are retried.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Self, TypedDict, Unpack
from urllib.parse import urlsplit

import httpx
from httpx_sse import EventSource
from pydantic import ValidationError

from a2a.dialects import (
    ELIZACLOUD,
    V1_0,
    Dialect,
    Op,
    card_from_wire,
    get_dialect,
    pick_interface,
)
from a2a.jsonrpc import (
    A2AError,
    AuthenticationRequiredError,
    InternalError,
    UnsupportedOperationError,
    error_from_payload,
    make_request,
)
from a2a.types import (
    AgentCard,
    AuthenticationInfo,
    Event,
    ListTaskPushNotificationConfigsResponse,
    ListTasksRequest,
    ListTasksResponse,
    Message,
    Part,
    PushConfigQuery,
    Role,
    SendMessageConfiguration,
    SendMessageRequest,
    SendResult,
    Task,
    TaskPushNotificationConfig,
    TaskQuery,
    ends_stream,
)

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=300.0, write=30.0, pool=30.0)
"""Long reads: a blocking SendMessage returns only when the task is done."""
CARD_PATHS = ("/.well-known/agent-card.json", "/.well-known/agent.json")
_CLOUD_AGENT = re.compile(r"^(?P<prefix>.*)/api/agents/(?P<id>[^/]+)(?:/a2a)?/?$")
_IDEMPOTENT = frozenset({Op.GET, Op.LIST, Op.PUSH_GET, Op.PUSH_LIST, Op.EXTENDED_CARD})
_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_DROPPED = (httpx.RemoteProtocolError, httpx.ReadError, httpx.ReadTimeout)


def card_urls(url: str) -> list[str]:
    """Where to look for the card of an agent at `url`, in order."""
    base = url.rstrip("/")
    if base.endswith(".json"):
        return [base]
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    urls = [base + path for path in CARD_PATHS]
    match = _CLOUD_AGENT.match(base)
    if match:
        # An elizaOS Cloud agent: its own card, not the site's (which would be the platform).
        return [*urls, f"{match['prefix']}/api/agents/{match['id']}/a2a"]
    if base != origin:
        urls += [origin + path for path in CARD_PATHS]
    return urls


def auth_headers(api_key: str | None = None, bearer_token: str | None = None) -> dict[str, str]:
    """`X-API-Key` and/or `Authorization: Bearer` headers."""
    headers = {}
    if api_key:
        headers["X-API-Key"] = api_key
    if bearer_token:
        headers["Authorization"] = f"Bearer {bearer_token}"
    return headers


def to_message(
    message: MessageLike,
    task_id: str | None = None,
    context_id: str | None = None,
) -> Message:
    """A user message from text, parts or a Message (ids filled in when given)."""
    if isinstance(message, Message):
        built = message.model_copy()
    else:
        parts = [Part(text=message)] if isinstance(message, str) else message
        built = Message(role=Role.USER, parts=parts)
    if task_id is not None:
        built.task_id = task_id
    if context_id is not None:
        built.context_id = context_id
    return built


class ClientCore:
    """What both clients share: the endpoint, the dialect, request bodies and parsing."""

    def __init__(
        self,
        url: str,
        dialect: str | Dialect,
        *,
        card: AgentCard | None = None,
        headers: Mapping[str, str] | None = None,
        cloud_agent_id: str | None = None,
        retries: int = 2,
    ) -> None:
        self.url = url
        self.dialect = get_dialect(dialect)
        self.card = card
        self.headers = dict(headers or {})
        if self.dialect.version_header:
            self.headers["A2A-Version"] = self.dialect.version_header
        self.cloud_agent_id = cloud_agent_id
        self.retries = retries
        self._ids = itertools.count(1)

    def body(self, op: Op, params: Any) -> bytes:
        """One JSON-RPC request body."""
        request = make_request(self.dialect.method(op), params, next(self._ids))
        return json.dumps(request, separators=(",", ":")).encode()

    def send_params(
        self,
        message: MessageLike,
        *,
        task_id: str | None,
        context_id: str | None,
        configuration: SendMessageConfiguration | None,
        metadata: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """SendMessage params (a cloud per-agent client wraps the text for chat_with_agent)."""
        built = to_message(message, task_id, context_id)
        if self.cloud_agent_id is not None:
            text = "\n".join(p.text for p in built.parts if p.text is not None)
            data = {"skill": "chat_with_agent", "agentId": self.cloud_agent_id, "message": text}
            built = built.model_copy(update={"parts": [Part(data=data)]})
        request = SendMessageRequest(message=built, configuration=configuration, metadata=metadata)
        return self.dialect.encode_send(request)

    def result(self, response: httpx.Response) -> Any:
        """The `result` of a JSON-RPC response, or the typed error it carries."""
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if isinstance(payload, dict) and "error" in payload:
            raise error_from_payload(payload["error"], self.dialect.name)
        if isinstance(payload, dict) and "result" in payload and response.is_success:
            return payload["result"]
        if response.status_code == 401:
            raise AuthenticationRequiredError(f"HTTP 401 from {self.url}")
        raise InternalError(f"HTTP {response.status_code} from {self.url}: not a JSON-RPC answer")

    def should_retry(self, op: Op, attempt: int, status: int | None) -> bool:
        """Retry idempotent calls on transport errors (status None) and 429/502/503/504."""
        return (
            op in _IDEMPOTENT
            and attempt < self.retries
            and (status is None or status in _RETRY_STATUSES)
        )

    @staticmethod
    def backoff(attempt: int, response: httpx.Response | None) -> float:
        """Seconds to wait before a retry (Retry-After when the server gives one)."""
        after = response.headers.get("retry-after", "") if response is not None else ""
        if after.isdigit():
            return min(float(after), 30.0)
        return 0.25 * float(2**attempt)


class StreamTracker:
    """Decodes stream frames, drops repeats by sequence number, knows when the stream is over."""

    def __init__(self, core: ClientCore) -> None:
        self.core = core
        self.task_id: str | None = None
        self.last_seq: int | None = None
        self.finished = False

    def feed(self, event_id: str, data: str) -> Event | None:
        """One SSE frame -> its event (None for a repeat or a keepalive)."""
        if not data:
            return None
        seq = int(event_id) if event_id.isdigit() else None
        if seq is not None and self.last_seq is not None and seq <= self.last_seq:
            return None
        payload = json.loads(data)
        if "error" in payload:
            raise error_from_payload(payload["error"], self.core.dialect.name)
        event, final = self.core.dialect.decode_event(payload.get("result"))
        if seq is not None:
            self.last_seq = seq
        if isinstance(event, Task):
            self.task_id = event.id
        elif not isinstance(event, Message):
            self.task_id = self.task_id or event.task_id
        self.finished = final or ends_stream(event)
        return event

    def resume(self, attempt: int, limit: int) -> tuple[bytes, dict[str, str]]:
        """The request that re-attaches to the task after a dropped stream."""
        if attempt >= limit:
            raise InternalError("The stream kept closing before the task finished")
        if self.task_id is None or Op.SUBSCRIBE not in self.core.dialect.methods:
            raise InternalError("The stream dropped before the task was known; cannot resume")
        body = self.core.body(Op.SUBSCRIBE, TaskQuery(id=self.task_id).to_wire())
        headers = {} if self.last_seq is None else {"Last-Event-ID": str(self.last_seq)}
        return body, headers


def _is_event_stream(response: httpx.Response) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.startswith("text/event-stream")


MessageLike = str | Message | list[Part]
"""Text, parts, or a full Message."""


class ClientOptions(TypedDict, total=False):
    """Keyword options of both clients' constructors (and `from_url`, `for_elizacloud`)."""

    dialect: str | Dialect
    """`1.0` (default), `0.3`, `elizacloud` or `0.1`."""
    card: AgentCard | None
    api_key: str | None
    """Sent as `X-API-Key`."""
    bearer_token: str | None
    """Sent as `Authorization: Bearer`."""
    headers: Mapping[str, str] | None
    timeout: httpx.Timeout | float
    """Long reads by default: a blocking send returns when the task is done."""
    retries: int
    """Retries of idempotent calls (get, list, card) on transport errors and 429/502/503/504."""
    max_resumes: int
    """How many times a dropped stream is re-attached."""
    cloud_agent_id: str | None


class SendOptions(TypedDict, total=False):
    """Keyword options of `send_message` / `stream_message`."""

    task_id: str | None
    """Continue this task (after input-required); 0.1 uses it as the new task's id."""
    context_id: str | None
    configuration: SendMessageConfiguration | None
    metadata: dict[str, Any] | None
    return_immediately: bool | None
    """Answer once the task exists instead of when it finishes."""
    history_length: int | None


@dataclass(frozen=True)
class Call:
    """One planned operation: what to send and how to read the answer (I/O-free)."""

    op: Op
    params: Any
    decode: Callable[[Any], Any]


class Plans:
    """Builds the `Call` of every operation; both clients only add the I/O."""

    def __init__(self, core: ClientCore) -> None:
        self.core = core

    def send(
        self,
        message: MessageLike,
        op: Op = Op.SEND,
        **options: Unpack[SendOptions],
    ) -> Call:
        """A send or stream (`op`), `return_immediately` / `history_length` in its configuration."""
        configuration = options.get("configuration")
        return_immediately = options.get("return_immediately")
        history_length = options.get("history_length")
        config = configuration
        if return_immediately is not None or history_length is not None:
            update: dict[str, Any] = {}
            if return_immediately is not None:
                update["return_immediately"] = return_immediately
            if history_length is not None:
                update["history_length"] = history_length
            config = (configuration or SendMessageConfiguration()).model_copy(update=update)
        params = self.core.send_params(
            message,
            task_id=options.get("task_id"),
            context_id=options.get("context_id"),
            configuration=config,
            metadata=options.get("metadata"),
        )
        return Call(op, params, self.core.dialect.decode_send_result)

    def skill(self, skill: str, data: dict[str, Any]) -> Call:
        """A send of one data part naming the skill and its arguments (how the cloud picks one)."""
        return self.send(Message(role=Role.USER, parts=[Part(data={"skill": skill, **data})]))

    def task(self, op: Op, task_id: str, history_length: int | None = None) -> Call:
        """A get, cancel or subscribe (`op`) of one task."""
        query = TaskQuery(id=task_id, history_length=history_length)
        dialect = self.core.dialect
        return Call(op, dialect.encode_task_query(query), dialect.decode_task)

    def list_tasks(self, filters: dict[str, Any]) -> Call:
        """A ListTasks; `filters` are `ListTasksRequest` fields."""
        dialect = self.core.dialect
        request = ListTasksRequest(**filters)
        return Call(Op.LIST, dialect.encode_list(request), dialect.decode_list_result)

    def push_set(
        self,
        task_id: str,
        url: str,
        token: str | None,
        authentication: AuthenticationInfo | None,
        config_id: str | None,
    ) -> Call:
        """A create-or-replace of a task's push-notification config."""
        config = TaskPushNotificationConfig(
            id=config_id, task_id=task_id, url=url, token=token, authentication=authentication
        )
        dialect = self.core.dialect
        return Call(Op.PUSH_SET, dialect.encode_push_config(config), dialect.decode_push_config)

    def push_query(self, op: Op, task_id: str, config_id: str | None = None) -> Call:
        """A push-config get, list or delete (`op`); a delete answers None."""
        dialect = self.core.dialect
        decode: Callable[[Any], Any] = {
            Op.PUSH_GET: dialect.decode_push_config,
            Op.PUSH_LIST: dialect.decode_push_list_result,
        }.get(op, lambda _: None)
        query = PushConfigQuery(task_id=task_id, id=config_id)
        return Call(op, dialect.encode_push_query(query), decode)


def _cloud_kwargs(
    api_key: str | None, base_url: str | None, kwargs: dict[str, Any]
) -> dict[str, Any]:
    """Constructor arguments for the cloud's /api/a2a: both auth headers, as the cloud wants."""
    from eliza_tools.config import resolve_settings

    settings = resolve_settings(api_key=api_key, base_url=base_url)
    key = settings.api_key.get()
    headers = {**auth_headers(api_key=key, bearer_token=key), **kwargs.pop("headers", {})}
    url = settings.site_url + "/api/a2a"
    return {**kwargs, "url": url, "dialect": ELIZACLOUD, "headers": headers}


def _card_from(response: httpx.Response, url: str) -> AgentCard | None:
    """The card in a card response, or None when it is not one."""
    if not response.is_success:
        return None
    try:
        data = response.json()
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    try:
        return card_from_wire(data, url)
    except (A2AError, ValidationError) as exc:
        raise A2AError(f"Invalid agent card at {response.url}: {exc}") from None


def _no_card(url: str) -> A2AError:
    return A2AError(f"No agent card found for {url} (tried {', '.join(card_urls(url))})")


def _from_card(url: str, card: AgentCard, source: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Constructor arguments for a client of the agent a card describes."""
    match = _CLOUD_AGENT.match(source)
    if match:
        # An elizaOS Cloud per-agent card: that agent is reached through /api/a2a.
        return {
            **kwargs,
            "url": f"{match['prefix']}/api/a2a",
            "dialect": ELIZACLOUD,
            "card": card,
            "cloud_agent_id": match["id"],
        }
    dialect, endpoint = pick_interface(card)
    return {**kwargs, "url": endpoint or url, "dialect": dialect, "card": card}


class _Base:
    """Construction shared by both clients."""

    def __init__(
        self,
        url: str,
        *,
        dialect: str | Dialect = V1_0,
        card: AgentCard | None = None,
        api_key: str | None = None,
        bearer_token: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retries: int = 2,
        max_resumes: int = 3,
        cloud_agent_id: str | None = None,
    ) -> None:
        merged = {**auth_headers(api_key, bearer_token), **(headers or {})}
        self.core = ClientCore(
            url, dialect, card=card, headers=merged, cloud_agent_id=cloud_agent_id, retries=retries
        )
        self.plans = Plans(self.core)
        self.timeout = timeout
        self.max_resumes = max_resumes

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={self.core.url!r}, dialect={self.core.dialect.name!r})"

    @property
    def dialect(self) -> Dialect:
        """The wire dialect this client speaks."""
        return self.core.dialect

    @property
    def card(self) -> AgentCard | None:
        """The agent card, when resolved."""
        return self.core.card

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return {**self.core.headers, "Content-Type": "application/json", **(extra or {})}


class A2AClient(_Base):
    """Async A2A client for one agent endpoint.

    Arguments: `url` (the JSON-RPC endpoint), `dialect` (`1.0`, `0.3`, `elizacloud`, `0.1`),
    `api_key` (sent as `X-API-Key`), `bearer_token`, extra `headers`, `timeout` (long reads
    by default), `retries` (idempotent calls only), `max_resumes` (dropped streams),
    `http_client` (bring your own httpx.AsyncClient).
    """

    def __init__(
        self,
        url: str,
        *,
        http_client: httpx.AsyncClient | None = None,
        **kwargs: Unpack[ClientOptions],
    ) -> None:
        super().__init__(url, **kwargs)
        self._own_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=self.timeout)

    @classmethod
    async def from_url(
        cls, url: str, *, dialect: str | Dialect | None = None, **kwargs: Any
    ) -> A2AClient:
        """Resolve the agent's card and pick the dialect (or use `dialect` and skip the card)."""
        if dialect is not None:
            return cls(url, dialect=dialect, **kwargs)
        probe = cls(url, **kwargs)
        try:
            card, source = await probe.fetch_card(url)
        except BaseException:
            await probe.aclose()
            raise
        # The client keeps the probe's connection pool (building one costs milliseconds).
        client = cls(**_from_card(url, card, source, {**kwargs, "http_client": probe._http}))
        client._own_http = probe._own_http
        return client

    @classmethod
    def for_elizacloud(
        cls, api_key: str | None = None, base_url: str | None = None, **kwargs: Any
    ) -> A2AClient:
        """A client for the elizaOS Cloud `/api/a2a` (key from the argument, env or config);
        sends both `Authorization: Bearer` and `X-API-Key`."""
        return cls(**_cloud_kwargs(api_key, base_url, kwargs))

    async def fetch_card(self, url: str) -> tuple[AgentCard, str]:
        """The first card found at the well-known places; returns it and where it was."""
        for candidate in card_urls(url):
            try:
                response = await self._http.get(candidate, headers=self.core.headers)
            except httpx.TransportError:
                continue
            card = _card_from(response, url)
            if card is not None:
                return card, candidate
        raise _no_card(url)

    # -- transport --------------------------------------------------------------------------
    async def _run(self, call: Call) -> Any:
        body = self.core.body(call.op, call.params)
        for attempt in itertools.count():
            try:
                response = await self._http.post(
                    self.core.url, content=body, headers=self._headers()
                )
            except httpx.TransportError:
                if not self.core.should_retry(call.op, attempt, None):
                    raise
                await asyncio.sleep(self.core.backoff(attempt, None))
                continue
            if self.core.should_retry(call.op, attempt, response.status_code):
                await asyncio.sleep(self.core.backoff(attempt, response))
                continue
            return call.decode(self.core.result(response))
        raise AssertionError("unreachable")

    async def _stream(self, op: Op, params: Any) -> AsyncIterator[Event]:
        tracker = StreamTracker(self.core)
        body, extra = self.core.body(op, params), dict[str, str]()
        for attempt in itertools.count():
            try:
                headers = self._headers({**extra, "Accept": "text/event-stream"})
                async with self._http.stream(
                    "POST", self.core.url, content=body, headers=headers
                ) as response:
                    if not _is_event_stream(response):
                        await response.aread()
                        raise _not_a_stream(self.core, response)
                    async for sse in EventSource(response).aiter_sse():
                        event = tracker.feed(sse.id, sse.data)
                        if event is not None:
                            yield event
                        if tracker.finished:
                            return
            except _DROPPED:
                pass  # resumed below; past max_resumes, tracker.resume raises a typed error
            except UnsupportedOperationError:
                # Re-attaching to a task that ended meanwhile: its final state is what we missed.
                if attempt == 0 or tracker.task_id is None:
                    raise
                yield await self.get_task(tracker.task_id)
                return
            body, extra = tracker.resume(attempt, self.max_resumes)

    # -- operations ---------------------------------------------------------------------------
    async def send_message(
        self, message: MessageLike, **options: Unpack[SendOptions]
    ) -> SendResult:
        """Send a message; returns the Task (done, paused or, with return_immediately, started)
        or the agent's direct Message.

        Options: task_id, context_id, configuration, metadata, return_immediately,
        history_length.
        """
        result: SendResult = await self._run(self.plans.send(message, **options))
        return result

    async def stream_message(
        self, message: MessageLike, **options: Unpack[SendOptions]
    ) -> AsyncIterator[Event]:
        """Send a message and iterate over the events (Task, status and artifact updates, or
        one Message). Servers that cannot stream (the cloud) yield the send result once."""
        if Op.STREAM not in self.core.dialect.methods:
            yield await self.send_message(message, **options)
            return
        call = self.plans.send(message, Op.STREAM, **options)
        async for event in self._stream(call.op, call.params):
            yield event

    async def subscribe(self, task_id: str) -> AsyncIterator[Event]:
        """Re-attach to a task's event stream (the current Task first)."""
        call = self.plans.task(Op.SUBSCRIBE, task_id)
        async for event in self._stream(call.op, call.params):
            yield event

    async def get_task(self, task_id: str, *, history_length: int | None = None) -> Task:
        """A task by id."""
        task: Task = await self._run(self.plans.task(Op.GET, task_id, history_length))
        return task

    async def list_tasks(self, **filters: Any) -> ListTasksResponse:
        """One page of tasks (1.0): context_id, status, page_size, page_token, history_length,
        status_timestamp_after, include_artifacts."""
        page: ListTasksResponse = await self._run(self.plans.list_tasks(filters))
        return page

    async def cancel_task(self, task_id: str) -> Task:
        """Cancel a task; returns it in its new state."""
        task: Task = await self._run(self.plans.task(Op.CANCEL, task_id))
        return task

    async def set_push_config(
        self,
        task_id: str,
        url: str,
        *,
        token: str | None = None,
        authentication: AuthenticationInfo | None = None,
        config_id: str | None = None,
    ) -> TaskPushNotificationConfig:
        """Ask the server to push this task's updates to `url`."""
        call = self.plans.push_set(task_id, url, token, authentication, config_id)
        config: TaskPushNotificationConfig = await self._run(call)
        return config

    async def get_push_config(
        self, task_id: str, config_id: str | None = None
    ) -> TaskPushNotificationConfig:
        """One push config of a task."""
        config: TaskPushNotificationConfig = await self._run(
            self.plans.push_query(Op.PUSH_GET, task_id, config_id)
        )
        return config

    async def list_push_configs(self, task_id: str) -> ListTaskPushNotificationConfigsResponse:
        """The push configs of a task."""
        configs: ListTaskPushNotificationConfigsResponse = await self._run(
            self.plans.push_query(Op.PUSH_LIST, task_id)
        )
        return configs

    async def delete_push_config(self, task_id: str, config_id: str) -> None:
        """Remove a push config."""
        await self._run(self.plans.push_query(Op.PUSH_DELETE, task_id, config_id))

    async def call_skill(self, skill: str, **data: Any) -> SendResult:
        """Run one elizaOS Cloud skill (`check_balance`, `web_search`, ...)."""
        result: SendResult = await self._run(self.plans.skill(skill, data))
        return result

    async def chat_with_agent(self, agent_id: str, message: str) -> SendResult:
        """Talk to one elizaOS Cloud agent by id (the cloud's `chat_with_agent` skill)."""
        return await self.call_skill("chat_with_agent", agentId=agent_id, message=message)

    async def aclose(self) -> None:
        """Close the HTTP client (when this client created it)."""
        if self._own_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class SyncA2AClient(_Base):
    """The blocking twin of `A2AClient`: same arguments and methods, without `await`."""

    def __init__(
        self, url: str, *, http_client: httpx.Client | None = None, **kwargs: Unpack[ClientOptions]
    ) -> None:
        super().__init__(url, **kwargs)
        self._own_http = http_client is None
        self._http = http_client or httpx.Client(timeout=self.timeout)

    @classmethod
    def from_url(
        cls, url: str, *, dialect: str | Dialect | None = None, **kwargs: Any
    ) -> SyncA2AClient:
        """Resolve the agent's card and pick the dialect (or use `dialect` and skip the card)."""
        if dialect is not None:
            return cls(url, dialect=dialect, **kwargs)
        probe = cls(url, **kwargs)
        try:
            card, source = probe.fetch_card(url)
        except BaseException:
            probe.close()
            raise
        client = cls(**_from_card(url, card, source, {**kwargs, "http_client": probe._http}))
        client._own_http = probe._own_http
        return client

    @classmethod
    def for_elizacloud(
        cls, api_key: str | None = None, base_url: str | None = None, **kwargs: Any
    ) -> SyncA2AClient:
        """A client for the elizaOS Cloud `/api/a2a`."""
        return cls(**_cloud_kwargs(api_key, base_url, kwargs))

    def fetch_card(self, url: str) -> tuple[AgentCard, str]:
        """The first card found at the well-known places; returns it and where it was."""
        for candidate in card_urls(url):
            try:
                response = self._http.get(candidate, headers=self.core.headers)
            except httpx.TransportError:
                continue
            card = _card_from(response, url)
            if card is not None:
                return card, candidate
        raise _no_card(url)

    def _run(self, call: Call) -> Any:
        body = self.core.body(call.op, call.params)
        for attempt in itertools.count():
            try:
                response = self._http.post(self.core.url, content=body, headers=self._headers())
            except httpx.TransportError:
                if not self.core.should_retry(call.op, attempt, None):
                    raise
                time.sleep(self.core.backoff(attempt, None))
                continue
            if self.core.should_retry(call.op, attempt, response.status_code):
                time.sleep(self.core.backoff(attempt, response))
                continue
            return call.decode(self.core.result(response))
        raise AssertionError("unreachable")

    def _stream(self, op: Op, params: Any) -> Iterator[Event]:
        tracker = StreamTracker(self.core)
        body, extra = self.core.body(op, params), dict[str, str]()
        for attempt in itertools.count():
            try:
                headers = self._headers({**extra, "Accept": "text/event-stream"})
                with self._http.stream(
                    "POST", self.core.url, content=body, headers=headers
                ) as response:
                    if not _is_event_stream(response):
                        response.read()
                        raise _not_a_stream(self.core, response)
                    for sse in EventSource(response).iter_sse():
                        event = tracker.feed(sse.id, sse.data)
                        if event is not None:
                            yield event
                        if tracker.finished:
                            return
            except _DROPPED:
                pass  # resumed below; past max_resumes, tracker.resume raises a typed error
            except UnsupportedOperationError:
                if attempt == 0 or tracker.task_id is None:
                    raise
                yield self.get_task(tracker.task_id)
                return
            body, extra = tracker.resume(attempt, self.max_resumes)

    def send_message(self, message: MessageLike, **options: Unpack[SendOptions]) -> SendResult:
        """Send a message; returns a Task or the agent's direct Message."""
        result: SendResult = self._run(self.plans.send(message, **options))
        return result

    def stream_message(
        self, message: MessageLike, **options: Unpack[SendOptions]
    ) -> Iterator[Event]:
        """Send a message and iterate over its events."""
        if Op.STREAM not in self.core.dialect.methods:
            yield self.send_message(message, **options)
            return
        call = self.plans.send(message, Op.STREAM, **options)
        yield from self._stream(call.op, call.params)

    def subscribe(self, task_id: str) -> Iterator[Event]:
        """Re-attach to a task's event stream."""
        call = self.plans.task(Op.SUBSCRIBE, task_id)
        yield from self._stream(call.op, call.params)

    def get_task(self, task_id: str, *, history_length: int | None = None) -> Task:
        """A task by id."""
        task: Task = self._run(self.plans.task(Op.GET, task_id, history_length))
        return task

    def list_tasks(self, **filters: Any) -> ListTasksResponse:
        """One page of tasks (1.0)."""
        page: ListTasksResponse = self._run(self.plans.list_tasks(filters))
        return page

    def cancel_task(self, task_id: str) -> Task:
        """Cancel a task."""
        task: Task = self._run(self.plans.task(Op.CANCEL, task_id))
        return task

    def set_push_config(
        self,
        task_id: str,
        url: str,
        *,
        token: str | None = None,
        authentication: AuthenticationInfo | None = None,
        config_id: str | None = None,
    ) -> TaskPushNotificationConfig:
        """Ask the server to push this task's updates to `url`."""
        call = self.plans.push_set(task_id, url, token, authentication, config_id)
        config: TaskPushNotificationConfig = self._run(call)
        return config

    def get_push_config(
        self, task_id: str, config_id: str | None = None
    ) -> TaskPushNotificationConfig:
        """One push config of a task."""
        call = self.plans.push_query(Op.PUSH_GET, task_id, config_id)
        config: TaskPushNotificationConfig = self._run(call)
        return config

    def list_push_configs(self, task_id: str) -> ListTaskPushNotificationConfigsResponse:
        """The push configs of a task."""
        call = self.plans.push_query(Op.PUSH_LIST, task_id)
        configs: ListTaskPushNotificationConfigsResponse = self._run(call)
        return configs

    def delete_push_config(self, task_id: str, config_id: str) -> None:
        """Remove a push config."""
        self._run(self.plans.push_query(Op.PUSH_DELETE, task_id, config_id))

    def call_skill(self, skill: str, **data: Any) -> SendResult:
        """Run one elizaOS Cloud skill."""
        result: SendResult = self._run(self.plans.skill(skill, data))
        return result

    def chat_with_agent(self, agent_id: str, message: str) -> SendResult:
        """Talk to one elizaOS Cloud agent by id."""
        return self.call_skill("chat_with_agent", agentId=agent_id, message=message)

    def close(self) -> None:
        """Close the HTTP client (when this client created it)."""
        if self._own_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _not_a_stream(core: ClientCore, response: httpx.Response) -> A2AError:
    """The error in a non-stream answer to a stream request (or a complaint about it)."""
    result = core.result(response)
    return InternalError(f"Expected an event stream, got {result!r:.100}")


__all__ = [
    "DEFAULT_TIMEOUT",
    "A2AClient",
    "Call",
    "ClientCore",
    "ClientOptions",
    "Plans",
    "SendOptions",
    "StreamTracker",
    "SyncA2AClient",
    "auth_headers",
    "card_urls",
    "to_message",
]
