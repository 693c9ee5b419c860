"""Qt item models of the lead workspace: adapters over core results, never running SQL."""

from annotator.gui.lead.models.frame_model import SORT_ROLE, Column, FrameModel

__all__ = ["SORT_ROLE", "Column", "FrameModel"]
