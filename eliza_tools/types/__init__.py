"""Pydantic shapes of the elizaOS Cloud API, one module per area (see `eliza_tools.resources`)."""
