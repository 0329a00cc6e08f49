"""Text and Python-source utilities, the bottom layer: the line model, positions in UTF-8,
UTF-16 and UTF-32 code units, minimal edits, and views of ``ast`` trees that never raise.

Nothing here imports the rest of agentfix or a protocol library, so every layer (fixers,
engine, language server) can use it without loading the others."""
