"""Unit tests of the emulator's building blocks (no sockets)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from starlette.requests import Request

from eliza_tools import pricing
from eliza_tools.emulator import auth, ledger, media
from eliza_tools.emulator.a2a_forward import ForwardError, reply_text
from eliza_tools.emulator.faults import Fault, Faults
from eliza_tools.emulator.ratelimit import RateLimiter
from eliza_tools.emulator.routes.voice import audio_kind
from eliza_tools.emulator.store import Store


def _request(path: str, headers: dict[str, str], method: str = "GET") -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request(
        {"type": "http", "method": method, "path": path, "headers": raw, "query_string": b""}
    )


@pytest.mark.parametrize("persistent", [False, True])
def test_store_transactions_roll_back(tmp_path: Path, persistent: bool) -> None:
    store = Store(tmp_path / "s.sqlite3" if persistent else None)
    store.put("k", "a", {"v": 1})
    if persistent:
        with pytest.raises(RuntimeError), store.transaction():
            store.put("k", "a", {"v": 2})
            store.put("k", "b", {"v": 3})
            raise RuntimeError("boom")
        assert store.get("k", "a") == {"v": 1} and store.get("k", "b") is None
    copy = store.get("k", "a")
    assert copy is not None
    copy["v"] = 99  # callers get copies
    assert store.get("k", "a") == {"v": 1}
    store.put_file("images/x.png", "image/png", b"\x89PNG")
    assert store.get_file("images/x.png") == ("image/png", b"\x89PNG")
    store.close()
    if persistent:
        reopened = Store(tmp_path / "s.sqlite3")
        assert reopened.list("k") == [{"v": 1}]
        assert reopened.get_file("images/x.png") == ("image/png", b"\x89PNG")


def test_ledger_refuses_overdraft_and_journals() -> None:
    store = Store()
    account = auth.create_account(store, 1.0)
    assert ledger.charge(store, account["id"], 0.4, "a")
    assert not ledger.charge(store, account["id"], 0.7, "b")
    assert ledger.balance(store, account["id"]) == 0.6
    assert [t["amount"] for t in ledger.transactions(store, account["id"])] == [-0.4]


def test_keys_are_real_format_and_hashed() -> None:
    store = Store()
    account = auth.create_account(store, 1.0)
    key = auth.issue_key(store, account["id"])
    assert auth.KEY_PATTERN.match(key)
    assert store.get("api_keys", key) is None and store.get("api_keys", auth.hash_key(key))
    assert auth.account_for_key(store, key) == store.get("accounts", account["id"])
    assert auth.account_for_key(store, "eliza_short") is None


@pytest.mark.parametrize(
    ("path", "headers", "code"),
    [
        (
            "/api/v1/credits/balance",
            {"Authorization": "Bearer jwt.like.token"},
            "authentication_required",
        ),
        ("/api/v1/credits/balance", {}, "authentication_required"),
        ("/api/v1/credits/balance", {"Authorization": "Bearer eliza_x"}, None),
        ("/api/v1/credits/balance", {"X-API-Key": "anything"}, None),
        ("/api/v1/generate-image", {"Authorization": "Bearer jwt"}, None),
        ("/api/v1/api-keys", {"X-API-Key": "eliza_x"}, "session_auth_required"),
        (
            "/api/auth/cli-session/abc/complete",
            {"Authorization": "Bearer eliza_x"},
            "session_auth_required",
        ),
        ("/api/auth/cli-session/abc", {}, None),
    ],
)
def test_edge_rule(path: str, headers: dict[str, str], code: str | None) -> None:
    response = auth.edge_check(_request(path, headers))
    if code is None:
        assert response is None
    else:
        assert response is not None and response.status_code == 401
        assert code.encode() in bytes(response.body)


def test_rate_limiter_windows_scale_with_speedup() -> None:
    limiter = RateLimiter(speedup=60)  # STRICT: 10 per second
    decisions = [limiter.hit("STRICT", "/x", "k") for _ in range(11)]
    assert [d.allowed for d in decisions] == [True] * 10 + [False]
    headers = decisions[0].headers()
    assert headers["X-RateLimit-Remaining"] == "9"
    reset = datetime.fromisoformat(headers["X-RateLimit-Reset"].replace("Z", "+00:00"))
    assert reset.tzinfo is not None
    assert decisions[-1].retry_after == 1
    assert limiter.hit("STRICT", "/x", "other").allowed  # per identity


def test_faults_count_down_and_match_globs() -> None:
    faults = Faults()
    faults.add(Fault(path="/api/v1/voice/*", method="POST", status=500, times=2))
    assert faults.take("GET", "/api/v1/voice/tts") is None
    assert faults.take("POST", "/api/v1/voice/tts") is not None
    assert faults.take("POST", "/api/v1/voice/stt") is not None
    assert faults.take("POST", "/api/v1/voice/tts") is None
    with pytest.raises(ValueError, match="times"):
        faults.add(Fault(path="/x", times=0))


def test_reply_text_reads_every_result_shape() -> None:
    assert reply_text({"message": {"parts": [{"text": "a"}]}}) == "a"
    assert reply_text({"task": {"status": {"message": {"parts": [{"text": "b"}]}}}}) == "b"
    assert (
        reply_text({"kind": "task", "artifacts": [{"parts": [{"kind": "text", "text": "c"}]}]})
        == "c"
    )
    with pytest.raises(ForwardError):
        reply_text({"message": {"parts": [{"data": {}}]}})


def test_audio_magic_bytes_and_id3_round_trip() -> None:
    assert audio_kind(b"RIFF1234WAVEfmt ") == "wav"
    assert audio_kind(b"\x00\x00\x00\x18ftypM4A ") == "mp4"
    assert audio_kind(b"OggS\x00") == "ogg"
    assert audio_kind(b"\x1a\x45\xdf\xa3") == "webm"
    assert audio_kind(b"\xff\xfb\x90") == "mp3"
    assert audio_kind(b"hello") is None
    tagged = media._id3_tag("héllo wörld") + b"\xff\xfb"
    assert media.read_id3_text(tagged) == "héllo wörld"


def test_pricing_table() -> None:
    assert (
        pricing.image_cost("unknown-model", 2)
        == 2 * pricing.IMAGE_PRICES[pricing.DEFAULT_IMAGE_MODEL]
    )
    assert pricing.voice_clone_cost("professional") == 1.67
    assert pricing.embedding_cost(1) == pricing.MINIMUM_CHARGE
    assert pricing.chat_cost("gpt-4o", 1000, 1000) == 0.0125
    assert pricing.tts_cost(1000) == 0.1


def test_pricing_imports_without_the_server_extra() -> None:
    import subprocess
    import sys

    code = "import sys, eliza_tools.pricing; sys.exit('starlette' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
