"""``agentfix demo``: the whole loop on a bundled buggy project, in a temporary folder."""
