"""annotator's tests: a regular package, so that ``tests.factories`` is ours even where
another distribution installs a top-level ``tests`` package (ppi-python does)."""
