"""The demo story, as plain functions: `eliza-tools demo` drives them with progress output.

Each step takes a `DemoContext` and returns a `StepOutcome` (one line of result,
the files it wrote). By default the story runs against an embedded emulator (no
key, no network); `open_context(cloud=True)` runs it against the real service.

    with open_context(Path("eliza-demo")) as ctx:
        for step in STORY:
            print(step.title, step.run(ctx).summary)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eliza_tools.client import ElizaCloud
from eliza_tools.errors import ElizaCloudError
from eliza_tools.types.images import GeneratedImage

IMAGE_PROMPT = "A lighthouse on a rocky cliff at dawn, watercolor"
SPOKEN_TEXT = "Welcome to elizaOS Cloud. This sentence was spoken by the speech tool."
NOTES_NAME = "lighthouse-notes.md"
NOTES = """# Cape Ora lighthouse

The Cape Ora lighthouse was built in 1874 from local granite. Its lamp was
automated in 1989, and the last keeper, Mira Olsen, retired that year.

The light flashes white every ten seconds and can be seen 22 nautical miles out.
Visitors can climb its 132 steps on summer weekends.
"""
QUESTION = "When was the lamp automated?"
# Agents the emulator starts without: the demo publishes two so discovery has something to find.
DEMO_AGENTS = (
    ("Basho", "A haiku poet agent: turns any topic into a haiku."),
    ("Ada", "A research agent: answers questions with short, sourced summaries."),
)
DELEGATED_TASK = "Write a haiku about the Cape Ora lighthouse."
LOCAL_AGENT_NAME = "Local librarian (LangChain, served over A2A)"
DELEGATED_BACK = "Which files did the demo save on this machine?"


class StepSkipped(Exception):
    """The step cannot run in this mode (the message says why)."""


@dataclass
class StepOutcome:
    """What a step did: one line for people and the files it wrote."""

    summary: str
    files: list[Path] = field(default_factory=list)


@dataclass
class DemoContext:
    """What the steps share: the client, where files go, and what earlier steps found."""

    cloud: ElizaCloud
    api_key: str
    base_url: str
    out_dir: Path
    emulated: bool
    agent_ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One chapter of the story."""

    title: str
    run: Callable[[DemoContext], StepOutcome]


# -- helpers ----------------------------------------------------------------------------------


def save_image(cloud: ElizaCloud, image: GeneratedImage, stem: Path) -> Path:
    """Save a generated image as `stem` + its extension: downloaded from its URL, or decoded
    when the server sent it inline."""
    mime = image.mime_type or "image/png"
    path = stem.with_suffix("." + mime.split("/")[-1].replace("jpeg", "jpg"))
    path.parent.mkdir(parents=True, exist_ok=True)
    if image.url:
        return cloud.video.download(image.url, path).path  # the same blob-storage download
    data = image.data()
    if data is None:
        raise ElizaCloudError("the server returned an image without a URL or data")
    path.write_bytes(data)
    return path


def _executor(ctx: DemoContext) -> Any:
    from eliza_tools.tools.toolkit import ElizaCloudToolkit

    return ElizaCloudToolkit(ctx.cloud, output_dir=ctx.out_dir, raise_errors=True).executor()


