"""The README tells the truth: its process diagram is the one drawn from the table that runs, and every path its
layout section names exists."""

from __future__ import annotations

import re

from models.settings import PROJECT_ROOT
from workflows import process
from workflows.diagram import mermaid

README = (PROJECT_ROOT / "README.md").read_text()


def test_the_diagram_is_the_tables() -> None:
    block = re.search(r"```mermaid\n(.*?)```", README, re.S)
    assert block is not None
    assert block.group(1) == mermaid(process.STEPS, process.ACTIONS), "run: python -m workflows.diagram"


def test_every_path_the_layout_names_exists() -> None:
    layout = README[README.index("## Layout"):]
    named = set(re.findall(r"`([\w/]+\.py|[\w]+/)`", layout))
    named |= {line.split()[0] for line in layout.split("```")[1].splitlines() if line and not line.startswith(" ")}
    assert len(named) > 10
    for path in named:
        assert (PROJECT_ROOT / path).exists(), path
