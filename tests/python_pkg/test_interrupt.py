"""Ctrl-C during clusterbench.run: the grid stops, what finished stays in the
journal, Python gets KeyboardInterrupt and its own SIGINT handler back, and a
second run resumes from the journal."""
import os
import signal
import subprocess
import sys
import time

from conftest import ROOT

SPACE_PREFIX = "space-"  # src/store/run_journal.cpp: kSpacePrefix

SCRIPT = """
import signal, sys
import clusterbench
config = {
    "name": "slow", "seed": 1,
    "dataset": {"type": "transactions", "path": sys.argv[2], "features": ["recency", "frequency", "monetary"]},
    "preprocess": {"log1p": ["recency", "frequency", "monetary"]},
    "spaces": ["raw", {"name": "pca", "params": {"n_components": 2}}, "tsne"],
    "algorithms": [{"name": "gmm", "k": [2, 16], "params": {"n_init": 5}},
                   {"name": "kmeans", "k": [2, 16], "params": {"n_init": 20}}],
}
try:
    print(clusterbench.run(config, sys.argv[1], threads=1, progress=False), flush=True)
except KeyboardInterrupt:
    print("interrupted; handler restored:", signal.getsignal(signal.SIGINT) is signal.default_int_handler, flush=True)
"""


def journaled_runs(journal):
    """Finished entries for runs (spaces have their own prefix; .tmp- files are being written)."""
    if not journal.is_dir():
        return []
    return [p for p in journal.iterdir() if not p.name.startswith(SPACE_PREFIX) and ".tmp-" not in p.name]


def test_ctrl_c_stops_the_grid_and_keeps_the_journal(tmp_path):
    output = tmp_path / "slow.h5"
    journal = tmp_path / "slow.h5.journal"
    data = os.path.join(ROOT, "data/transactions/online_retail_2010-12.csv")
    command = [sys.executable, "-c", SCRIPT, str(output), data]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not journaled_runs(journal) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # interrupt once the first run is journaled, whatever the machine's speed
    assert process.poll() is None, ("the grid ended before it could be interrupted", process.communicate())
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=300)
    assert "interrupted; handler restored: True" in out, (out, err)
    assert not output.exists()
    assert journaled_runs(journal)

    # The next run picks up what the interrupted one finished.
    resume = subprocess.run(command[:2] + [SCRIPT.replace("threads=1", "threads=0"), str(output), data],
                            capture_output=True, text=True, timeout=900)
    assert "RunSummary(" in resume.stdout, resume.stderr
    assert "reused=0," not in resume.stdout, resume.stdout
