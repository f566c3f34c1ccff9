"""The grid engine in-process: the same session as ``clusterbench run``
(resume from the file and journal, output lock, atomic writes)."""
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass

from . import _clusterbench as _native


@dataclass(frozen=True)
class RunSummary:
    output: str          # the results file
    planned: int         # runs of the config
    computed: int        # runs fitted by this call
    reused: int          # runs taken from the file or its journal
    failed: int          # runs with status "failed" (their error is in the leaderboard's message)
    written: bool        # the file was (re)written; False when it was already up to date
    moved_previous: str  # where a file holding another data set's results was moved, else ''


def run(config, output=None, *, threads=None, progress=True, memory_budget_bytes=None):
    """Runs a grid config into its results file and returns a :class:`RunSummary`.

    ``config`` is a YAML file's path or a dict with the same keys (paths in it
    are relative to the working directory). ``output`` replaces the config's
    ``output``; ``threads`` its ``threads`` (0 = all cores). Progress goes to
    stderr. The GIL is released while the grid runs; Ctrl-C stops it at the
    next chunk, keeps what finished in the journal and raises KeyboardInterrupt
    (run again to resume). Bad configs raise ValueError naming the key.
    """
    if isinstance(config, Mapping):
        # JSON is valid YAML, so a dict goes through the CLI's own parser and checks.
        source, from_text = json.dumps(config, default=str), True
    else:
        source, from_text = os.fspath(config), False
    raw = _native.run_grid(source, from_text, output=os.fspath(output) if output is not None else "",
                           threads=-1 if threads is None else int(threads), progress=bool(progress),
                           memory_budget_bytes=float(memory_budget_bytes or 0))
    return RunSummary(**raw)
