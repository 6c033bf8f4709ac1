"""Ship the top-level rules/ and schemas/ folders inside the wheel.

They live at the top of the repository for people to read and edit; the wheel carries
them as the data packages ``citelint._rules`` and ``citelint._schemas``, which
``citelint.resources`` finds.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["citelint", "citelint.*"]) + ["citelint._rules", "citelint._schemas"],
    package_dir={"citelint._rules": "rules", "citelint._schemas": "schemas"},
    package_data={
        "citelint._rules": ["*.yml", "**/*.yml"],
        "citelint._schemas": ["*.json"],
        "citelint.analysis": ["models/*.json", "models/*.json.gz"],
        "citelint.report": ["templates/*.html.j2", "templates/*.css", "templates/*.js"],
    },
)
