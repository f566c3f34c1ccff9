"""The README's Python example runs as written (on a test store instead of results/default.h5)."""
import os
import re

import matplotlib

from conftest import ROOT


def readme_example():
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    section = text[text.index("## Python"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_example_runs(small_store, tmp_path, monkeypatch):
    path, _, _ = small_store
    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    code = readme_example()
    assert '"results/default.h5"' in code
    scope = {}
    exec(code.replace('"results/default.h5"', repr(str(path))), scope)
    assert (tmp_path / "silhouette_by_k.png").stat().st_size > 0
    import clusterbench
    assert len(scope["labels"]) == clusterbench.read_space(path, "reference").shape[0]
    assert scope["best"].key == scope["runs"].key.iloc[0]
