"""Fake credentials used everywhere in the tests.

They look like real keys (`eliza_` + 64 hex) so that format checks run, and
are fake. `tests/unit/test_no_secrets.py` fails if any other key-shaped string
appears in cassettes, fixtures or notebooks.
"""

FAKE_API_KEY = "eliza_" + "0123456789abcdef" * 4
OTHER_FAKE_API_KEY = "eliza_" + "fedcba9876543210" * 4
ALLOWED_FAKE_KEYS = frozenset({FAKE_API_KEY, OTHER_FAKE_API_KEY})
LIVE_BASE_URL = "https://www.elizacloud.ai/api/v1"
