"""Allow ``python -m agentfix``."""

from agentfix.cli import main

raise SystemExit(main())
