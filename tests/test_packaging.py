"""A `pip install .` user has no checkout: every package and every rules file must ship."""

import tomllib
from pathlib import Path

from tests.conftest import ROOT


def test_every_package_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    src = ROOT / "src"
    found = {
        ".".join(init.parent.relative_to(src).parts)
        for init in src.rglob("__init__.py")
    }
    assert found - listed == set(), "add these packages to [tool.setuptools] packages in pyproject.toml"


def test_every_rules_file_matches_the_package_data_globs():
    rules = ROOT / "rules"
    for path in rules.rglob("*"):
        if path.is_file() and path.suffix in {".yaml", ".yml", ".txt"}:
            depth = len(path.relative_to(rules).parts)
            assert depth <= 2, f"{path}: package-data globs cover rules/ and one level below"
            assert path.suffix != ".yml", f"{path}: use .yaml (the package-data globs)"


def test_shipped_rules_resolve_from_the_installed_package():
    from prepub_review.rules_loader import shipped_rules_dir

    assert (shipped_rules_dir() / "recognizers.yaml").is_file()
    assert Path(shipped_rules_dir(), "policy").is_dir()
