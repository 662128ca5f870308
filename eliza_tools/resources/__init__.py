"""The API areas of the client, one resource class per module (shapes in `eliza_tools.types`)."""
