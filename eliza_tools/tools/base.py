"""The one definition of a capability, and how it runs on either client.

A capability is a `CloudTool`: a pydantic input model (descriptions written for
an LLM, limits taken from the server), a *plan* and a result model. The plan is
a generator that yields client calls and receives their results::

    def _plan(cloud: AnyCloud, args: In, ctx: ToolContext) -> Plan[Out]:
        balance = yield from step(cloud.credits.balance())
        return Out(balance_usd=balance.balance)

On `ElizaCloud` each yielded value is already the result; on `AsyncElizaCloud`
it is an awaitable that the async driver awaits. So one plan serves the
blocking and the asyncio path natively (no thread hop, no `asyncio.run`), the
same trick `_transport` uses for its retry loop. Every adapter (LangChain,
OpenAI / Anthropic function calling) is generated from this definition.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel, ConfigDict

from eliza_tools.client import AsyncElizaCloud, ElizaCloud
from eliza_tools.tools.output import OutputDir

T = TypeVar("T")
InT = TypeVar("InT", bound="ToolInput")
OutT = TypeVar("OutT", bound="ToolResult")

AnyCloud = ElizaCloud | AsyncElizaCloud
Plan = Generator[Any, Any, T]
"""A capability's steps: yields client calls (values or awaitables), returns the result."""


def step(value: Awaitable[T] | T) -> Generator[Any, Any, T]:
    """Yield one client call to the driver and get its result back (`yield from step(...)`)."""
    result = yield value
    return cast(T, result)


def drive(plan: Plan[T]) -> T:
    """Run a plan on the blocking client: every yielded value is already a result."""
    try:
        value = next(plan)
        while True:
            value = plan.send(value)
    except StopIteration as stop:
        return cast(T, stop.value)


async def adrive(plan: Plan[T]) -> T:
    """Run a plan on the asyncio client: await what it yields, throw failures back in."""
    try:
        value = next(plan)
        while True:
            if inspect.isawaitable(value):
                try:
                    value = await value
                except Exception as exc:
                    value = plan.throw(exc)
                    continue
            value = plan.send(value)
    except StopIteration as stop:
        return cast(T, stop.value)


class ToolInput(BaseModel):
    """Base of every tool's arguments: snake_case names as the LLM sees them, no extras.

    Optional arguments are `X | None = None` so a strict-mode model can send
    `null` for "use the default"; the plan applies the server's default.
    """

    model_config = ConfigDict(extra="forbid")

    def given(self, *names: str) -> dict[str, Any]:
        """The named arguments that were set (not None), to pass on as keyword arguments."""
        return {name: value for name in names if (value := getattr(self, name)) is not None}


class ToolResult(BaseModel):
    """Base of every tool's typed result: the artifact a program receives.

    `cost_usd` is what the call cost, from the server's figure when it gives one,
    else from the price table (None for free calls). `summary()` is the short
    text the LLM reads.
    """

    cost_usd: float | None = None

    def summary(self) -> str:
        """One or two sentences for the LLM; never bytes or base64."""
        raise NotImplementedError


@dataclass(frozen=True)
class ToolContext:
    """What a plan may use besides the client: the output folder and saving choices."""

    output: OutputDir
    save_images: bool = True
    save_video: bool = True


@dataclass(frozen=True, eq=False)
class CloudTool(Generic[InT, OutT]):
    """One capability, defined once; every adapter is generated from it.

    `estimate` prices a call from its arguments (USD, for the budget guard);
    None means the call is free.
    """

    name: str
    description: str
    input_model: type[InT]
    result_model: type[OutT]
    plan: Callable[[AnyCloud, InT, ToolContext], Plan[OutT]]
    estimate: Callable[[InT], float] | None = None
    read_only: bool = False
    metadata: dict[str, Any] = field(default_factory=dict)
