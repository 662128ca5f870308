"""Serve the TCK scenario agent on loopback for the A2A TCK.

    .venv/bin/python -m tests.tck.serve [--port 9999] [--store memory|PATH]

Then, from the TCK's own folder and virtualenv (see docs/conformance.md):

    ./run_tck.py --sut-host http://127.0.0.1:9999 --transport jsonrpc --level must
"""

from __future__ import annotations

import argparse

import uvicorn

from a2a.server import create_app
from a2a.stores import InMemoryTaskStore
from a2a.stores.base import TaskStore
from tests.tck.scenario_agent import tck_agent, tck_card


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=9999)
    parser.add_argument("--store", default="memory", help="'memory' or a SQLite file path")
    args = parser.parse_args()
    store: TaskStore | str = InMemoryTaskStore() if args.store == "memory" else args.store
    # The TCK's push webhook receiver listens on loopback, and this machine may have no DNS
    # for the example.com URLs it registers: allow private push targets (test-only server).
    app = create_app(tck_agent, tck_card(), store=store, allow_private_push=True)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
