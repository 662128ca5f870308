"""Wire dialects of A2A JSON-RPC and how to tell them apart.

- `V1_0`: 1.0 (PascalCase methods, `A2A-Version: 1.0`).
- `V0_3`: 0.2/0.3 (`message/send`, `kind`).
- `ELIZACLOUD`: the elizaOS Cloud `/api/a2a` variant (0.3 methods, `type` parts, no messageId).
- `V0_1`: the early `tasks/send` dialect.

A server tells them apart by method name (and, for PascalCase methods, the required
`A2A-Version` header); `message/send` whose message has no `messageId` or whose parts use
`type` is the cloud variant. A client picks one from the agent card.
"""

from __future__ import annotations

from typing import Any

from a2a.dialects.base import Dialect, Op, validate
from a2a.dialects.elizacloud import ElizaCloudDialect
from a2a.dialects.v0_1 import V01Dialect
from a2a.dialects.v0_3 import V03Dialect
from a2a.dialects.v1_0 import V1Dialect
from a2a.jsonrpc import MethodNotFoundError, VersionNotSupportedError
from a2a.types import AgentCapabilities, AgentCard, AgentInterface, AgentSkill

V1_0: Dialect = V1Dialect()
V0_3: Dialect = V03Dialect()
ELIZACLOUD: Dialect = ElizaCloudDialect()
V0_1: Dialect = V01Dialect()
DIALECTS: dict[str, Dialect] = {d.name: d for d in (V1_0, V0_3, ELIZACLOUD, V0_1)}

SUPPORTED_VERSIONS = frozenset({"0.1", "0.2", "0.3", "1.0"})

# method name -> (dialect, operation); 0.3 names shared with 0.1 resolve to 0.3 here and
# the server answers them in the dialect the task was created in.
_BY_METHOD: dict[str, tuple[Dialect, Op]] = {}
for _dialect in (V0_1, V0_3, V1_0):
    for _op, _name in _dialect.methods.items():
        _BY_METHOD[_name] = (_dialect, _op)


def get_dialect(name: str | Dialect) -> Dialect:
    """A dialect by name (`1.0`, `0.3`, `elizacloud`, `0.1`), or the dialect itself."""
    if isinstance(name, Dialect):
        return name
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(
            f"unknown A2A dialect {name!r}; expected one of {sorted(DIALECTS)}"
        ) from None


def normalize_version(header: str | None) -> str:
    """`Major.Minor` of an `A2A-Version` value; empty means 0.3 (spec §3.6)."""
    if not header or not header.strip():
        return "0.3"
    parts = header.strip().split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else f"{parts[0]}.0"


def resolve_method(method: str, version_header: str | None, params: Any) -> tuple[Dialect, Op]:
    """Which dialect and operation a request is (server side).

    PascalCase (1.0) methods need `A2A-Version: 1.x`: a missing header means 0.3 by spec, and
    0.3 has no such methods, so they get -32009 VersionNotSupported exactly as the official
    SDK answers (the message says which header to send). Slash methods are answered by name
    whatever the header says, unless the header names a version we do not speak (-32009).
    """
    version = normalize_version(version_header)
    if version not in SUPPORTED_VERSIONS:
        raise VersionNotSupportedError(f"A2A-Version {version_header!r} is not supported")
    found = _BY_METHOD.get(method)
    if found is None:
        raise MethodNotFoundError(f"Method not found: {method}")
    dialect, op = found
    if dialect is V1_0 and version != "1.0":
        raise VersionNotSupportedError(
            f"{method} is an A2A 1.0 method: send the header A2A-Version: 1.0 "
            f"(got {version_header or 'none, which means 0.3'})"
        )
    if dialect is V0_3 and op in (Op.SEND, Op.STREAM) and _is_cloud_message(params):
        return ELIZACLOUD, op
    return dialect, op


