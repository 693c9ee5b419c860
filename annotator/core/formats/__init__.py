"""Every file format, read and write: items (``items``), rating sheets, the Excel report,
xlsx safety, and the checks of the file names a user gives (``paths``). Formats know files
and value types; they never run SQL and never import a use case."""
