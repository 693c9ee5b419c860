"""The offline team workflow: assignments, rater packages, Excel rating sheets, merges, status.

Every use case takes the project's ``Database`` (``Project.db``), so the facade can
expose each one as a one-line method.
"""

from annotator.core.usecases.team.assign import AssignReport, assign, parse_filter
from annotator.core.usecases.team.merge import MergeReport
from annotator.core.usecases.team.package_merge import merge_package
from annotator.core.usecases.team.packages import PackageReport, create_package, rater_items
from annotator.core.usecases.team.sheets_read import import_sheet
from annotator.core.usecases.team.sheets_write import SheetReport, create_sheet
from annotator.core.usecases.team.status import RaterStatus, format_status, team_status

__all__ = [
    "AssignReport",
    "MergeReport",
    "PackageReport",
    "RaterStatus",
    "SheetReport",
    "assign",
    "create_package",
    "create_sheet",
    "format_status",
    "import_sheet",
    "merge_package",
    "parse_filter",
    "rater_items",
    "team_status",
]
