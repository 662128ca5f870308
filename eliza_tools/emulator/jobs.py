"""Timed background jobs: records whose status follows the clock, not a worker.

A job stores when it started and how many emulated seconds it takes; its status
(`pending` → `in_progress` → `completed`) and progress are computed when read,
so jobs survive restarts and need no threads. Route modules create jobs with
`create_job` (voice clones, containers; later Milady provisioning) and read them
with `public_view`, the shape of `GET /api/v1/jobs/{id}`.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from eliza_tools.emulator.auth import now_iso
from eliza_tools.emulator.core import Emulator
from eliza_tools.emulator.store import Record


def create_job(
    emu: Emulator, account_id: str, job_type: str, seconds: float, result: Any = None
) -> Record:
    """Start a job that completes after `seconds` emulated seconds with `result`."""
    job_id = str(uuid.uuid4())
    started = time.time()
    return emu.store.put(
        "jobs",
        job_id,
        {
            "id": job_id,
            "accountId": account_id,
            "type": job_type,
            "startedTs": started,
            "seconds": seconds,
            "result": result,
            "createdAt": now_iso(started),
        },
    )


def progress(emu: Emulator, job: Record) -> int:
    """Percent done, 0..100."""
    if job.get("canceled"):
        return 0
    if job["seconds"] <= 0:
        return 100
    return min(100, int(100 * emu.elapsed(job["startedTs"]) / job["seconds"]))


def status(emu: Emulator, job: Record) -> str:
    """`pending`, `in_progress`, `completed` or `failed` (canceled jobs fail)."""
    if job.get("canceled"):
        return "failed"
    done = progress(emu, job)
    if done >= 100:
        return "completed"
    return "in_progress" if done > 0 else "pending"


def public_view(emu: Emulator, job: Record) -> dict[str, Any]:
    """The `data` object of `GET /api/v1/jobs/{id}`."""
    state = status(emu, job)
    finish_ts = job["startedTs"] + job["seconds"] / emu.config.speedup
    return {
        "id": job["id"],
        "type": job["type"],
        "status": state,
        "result": job["result"] if state == "completed" else None,
        "error": "Canceled" if state == "failed" else None,
        "attempts": 1 if state != "pending" else 0,
        "maxAttempts": 3,
        "estimatedCompletionAt": now_iso(finish_ts),
        "scheduledFor": job["createdAt"],
        "startedAt": job["createdAt"] if state != "pending" else None,
        "completedAt": now_iso(finish_ts) if state == "completed" else None,
        "createdAt": job["createdAt"],
        "updatedAt": now_iso(min(time.time(), finish_ts)),
    }
