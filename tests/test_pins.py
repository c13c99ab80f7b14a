"""The pins in pyproject.toml, constraints.txt and environment.yml must agree."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# conda-forge names that differ from PyPI's
CONDA_NAMES = {"python-duckdb": "duckdb"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_pins() -> dict:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [d for group in project["optional-dependencies"].values() for d in group]
    pins = {}
    for spec in specs:
        name, sep, version = spec.partition("==")
        assert sep, f"pyproject.toml: {spec!r} is not an exact pin"
        pins[_norm(name)] = version.strip()
    return pins


def environment_pins() -> dict:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep and not dep.startswith("python="):
            name, version = dep.split("=", 1)
            pins[_norm(CONDA_NAMES.get(name, name))] = version
    return pins


def constraint_pins() -> dict:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[_norm(name)] = version.strip()
    return pins


def test_every_pyproject_pin_is_exact_and_in_environment_yml():
    assert pyproject_pins() == environment_pins()


def test_constraints_lock_the_same_versions():
    locked = constraint_pins()
    for name, version in pyproject_pins().items():
        assert locked.get(name) == version, f"{name}: pyproject {version}, constraints.txt {locked.get(name)}"


def test_environment_installs_this_package_editable():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section
