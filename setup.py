"""Ships the top-level resources/ folder inside the package as annotator/_resources.

Everything else is declared in pyproject.toml; this file only exists because a
package-dir mapping next to automatic package discovery cannot be said there.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["annotator", "annotator.*"]), "annotator._resources"],
    package_dir={"annotator._resources": "resources"},
    package_data={"annotator._resources": ["**/*"]},
    exclude_package_data={"annotator._resources": ["**/*.py", "**/__pycache__/*"]},
)
