"""`eliza-tools demo`: the whole story, with visible progress and a summary table.

With no key and no network it runs on an embedded emulator; `--cloud` runs the
same story against the real service with your key (it costs a few cents).
"""

from __future__ import annotations

import argparse
import json
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from eliza_tools.cli._common import add_json_option, console, emit, print_table

_MARK = {"ok": "[green]✓[/green]", "skipped": "[yellow]-[/yellow]", "failed": "[red]✗[/red]"}


class DemoFailedError(RuntimeError):
    """At least one step of the demo failed."""


def register(subparsers: Any) -> None:
    """Add `demo`."""
    parser = subparsers.add_parser(
        "demo",
        help="walk through everything (offline on an emulator, or --cloud)",
        description="Check credits, generate an image, speak, upload and query a document, "
        "discover agents, delegate to a cloud agent and have a cloud agent delegate back to a "
        "local LangChain agent over A2A. Files go to --output-dir.",
    )
    parser.add_argument("--cloud", action="store_true", help="use the real service (needs a key)")
    parser.add_argument("--api-key", help="API key for --cloud (default: env / config file)")
    parser.add_argument("--base-url", help="API base URL for --cloud")
    parser.add_argument(
        "-o", "--output-dir", default="eliza-demo", help="where files go (default ./eliza-demo)"
    )
    add_json_option(parser, help_text="print the summary as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run every step; exit 1 if any failed."""
    from eliza_tools.demo import STORY, StepRecord, open_context, run_step

    out_dir = Path(args.output_dir)
    started = time.monotonic()
    records: list[StepRecord] = []
    where = "elizaOS Cloud" if args.cloud else "an embedded emulator (no key, no network)"
    with ExitStack() as stack:
        with console.status(f"Starting {where}…"):
            ctx = stack.enter_context(
                open_context(
                    out_dir, cloud=args.cloud, api_key=args.api_key, base_url=args.base_url
                )
            )
        console.print(f"eliza-tools demo on {where}: {ctx.base_url}", highlight=False)
        for number, step in enumerate(STORY, 1):
            with console.status(f"[{number}/{len(STORY)}] {step.title}…"):
                record = run_step(ctx, step)
            records.append(record)
            console.print(
                f"{_MARK[record.status]} [{number}/{len(STORY)}] {step.title}: {record.summary}",
                highlight=False,
            )
    total = time.monotonic() - started
    summary = _summary(records, out_dir, total)
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    if args.json:
        emit(args, summary)
    else:
        _print_summary(records, out_dir, total)
    failed = [record.title for record in records if record.status == "failed"]
    if failed:
        raise DemoFailedError(f"{len(failed)} step(s) failed: {', '.join(failed)}")
    return 0


def _summary(records: list[Any], out_dir: Path, total: float) -> dict[str, Any]:
    return {
        "output_dir": str(out_dir.resolve()),
        "seconds": round(total, 2),
        "spent_usd": round(sum(r.spent_usd or 0.0 for r in records), 4),
        "steps": [
            {
                "title": r.title,
                "status": r.status,
                "summary": r.summary,
                "seconds": round(r.seconds, 3),
                "spent_usd": r.spent_usd,
                "files": [str(path) for path in r.files],
            }
            for r in records
        ],
    }


def _print_summary(records: list[Any], out_dir: Path, total: float) -> None:
    rows = [
        (
            _MARK[r.status],
            r.title,
            f"{r.seconds:.2f} s",
            "" if r.spent_usd is None else f"${r.spent_usd:.4f}",
            ", ".join(path.name for path in r.files),
        )
        for r in records
    ]
    print_table("Summary", ("", "step", "time", "spent", "files"), rows)
    spent = sum(r.spent_usd or 0.0 for r in records)
    console.print(
        f"{total:.1f} s, ${spent:.4f} spent. Files are in {out_dir.resolve()}/", highlight=False
    )
