"""Runs `fednc-train`'s step commands (the server and client halves of every method) as child processes.

Every training and aggregation step is FedNC's own Swift code; this module only starts it, passes paths and
reads the one JSON line each command prints.
"""

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from typing import Any


class StepError(RuntimeError):
    """A FedNC step command failed or printed something other than its JSON line; the text says which and why."""


def resolve_executable(name: str) -> str:
    """The path of `fednc-train`: `name` if it is a path, else `name` looked up on PATH."""
    if os.sep in name:
        if not os.access(name, os.X_OK):
            raise StepError(f"fednc-train executable {name!r} is missing or not executable: build FedNC "
                            "(swift build -c release) and point the `fednc-train` setting at it")
        return name
    found = shutil.which(name)
    if found is None:
        raise StepError(f"no {name!r} on PATH: build FedNC (swift build -c release) and put its bin folder on "
                        "PATH, or set `fednc-train` (run config or node config) to the executable's path")
    return found


def run_step(executable: str, arguments: Sequence[str], who: str) -> str:
    """Runs `executable arguments` to completion and returns its standard output.

    `who` names the caller in errors ("server", "node 42 (client 1)"). Standard error is passed through when
    the command succeeds and quoted in the error when it fails.
    """
    command = [executable, *arguments]
    finished = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    if finished.returncode != 0:
        detail = finished.stderr.strip() or finished.stdout.strip() or "(no output)"
        raise StepError(f"{who}: `fednc-train {' '.join(arguments[:2])}` failed "
                        f"(exit {finished.returncode}): {detail}")
    return finished.stdout


def run_json_step(executable: str, arguments: Sequence[str], who: str) -> dict[str, Any]:
    """Runs a step command whose last standard-output line is one JSON object, and returns that object."""
    output = run_step(executable, arguments, who)
    lines = [line for line in output.splitlines() if line.strip()]
    if not lines:
        raise StepError(f"{who}: `fednc-train {' '.join(arguments[:2])}` printed no JSON line")
    try:
        value = json.loads(lines[-1])
    except json.JSONDecodeError as error:
        raise StepError(f"{who}: `fednc-train {' '.join(arguments[:2])}` printed {lines[-1]!r}, "
                        f"not a JSON object ({error})") from error
    if not isinstance(value, dict):
        raise StepError(f"{who}: `fednc-train {' '.join(arguments[:2])}` printed {lines[-1]!r}, not a JSON object")
    return value