def _tool(ctx: DemoContext, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """Run a tool the way an LLM's function call would; a failure raises."""
    reply: dict[str, Any] = _executor(ctx).execute(name, arguments)
    if not reply["ok"]:
        raise ElizaCloudError(f"{name}: {reply['error'].get('message')}")
    return reply


def reply_text(result: Any) -> str:
    """What an elizaOS Cloud skill answered: its text, else the `response` of its data part."""
    from a2a import get_text

    text = get_text(result)
    if text:
        return text
    messages = [result.status.message] if hasattr(result, "status") else [result]
    for message in messages:
        for part in getattr(message, "parts", None) or []:
            if isinstance(part.data, dict) and isinstance(part.data.get("response"), str):
                return str(part.data["response"])
    raise ElizaCloudError("the agent answered without text")


def _cloud_a2a(ctx: DemoContext) -> Any:
    from a2a import SyncA2AClient

    return SyncA2AClient.for_elizacloud(ctx.api_key, ctx.base_url)


@contextmanager
def serve_in_thread(app: Any, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve an ASGI app on a free loopback port in a background thread; yields its URL."""
    import uvicorn

    from eliza_tools.emulator.server import free_port

    port = free_port(host)
    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, name=f"a2a:{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the local A2A agent did not start on {host}:{port}")
        time.sleep(0.01)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


# -- the steps --------------------------------------------------------------------------------


def check_credits(ctx: DemoContext) -> StepOutcome:
    """The `check_credits` tool."""
    return StepOutcome(_tool(ctx, "check_credits", {})["content"])


def generate_image(ctx: DemoContext) -> StepOutcome:
    """The `generate_image` tool, then the image saved locally."""
    result = _tool(ctx, "generate_image", {"prompt": IMAGE_PROMPT})["result"]
    first = result["images"][0]
    if first.get("path"):
        return StepOutcome(f"image saved ({result['model']})", [Path(first["path"])])
    image = GeneratedImage(url=first["url"], mime_type=first.get("mime_type"))
    path = save_image(ctx.cloud, image, ctx.out_dir / "lighthouse")
    return StepOutcome(f"{path.stat().st_size:,} bytes from {result['model']}", [path])


def speak(ctx: DemoContext) -> StepOutcome:
    """The `text_to_speech` tool: an MP3 file in the output folder."""
    result = _tool(ctx, "text_to_speech", {"text": SPOKEN_TEXT})["result"]
    return StepOutcome(f"{result['size_bytes']:,} bytes of MP3", [Path(result["path"])])


def knowledge(ctx: DemoContext) -> StepOutcome:
    """The `upload_knowledge` tool on a document, then `query_knowledge`."""
    notes = ctx.out_dir / NOTES_NAME
    notes.write_text(NOTES, encoding="utf-8")
    uploaded = _tool(ctx, "upload_knowledge", {"file_paths": [str(notes)]})["result"]
    refused = [doc["error"] for doc in uploaded["documents"] if doc.get("error")]
    if refused:
        raise ElizaCloudError(f"upload refused: {refused[0]}")
    passages = _tool(ctx, "query_knowledge", {"query": QUESTION, "limit": 1})["result"]["passages"]
    if not passages:
        raise ElizaCloudError("the query found nothing in the uploaded document")
    best = best_sentence(passages[0]["content"], QUESTION)
    answer = ctx.out_dir / "knowledge-answer.txt"
    answer.write_text(f"Q: {QUESTION}\nA (from the best fragment): {best}\n", encoding="utf-8")
    return StepOutcome(f"{QUESTION!r} -> {best!r}", [notes, answer])


def best_sentence(fragment: str, question: str) -> str:
    """The sentence of a fragment sharing the most words with the question."""
    words = {word.strip("?.,").lower() for word in question.split()}
    sentences = [" ".join(s.split()) for s in fragment.replace("\n\n", ". ").split(". ")]
    return max(sentences, key=lambda s: len(words & {w.strip(".,").lower() for w in s.split()}))


def discover_agents(ctx: DemoContext) -> StepOutcome:
    """Publish the demo's agents (emulator only), then the `discover_agents` tool."""
    if ctx.emulated:
        for name, bio in DEMO_AGENTS:
            ctx.agent_ids[name] = ctx.cloud.agents.create(name, bio=bio).id
    agents = _tool(ctx, "discover_agents", {"types": ["agent"], "limit": 10})["result"]["agents"]
    if not ctx.emulated:
        ctx.agent_ids.update({agent["name"]: agent["id"] for agent in agents[:2]})
    names = ", ".join(agent["name"] for agent in agents) or "none"
    return StepOutcome(f"{len(agents)} agent(s): {names}")


def delegate_to_cloud(ctx: DemoContext) -> StepOutcome:
    """Ask a cloud agent for something over A2A (`/api/a2a`, skill `chat_with_agent`)."""
    if not ctx.agent_ids:
        raise StepSkipped("no agent was discovered to delegate to")
    name, agent_id = next(iter(ctx.agent_ids.items()))
    with _cloud_a2a(ctx) as client:
        answer = reply_text(client.chat_with_agent(agent_id, DELEGATED_TASK))
    path = ctx.out_dir / "delegated.txt"
    path.write_text(f"To {name}: {DELEGATED_TASK}\n{name}: {answer}\n", encoding="utf-8")
    return StepOutcome(f"{name}: {answer[:80]}", [path])


def local_librarian(out_dir: Path, calls: list[str]) -> Any:
    """A small LangChain runnable that answers from this machine: the files the demo saved."""
    from langchain_core.runnables import RunnableLambda

    def answer(question: str) -> str:
        calls.append(question)
        files = sorted(path.name for path in out_dir.iterdir() if path.is_file())
        return f"I am running on your machine. The demo saved: {', '.join(files)}."

    return RunnableLambda(answer, name="local_librarian")


def delegate_back(ctx: DemoContext) -> StepOutcome:
    """A cloud agent delegates to a local LangChain agent served over A2A."""
    if not ctx.emulated:
        raise StepSkipped("the cloud cannot reach an agent on localhost (runs on the emulator)")
    from a2a import AgentCard, AgentSkill
    from a2a.langchain import serve_runnable
    from a2a.stores import InMemoryTaskStore

    calls: list[str] = []
    card = AgentCard(
        name=LOCAL_AGENT_NAME,
        description="Answers questions about the files on this machine.",
        skills=[AgentSkill(id="files", name="files", description="Lists the demo's files.")],
    )
    # No auth: it listens on loopback only, and the emulator's forwarder sends no credentials.
    app = serve_runnable(local_librarian(ctx.out_dir, calls), card, store=InMemoryTaskStore())
    with serve_in_thread(app) as url:
        agent = ctx.cloud.agents.create(LOCAL_AGENT_NAME, bio=card.description, a2a_endpoint=url)
        with _cloud_a2a(ctx) as client:
            answer = reply_text(client.chat_with_agent(agent.id, DELEGATED_BACK))
    if not calls:
        raise ElizaCloudError("the cloud answered without calling the local agent")
    path = ctx.out_dir / "delegated-back.txt"
    path.write_text(f"Cloud -> local agent: {DELEGATED_BACK}\n{answer}\n", encoding="utf-8")
    return StepOutcome(f"local agent answered via the cloud: {answer[:60]}…", [path])


@dataclass
class StepRecord:
    """How a step went: `ok`, `skipped` or `failed`, what it said, took and spent."""

    title: str
    status: str
    summary: str
    seconds: float
    spent_usd: float | None
    files: list[Path]


def _balance(ctx: DemoContext) -> float | None:
    try:
        return ctx.cloud.credits.balance(fresh=True).balance
    except ElizaCloudError:
        return None


def run_step(ctx: DemoContext, step: Step) -> StepRecord:
    """Run one step; its failure is recorded (one line), never raised."""
    before, started = _balance(ctx), time.monotonic()
    try:
        outcome = step.run(ctx)
        status = "ok"
    except StepSkipped as exc:
        outcome, status = StepOutcome(str(exc)), "skipped"
    except Exception as exc:  # the story goes on; the summary shows what broke
        outcome, status = StepOutcome(" ".join(str(exc).split()) or type(exc).__name__), "failed"
    seconds = time.monotonic() - started
    after = _balance(ctx)
    spent = round(before - after, 4) if before is not None and after is not None else None
    return StepRecord(step.title, status, outcome.summary, seconds, spent, outcome.files)


STORY: tuple[Step, ...] = (
    Step("Check credits", check_credits),
    Step("Generate an image", generate_image),
    Step("Speak a sentence", speak),
    Step("Upload a document and query it", knowledge),
    Step("Discover agents", discover_agents),
    Step("Delegate a task to a cloud agent", delegate_to_cloud),
    Step("A cloud agent delegates back to a local LangChain agent", delegate_back),
)


@contextmanager
def open_context(
    out_dir: Path,
    *,
    cloud: bool = False,
    api_key: str | None = None,
    base_url: str | None = None,
) -> Iterator[DemoContext]:
    """The client the story runs on: an embedded emulator, or the real service with `cloud`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        if cloud:
            client = stack.enter_context(ElizaCloud(api_key, base_url))
        else:
            from eliza_tools.emulator import run_emulator

            handle = stack.enter_context(run_emulator(balance=25.0, speedup=10.0))
            client = stack.enter_context(ElizaCloud(handle.api_key, handle.base_url))
        yield DemoContext(
            cloud=client,
            api_key=client.settings.api_key.get(),
            base_url=client.base_url,
            out_dir=out_dir.resolve(),
            emulated=not cloud,
        )


__all__ = [
    "STORY",
    "DemoContext",
    "Step",
    "StepOutcome",
    "StepRecord",
    "StepSkipped",
    "open_context",
    "run_step",
    "save_image",
]