def _is_cloud_message(params: Any) -> bool:
    """A `message/send` in the cloud variant: parts tagged `type` (not `kind`), or, when the
    parts carry no tag, a message without `messageId`."""
    message = params.get("message") if isinstance(params, dict) else None
    if not isinstance(message, dict):
        return False
    parts = message.get("parts")
    tags = [p for p in parts if isinstance(p, dict)] if isinstance(parts, list) else []
    if any("kind" in p for p in tags):
        return False
    if any("type" in p for p in tags):
        return True
    return "messageId" not in message


# -- agent cards ---------------------------------------------------------------------------


def card_from_wire(data: dict[str, Any], url: str | None = None) -> AgentCard:
    """Read a card of any generation into the 1.0 model.

    A card without `supportedInterfaces` gets interfaces from its `url`,
    `preferredTransport` and `additionalInterfaces`, with `protocolVersion` 0.3 when it
    names 0.2/0.3 and 0.1 when it has none (the `agent.json` generation).
    """
    if data.get("supportedInterfaces"):
        return validate(AgentCard, data, "card")
    declared = str(data.get("protocolVersion") or "")
    version = "0.3" if declared.startswith(("0.2", "0.3")) else "0.1"
    if declared.startswith("1."):
        version = "1.0"
    endpoint = data.get("url") or url or ""
    interfaces = [
        AgentInterface(
            url=endpoint,
            protocol_binding=data.get("preferredTransport") or "JSONRPC",
            protocol_version=version,
        )
    ]
    for extra in data.get("additionalInterfaces") or []:
        if isinstance(extra, dict) and extra.get("url"):
            interfaces.append(
                AgentInterface(
                    url=extra["url"],
                    protocol_binding=extra.get("transport") or "JSONRPC",
                    protocol_version=version,
                )
            )
    skills = [
        AgentSkill.model_validate({"name": s.get("id", ""), "tags": [], **s})
        for s in data.get("skills") or []
        if isinstance(s, dict) and "id" in s
    ]
    capabilities = data.get("capabilities") if isinstance(data.get("capabilities"), dict) else {}
    return AgentCard(
        name=str(data.get("name") or "agent"),
        description=str(data.get("description") or ""),
        version=str(data.get("version") or "0.0.0"),
        supported_interfaces=interfaces,
        capabilities=AgentCapabilities.model_validate(capabilities),
        skills=skills,
        default_input_modes=data.get("defaultInputModes") or ["text"],
        default_output_modes=data.get("defaultOutputModes") or ["text"],
        security_schemes=data.get("securitySchemes"),
    )


def legacy_card(card: AgentCard) -> dict[str, Any]:
    """The card for `/.well-known/agent.json`: the 1.0 card plus the 0.3/0.1 fields."""
    out = card.to_wire()
    jsonrpc = [i for i in card.supported_interfaces if i.protocol_binding == "JSONRPC"]
    if jsonrpc:
        out["url"] = jsonrpc[0].url
    out["protocolVersion"] = "0.3.0"
    out["preferredTransport"] = "JSONRPC"
    return out


def pick_interface(card: AgentCard) -> tuple[Dialect, str]:
    """The best JSON-RPC interface of a card we can speak: highest version first."""
    best: tuple[int, Dialect, str] | None = None
    rank = {"1.0": (3, V1_0), "0.3": (2, V0_3), "0.2": (2, V0_3), "0.1": (1, V0_1)}
    for interface in card.supported_interfaces:
        if interface.protocol_binding.upper() != "JSONRPC":
            continue
        found = rank.get(normalize_version(interface.protocol_version))
        if found and (best is None or found[0] > best[0]):
            best = (found[0], found[1], interface.url)
    if best is None:
        raise ValueError(
            f"agent card {card.name!r} offers no JSON-RPC interface this client speaks"
        )
    return best[1], best[2]


__all__ = [
    "DIALECTS",
    "ELIZACLOUD",
    "V0_1",
    "V0_3",
    "V1_0",
    "Dialect",
    "Op",
    "card_from_wire",
    "get_dialect",
    "legacy_card",
    "normalize_version",
    "pick_interface",
    "resolve_method",
]
