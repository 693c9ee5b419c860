"""Shared fixtures. GUI tests run offscreen; nothing here mocks our own storage."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
