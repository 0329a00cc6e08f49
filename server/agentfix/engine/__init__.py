"""The fix engine: a LangGraph loop of generate → validate → decide, with focused feedback."""
