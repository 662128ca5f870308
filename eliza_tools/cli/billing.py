"""`eliza-tools billing …`: balance, transactions, auto top-up settings and buying credits.

Amounts are USD. `billing checkout` prints the Stripe page to open; the credits
arrive when the payment completes (`billing verify SESSION_ID` says whether it did).
"""

from __future__ import annotations

import argparse
from typing import Any

from eliza_tools.cli._common import add_connection_options, emit, make_client


def register(subparsers: Any) -> None:
    """Add the `billing` group."""
    billing = subparsers.add_parser("billing", help="credits and billing", description=__doc__)
    sub = billing.add_subparsers(dest="billing_command", metavar="ACTION", required=True)

    def command(name: str, help_text: str, handler: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
        add_connection_options(parser)
        parser.set_defaults(handler=handler)
        return parser

    command("balance", "the balance, with the low (< $2) and critical (< $0.50) flags", run_balance)
    history = command("transactions", "ledger entries, newest first", run_transactions)
    history.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    history.add_argument("--hours", type=float, help="only the last HOURS")
    settings = command("settings", "show or change auto top-up", run_settings)
    settings.add_argument("--auto-top-up", choices=("on", "off"))
    settings.add_argument("--amount", type=float, help="top-up amount, USD (1..1000)")
    settings.add_argument("--threshold", type=float, help="top up below this, USD (0..1000)")
    settings.add_argument("--pay-from-earnings", choices=("on", "off"))
    checkout = command("checkout", "start buying credits (prints the page to pay on)", run_checkout)
    checkout.add_argument("credits", type=float, help="USD, 1..1000")
    checkout.add_argument("--success-url", required=True, help="where Stripe returns after paying")
    checkout.add_argument("--cancel-url", required=True, help="where Stripe returns on cancel")
    verify = command("verify", "whether a checkout was paid", run_verify)
    verify.add_argument("session_id", help="the checkout's session id")


def run_balance(args: argparse.Namespace) -> int:
    """The balance and its flags."""
    with make_client(args) as cloud:
        balance = cloud.credits.balance(fresh=True)
    row = (f"${balance.balance:.2f}", balance.low, balance.critical, balance.top_up_url)
    columns = ("balance", "low", "critical", "top up")
    emit(args, balance, title="Credits", columns=columns, rows=[row])
    return 0


def run_transactions(args: argparse.Namespace) -> int:
    """Ledger entries."""
    with make_client(args) as cloud:
        page = cloud.credits.transactions(limit=args.limit, hours=args.hours)
    rows = [(t.created_at, t.type, f"{t.amount:+.4f}", t.description) for t in page.transactions]
    columns = ("at", "type", "USD", "description")
    emit(args, page, title=f"Transactions ({page.total})", columns=columns, rows=rows)
    return 0


def _switch(value: str | None) -> bool | None:
    return None if value is None else value == "on"


def run_settings(args: argparse.Namespace) -> int:
    """Show the settings, or change those given."""
    changes = {
        "auto_top_up_enabled": _switch(args.auto_top_up),
        "auto_top_up_amount": args.amount,
        "auto_top_up_threshold": args.threshold,
        "pay_as_you_go_from_earnings": _switch(args.pay_from_earnings),
    }
    with make_client(args) as cloud:
        if all(value is None for value in changes.values()):
            settings = cloud.billing.settings()
        else:
            settings = cloud.billing.update_settings(**changes)
    top_up = settings.auto_top_up
    row = (
        top_up.enabled,
        top_up.amount,
        top_up.threshold,
        top_up.has_payment_method,
        settings.pay_as_you_go_from_earnings,
    )
    columns = ("auto top-up", "amount", "threshold", "payment method", "pay from earnings")
    emit(args, settings, title="Billing settings", columns=columns, rows=[row])
    return 0


def run_checkout(args: argparse.Namespace) -> int:
    """Start a checkout and print the page to pay on."""
    with make_client(args) as cloud:
        session = cloud.credits.checkout(args.credits, args.success_url, args.cancel_url)
    rows = [(session.session_id, session.url)]
    emit(args, session, title="Open this page to pay", columns=("session", "url"), rows=rows)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    """Whether the checkout was paid; exit 1 while it is not."""
    with make_client(args) as cloud:
        result = cloud.credits.verify(args.session_id)
    row = (result.success, result.amount, result.message or result.error)
    emit(args, result, title="Checkout", columns=("paid", "USD", "message"), rows=[row])
    if not result.success:
        raise RuntimeError(f"checkout {args.session_id} not paid: {result.error or 'pending'}")
    return 0
