"""``python -m tests.hostile``: run every variant and print how many held and which broke."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from tests.hostile.fixtures import make_fixtures
from tests.hostile.runner import Api, Command, Outcome, Variant, run_variant
from tests.hostile.variants import all_variants


def run_all(*, processes: bool = True, progress: bool = True) -> list[Outcome]:
    """Run every variant on fresh fixtures."""
    variants = all_variants(processes=processes)
    with tempfile.TemporaryDirectory() as folder:
        fixtures = make_fixtures(Path(folder))
        return [run_variant(v, fixtures) for v in tqdm(variants, disable=not progress)]


def report(outcomes: list[Outcome]) -> str:
    """Per target (command or API): variants tried, held (ran or refused cleanly) and broken;
    then each broken variant and why."""
    tried, held = Counter(), Counter()
    for outcome in outcomes:
        target = _target(outcome.variant)
        tried[target] += 1
        held[target] += outcome.held
    lines = ["| target | tried | held | broken |", "| --- | ---: | ---: | ---: |"]
    for target in tried:
        lines.append(
            f"| `{target}` | {tried[target]} | {held[target]} | {tried[target] - held[target]} |"
        )
    total, kept = sum(tried.values()), sum(held.values())
    lines.append(f"| all | {total} | {kept} | {total - kept} |")
    broken = [o for o in outcomes if not o.held]
    if broken:
        lines += ["", "Broken:"]
        lines += [f"- `{o.variant.label}`: {o.did}: {o.why}" for o in broken]
    return "\n".join(lines)


def _target(variant: Variant) -> str:
    """What a variant is counted under: the command (with theory's sub-command), the API
    function, or the shell pipelines."""
    if isinstance(variant, Command):
        sub = variant.argv[0] if variant.command == "theory" else ""
        return f"python -m {variant.command} {sub}".strip()
    if isinstance(variant, Api):
        return variant.name.split("(")[0]
    return "piped commands"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.hostile", description=__doc__)
    parser.add_argument("--no-processes", action="store_true", help="skip the piped commands")
    args = parser.parse_args()
    outcomes = run_all(processes=not args.no_processes)
    print(report(outcomes))
    return 0 if all(o.held for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
