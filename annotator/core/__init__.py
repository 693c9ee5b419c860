"""The Qt-free core of annotator: storage, importers, metrics, statistics, reports."""
