"""GUI controllers."""
