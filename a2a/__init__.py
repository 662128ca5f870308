"""Agent2Agent (A2A) bridge: speak every A2A dialect to cloud agents and back."""
