"""GUI views."""
