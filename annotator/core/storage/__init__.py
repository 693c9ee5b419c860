"""The only package that runs SQL. Everything else calls these repositories."""

from annotator.core.storage.backup import KEEP_BACKUPS, backup_paths
from annotator.core.storage.connection import Database, create_db, open_db, utcnow
from annotator.core.storage.items import ItemsRepo
from annotator.core.storage.meta import MetaRepo, ModelsRepo, RatersRepo
from annotator.core.storage.ratings import RatingsRepo
from annotator.core.storage.rubric_repo import RubricRepo
from annotator.core.storage.schema import SCHEMA_VERSION

__all__ = [
    "KEEP_BACKUPS",
    "SCHEMA_VERSION",
    "Database",
    "ItemsRepo",
    "MetaRepo",
    "ModelsRepo",
    "RatersRepo",
    "RatingsRepo",
    "RubricRepo",
    "backup_paths",
    "create_db",
    "open_db",
    "utcnow",
]
