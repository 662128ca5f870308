"""JSON-RPC envelopes and error mapping per version."""

from __future__ import annotations

import pytest

from a2a.jsonrpc import (
    ERROR_INFO_TYPE,
    A2AError,
    AgentBannedError,
    InsufficientCreditsError,
    InvalidParamsError,
    InvalidRequestError,
    InvalidTaskStateError,
    JSONRPCParseError,
    TaskNotCancelableError,
    TaskNotFoundError,
    VersionNotSupportedError,
    error_from_payload,
    error_object,
    parse_request,
)


def test_parse_request_ok() -> None:
    req = parse_request(b'{"jsonrpc":"2.0","id":7,"method":"GetTask","params":{"id":"t"}}')
    assert (req.id, req.method, req.params) == (7, "GetTask", {"id": "t"})


@pytest.mark.parametrize(
    ("body", "error", "request_id"),
    [
        (b"{not json", JSONRPCParseError, None),
        (b"[1,2]", InvalidRequestError, None),
        (b'{"jsonrpc":"1.0","id":3,"method":"x"}', InvalidRequestError, 3),
        (b'{"jsonrpc":"2.0","id":3}', InvalidRequestError, 3),
        (b'{"jsonrpc":"2.0","id":{"a":1},"method":"x"}', InvalidRequestError, None),
        (b'{"jsonrpc":"2.0","id":"q","method":"x","params":[1]}', InvalidParamsError, "q"),
        (b"\xff\xfe", JSONRPCParseError, None),
    ],
)
def test_parse_request_errors(body: bytes, error: type[A2AError], request_id: object) -> None:
    with pytest.raises(error) as info:
        parse_request(body)
    assert info.value.request_id == request_id


def test_v1_errors_carry_error_info() -> None:
    body = error_object(TaskNotFoundError(), with_error_info=True)
    assert body["code"] == -32001
    assert body["data"] == [
        {
            "@type": ERROR_INFO_TYPE,
            "reason": "TASK_NOT_FOUND",
            "domain": "a2a-protocol.org",
            "metadata": {},
        }
    ]
    assert "data" not in error_object(TaskNotFoundError(), with_error_info=False)


@pytest.mark.parametrize(
    ("code", "version", "expected"),
    [
        (-32001, "1.0", TaskNotFoundError),
        (-32002, "0.3", TaskNotCancelableError),
        (-32009, "1.0", VersionNotSupportedError),
        (-32009, "0.1", InvalidTaskStateError),
        (-32011, "elizacloud", InsufficientCreditsError),
        (-32013, "elizacloud", AgentBannedError),
    ],
)
def test_error_codes_map_by_version(code: int, version: str, expected: type[A2AError]) -> None:
    exc = error_from_payload({"code": code, "message": "m", "data": [{"x": 1}]}, version)
    assert type(exc) is expected
    assert exc.message == "m" and exc.data == [{"x": 1}]


def test_unknown_code_keeps_code() -> None:
    exc = error_from_payload({"code": -32099, "message": "odd"}, "1.0")
    assert type(exc) is A2AError and exc.code == -32099
    assert error_from_payload("garbage").code == -32603
