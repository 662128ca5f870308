"""`eliza-tools apps …`: your apps, their keys, analytics, users, monetization and domains.

An app's API key is shown once, by `apps create` and `apps regenerate-key`: it is
printed (stdout, and in `--json`) so it can be stored; nothing else shows it.
"""

from __future__ import annotations

import argparse
from typing import Any

from pydantic import SecretStr

from eliza_tools.cli._common import add_connection_options, emit, make_client, print_json

_APP_COLUMNS = ("id", "name", "slug", "url", "active", "monetized", "created")


def register(subparsers: Any) -> None:
    """Add the `apps` group."""
    apps = subparsers.add_parser("apps", help="your apps on elizaOS Cloud", description=__doc__)
    sub = apps.add_subparsers(dest="apps_command", metavar="ACTION", required=True)

    def command(name: str, help_text: str, handler: Any, *args: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
        for arg in args:
            parser.add_argument(arg, help="app id" if arg == "id" else arg)
        add_connection_options(parser)
        parser.set_defaults(handler=handler)
        return parser

    command("list", "your apps", run_list)
    command("get", "one app", run_get, "id")
    create = command("create", "create an app (prints its API key once)", run_create, "name")
    create.add_argument("--url", required=True, dest="app_url", help="the app's URL")
    create.add_argument("--description")
    create.add_argument("--website-url")
    create.add_argument("--contact-email")
    create.add_argument("--origin", action="append", dest="origins", help="allowed origin")
    command("check-name", "whether a name is free", run_check_name, "name")
    update = command("update", "change some fields", run_update, "id")
    update.add_argument("--name")
    update.add_argument("--description")
    update.add_argument("--url", dest="app_url")
    update.add_argument("--website-url", help="'' clears it")
    update.add_argument("--active", choices=("yes", "no"))
    delete = command("delete", "delete an app", run_delete, "id")
    delete.add_argument("--yes", action="store_true", help="confirm the deletion")
    command("regenerate-key", "a new API key (the old one stops at once)", run_regenerate, "id")
    analytics = command("analytics", "requests, users and cost per period", run_analytics, "id")
    analytics.add_argument("--period", choices=("hourly", "daily", "monthly"), default="daily")
    users = command("users", "the app's users", run_users, "id")
    users.add_argument("--limit", type=int)
    money = command("monetization", "show or change the markups", run_monetization, "id")
    money.add_argument("--enable", action="store_true", help="turn monetization on")
    money.add_argument("--disable", action="store_true", help="turn monetization off")
    money.add_argument("--markup", type=float, help="inference markup, percent (0..1000)")
    money.add_argument("--share", type=float, help="purchase share, percent (0..100)")
    earnings = command("earnings", "what the app earned", run_earnings, "id")
    earnings.add_argument("--days", type=int, help="1..90")
    command("domains", "the app's domains", run_domains, "id")
    command("add-domain", "attach a custom domain", run_add_domain, "id", "domain")
    command("remove-domain", "detach a custom domain", run_remove_domain, "id", "domain")


def _row(app: Any) -> tuple[Any, ...]:
    return (
        app.id,
        app.name,
        app.slug,
        app.app_url,
        app.is_active,
        app.monetization_enabled,
        app.created_at,
    )


def _show_key(args: argparse.Namespace, value: Any, key: SecretStr, what: str) -> None:
    """Print a one-time key: the caller asked for it and will not see it again."""
    if args.json:
        print_json(
            {**value.model_dump(mode="json", by_alias=True), "apiKey": key.get_secret_value()}
        )
        return
    print(f"{what}. API key (shown once, store it now): {key.get_secret_value()}")


def run_list(args: argparse.Namespace) -> int:
    """A table of apps."""
    with make_client(args) as cloud:
        apps = cloud.apps.list()
    emit(args, apps, title="Apps", columns=_APP_COLUMNS, rows=[_row(a) for a in apps])
    return 0


def run_get(args: argparse.Namespace) -> int:
    """One app."""
    with make_client(args) as cloud:
        app = cloud.apps.get(args.id)
    emit(args, app, title="App", columns=_APP_COLUMNS, rows=[_row(app)])
    return 0


def run_create(args: argparse.Namespace) -> int:
    """Create an app and print its key once."""
    with make_client(args) as cloud:
        created = cloud.apps.create(
            args.name,
            args.app_url,
            description=args.description,
            website_url=args.website_url,
            contact_email=args.contact_email,
            allowed_origins=args.origins,
        )
    _show_key(args, created, created.api_key, f"Created app {created.app.name} ({created.app.id})")
    return 0


def run_check_name(args: argparse.Namespace) -> int:
    """Whether a name is free."""
    with make_client(args) as cloud:
        check = cloud.apps.check_name(args.name)
    row = (args.name, check.available, check.slug, check.suggested_name)
    columns = ("name", "available", "slug", "suggestion")
    emit(args, check, title="Name check", columns=columns, rows=[row])
    return 0


def run_update(args: argparse.Namespace) -> int:
    """Change the fields given."""
    active = None if args.active is None else args.active == "yes"
    with make_client(args) as cloud:
        app = cloud.apps.update(
            args.id,
            name=args.name,
            description=args.description,
            app_url=args.app_url,
            website_url=args.website_url,
            is_active=active,
        )
    emit(args, app, title="Updated", columns=_APP_COLUMNS, rows=[_row(app)])
    return 0


def run_delete(args: argparse.Namespace) -> int:
    """Delete an app (needs `--yes`); exit 1 when the server reports a partial cleanup."""
    if not args.yes:
        raise ValueError(f"deleting app {args.id} cannot be undone: add --yes to confirm")
    with make_client(args) as cloud:
        result = cloud.apps.delete(args.id)
    emit(
        args,
        result,
        title="Deleted",
        columns=("success", "message"),
        rows=[(result.success, result.message)],
    )
    if not result.success:  # the server may say so with HTTP 200
        raise RuntimeError(f"app {args.id} not fully deleted: {result.message or result.errors}")
    return 0


def run_regenerate(args: argparse.Namespace) -> int:
    """A new key, printed once."""
    with make_client(args) as cloud:
        result = cloud.apps.regenerate_api_key(args.id)
    _show_key(args, result, result.api_key, f"New key for app {args.id}")
    return 0


def run_analytics(args: argparse.Namespace) -> int:
    """Per-period requests, users and cost."""
    with make_client(args) as cloud:
        result = cloud.apps.analytics(args.id, period=args.period)
    rows = [
        (p.period_start, p.total_requests, p.unique_users, p.total_cost) for p in result.analytics
    ]
    columns = ("period", "requests", "users (IPs)", "cost USD")
    totals = result.total_stats
    title = f"{totals.total_requests} requests, {totals.total_users} users"
    emit(args, result, title=title, columns=columns, rows=rows)
    return 0


def run_users(args: argparse.Namespace) -> int:
    """The app's users."""
    with make_client(args) as cloud:
        page = cloud.apps.users(args.id, limit=args.limit)
    rows = [(u.id, u.user_id, u.total_requests, u.last_seen_at) for u in page.users]
    emit(args, page, title="Users", columns=("id", "user", "requests", "last seen"), rows=rows)
    return 0


def run_monetization(args: argparse.Namespace) -> int:
    """Show the markups, or change them when an option is given."""
    if args.enable and args.disable:
        raise ValueError("--enable and --disable: pick one")
    enabled = True if args.enable else False if args.disable else None
    with make_client(args) as cloud:
        if enabled is None and args.markup is None and args.share is None:
            result = cloud.apps.monetization(args.id)
        else:
            result = cloud.apps.update_monetization(
                args.id,
                monetization_enabled=enabled,
                inference_markup_percentage=args.markup,
                purchase_share_percentage=args.share,
            )
    row = (
        result.monetization_enabled,
        result.inference_markup_percentage,
        result.purchase_share_percentage,
        result.total_creator_earnings,
    )
    columns = ("enabled", "markup %", "share %", "earned USD")
    emit(args, result, title="Monetization", columns=columns, rows=[row])
    return 0


def run_earnings(args: argparse.Namespace) -> int:
    """Lifetime, pending and withdrawable earnings."""
    with make_client(args) as cloud:
        result = cloud.apps.earnings(args.id, days=args.days)
    summary = result.earnings.summary
    rows = (
        [
            (
                summary.total_lifetime_earnings,
                summary.pending_balance,
                summary.withdrawable_balance,
                summary.total_withdrawn,
            )
        ]
        if summary is not None
        else []
    )
    columns = ("lifetime USD", "pending", "withdrawable", "withdrawn")
    emit(args, result, title="Earnings", columns=columns, rows=rows)
    return 0


def run_domains(args: argparse.Namespace) -> int:
    """The app's domains."""
    with make_client(args) as cloud:
        result = cloud.apps.domains(args.id)
    rows = [
        (d.subdomain_url, d.custom_domain, d.custom_domain_verified, d.ssl_status)
        for d in result.domains
    ]
    columns = ("subdomain", "custom domain", "verified", "ssl")
    emit(args, result, title="Domains", columns=columns, rows=rows)
    return 0


def run_add_domain(args: argparse.Namespace) -> int:
    """Attach a domain; prints the DNS records to set."""
    with make_client(args) as cloud:
        result = cloud.apps.add_domain(args.id, args.domain)
    emit(args, result)
    return 0


def run_remove_domain(args: argparse.Namespace) -> int:
    """Detach a domain."""
    with make_client(args) as cloud:
        cloud.apps.remove_domain(args.id, args.domain)
    if args.json:
        print_json({"removed": args.domain})
    else:
        print(f"removed {args.domain}")
    return 0
