"""The wheel's package list in pyproject.toml names every package (they are listed by hand because
resources/ is mapped into llmplanner.resources)."""
import re

from conftest import ROOT


def test_every_package_is_listed_in_pyproject():
    text = (ROOT / "pyproject.toml").read_text()
    block = re.search(r"^packages = \[(.*?)\]", text, re.S | re.M).group(1)
    listed = set(re.findall(r'"([\w.]+)"', block))
    found = {".".join(p.relative_to(ROOT).parent.parts) for p in (ROOT / "llmplanner").rglob("__init__.py")}
    assert found | {"llmplanner.resources"} == listed


def test_resources_are_reachable_from_the_package():
    from llmplanner.core.resources import resource

    assert resource("presets").is_dir()
