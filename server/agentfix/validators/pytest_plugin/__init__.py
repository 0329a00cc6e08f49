"""The pytest plugin agentfix loads into test runs (see ``agentfix_report``)."""
