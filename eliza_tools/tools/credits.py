"""`check_credits`: the organization's balance."""

from __future__ import annotations

from pydantic import Field

from eliza_tools.tools.base import (
    AnyCloud,
    CloudTool,
    Plan,
    ToolContext,
    ToolInput,
    ToolResult,
    step,
)


class CheckCreditsInput(ToolInput):
    """`check_credits` takes no arguments."""


class CheckCreditsResult(ToolResult):
    """The balance in USD with the low / critical flags."""

    balance_usd: float
    low: bool = Field(description="Below $2.00.")
    critical: bool = Field(description="Below $0.50.")

    def summary(self) -> str:
        """The balance, with a warning when it is low."""
        warning = " (critical: top up now)" if self.critical else " (low)" if self.low else ""
        return f"elizaOS Cloud balance: ${self.balance_usd:.2f}{warning}"


def _plan(cloud: AnyCloud, args: CheckCreditsInput, ctx: ToolContext) -> Plan[CheckCreditsResult]:
    balance = yield from step(cloud.credits.balance())
    return CheckCreditsResult(
        balance_usd=balance.balance, low=balance.low, critical=balance.critical
    )


CHECK_CREDITS = CloudTool(
    name="check_credits",
    description=(
        "Check the elizaOS Cloud credit balance (USD). Use before expensive work such as "
        "video generation, or when a call failed for lack of credits. Free."
    ),
    input_model=CheckCreditsInput,
    result_model=CheckCreditsResult,
    plan=_plan,
    read_only=True,
)
