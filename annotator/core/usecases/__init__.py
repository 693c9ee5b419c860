"""Use cases: one module per thing a lead or a rater does, each taking the project's
``Database``. The facade (``annotator.core.project``) composes them; nothing here imports it.
"""
