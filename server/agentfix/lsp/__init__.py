"""The language server: pygls 2 features that delegate to the engine."""
