"""Validators: cheap checks first (compile, ruff), then the project's tests in a sandbox."""
