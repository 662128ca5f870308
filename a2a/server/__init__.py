"""Serve an agent over A2A: `create_app(agent, card, store=None, auth=None)`."""

from a2a.server.agent import (
    Agent,
    FunctionAgent,
    RequestContext,
    TaskUpdater,
    TextAgent,
    as_agent,
    text_agent,
)
from a2a.server.app import CARD_PATH, LEGACY_CARD_PATH, create_app
from a2a.server.auth import KeyAuth, Verifier, api_key_auth, bearer_auth
from a2a.server.push import PushSender, check_push_url
from a2a.server.task_manager import TaskManager, TaskRun

__all__ = [
    "CARD_PATH",
    "LEGACY_CARD_PATH",
    "Agent",
    "FunctionAgent",
    "KeyAuth",
    "PushSender",
    "RequestContext",
    "TaskManager",
    "TaskRun",
    "TaskUpdater",
    "TextAgent",
    "Verifier",
    "api_key_auth",
    "as_agent",
    "bearer_auth",
    "check_push_url",
    "create_app",
    "text_agent",
]
