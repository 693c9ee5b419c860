"""The lead workspace's controllers: the ``_on_*`` reactions, facade calls, background ops.

Each write names what it changed (a ``Changes``); the lead controller then redraws
only the views concerned by it.
"""
