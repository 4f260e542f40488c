"""The process diagram, drawn from the table that runs (workflows/process.py): Mermaid for the README and the
console. A supervisor's moves that leave the case where it is (deadline, reassignment, retry) are listed
beside the diagram, not drawn as loops."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vocabulary.case import Step
from workflows.transitions import Act, StepSpec


def mermaid(steps: Iterable[StepSpec], actions: Iterable[Act[Any]]) -> str:
    lines = ["flowchart LR"]
    for spec in steps:
        shape = ('["{n} {zh}"]' if spec.holds_cases else '[/"{n} {zh}"/]').format(n=spec.step.number,
                                                                                 zh=spec.step.zh)
        lines.append(f"    {spec.step.value}{shape}")
    ends: set[str] = set()
    for act in actions:
        for lead in act.leads:
            if lead.to is None and lead.outcome is None:
                continue  # stays where it is
            target = lead.to.value if lead.to is not None else f"end_{lead.outcome}"
            if lead.outcome is not None and target not in ends:
                ends.add(target)
                lines.append(f'    {target}(["结案：{lead.outcome.zh}"])')
            label = act.action.zh + (f"（{lead.label}）" if lead.label else "")
            # Opening a case files the application (step 1), which registration then takes up.
            for source in sorted(act.at, key=lambda s: s.number) if act.at else [Step.APPLICATION]:
                lines.append(f'    {source.value} -- "{label}" --> {target}')
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m workflows.diagram: the README's diagram
    from workflows import process

    print(mermaid(process.STEPS, process.ACTIONS), end="")
