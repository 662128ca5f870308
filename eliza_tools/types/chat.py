"""Chat completion shapes (`POST /api/v1/chat/completions`, reference §6), OpenAI style.

The server takes `model`, `messages` and the usual sampling fields, plus two
extensions spelled in camelCase (`webSearchEnabled`, `webSearchMaxUses`). It
ignores `tools`, `tool_choice`, `n`, `response_format` and `logprobs`, so this
client does not offer them. `finish_reason` is always "stop"; streams carry no
usage chunk.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from eliza_tools._transport import RequestOptions
from eliza_tools.types._base import SnakeCaseModel, SnakeCaseRequest

Role = Literal["system", "developer", "user", "assistant", "tool"]


class ChatMessage(SnakeCaseRequest):
    """One input message; `content` is text or a list of `text` / `image_url` / `file` parts."""

    model_config = ConfigDict(extra="allow")

    role: Role
    content: str | list[dict[str, Any]] | None
    name: str | None = None


class ChatCompletionRequest(SnakeCaseRequest):
    """The body of `POST /chat/completions`, with the server's limits."""

    model: str = Field(min_length=1)
    messages: list[ChatMessage] = Field(min_length=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1)
    top_p: float | None = Field(default=None, ge=0, le=1)
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)
    presence_penalty: float | None = Field(default=None, ge=-2, le=2)
    stop: str | list[str] | None = None
    stream: bool | None = None
    web_search_enabled: bool | None = Field(default=None, alias="webSearchEnabled")
    web_search_max_uses: int | None = Field(default=None, ge=1, alias="webSearchMaxUses")


class ChatCompletionOptions(RequestOptions, total=False):
    """Optional arguments of `chat.completions.create`, besides model, messages and stream."""

    temperature: float
    max_tokens: int
    top_p: float
    frequency_penalty: float
    presence_penalty: float
    stop: str | list[str]
    web_search_enabled: bool
    web_search_max_uses: int


class Usage(SnakeCaseModel):
    """Token counts of one completion."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class AssistantMessage(SnakeCaseModel):
    """The generated message."""

    role: str = "assistant"
    content: str | None = None


class Choice(SnakeCaseModel):
    """One choice of a completion (the server always returns exactly one)."""

    index: int = 0
    message: AssistantMessage
    finish_reason: str | None = None


class _CompletionBase(SnakeCaseModel):
    """What a completion and each of its chunks carry: the same id, time and model."""

    id: str
    created: int = 0
    model: str = ""


class ChatCompletion(_CompletionBase):
    """A whole (non-streamed) completion."""

    object: str = "chat.completion"
    choices: list[Choice] = Field(default_factory=list)
    usage: Usage | None = None

    @property
    def content(self) -> str:
        """The text of the first choice ("" when there is none)."""
        return (self.choices[0].message.content or "") if self.choices else ""


class Delta(SnakeCaseModel):
    """What one chunk adds to the message."""

    role: str | None = None
    content: str | None = None


class ChunkChoice(SnakeCaseModel):
    """One choice of a streamed chunk."""

    index: int = 0
    delta: Delta = Field(default_factory=Delta)
    finish_reason: str | None = None


class ChatCompletionChunk(_CompletionBase):
    """One `data:` event of a streamed completion."""

    object: str = "chat.completion.chunk"
    choices: list[ChunkChoice] = Field(default_factory=list)

    @property
    def content(self) -> str:
        """The text this chunk adds ("" for the role and final chunks)."""
        return (self.choices[0].delta.content or "") if self.choices else ""
