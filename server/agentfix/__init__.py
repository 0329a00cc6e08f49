"""agentfix: fix Python files with a local LLM, returning only validated fixes."""

__version__ = "0.1.0"
