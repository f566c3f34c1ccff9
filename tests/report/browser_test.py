#!/usr/bin/env python3
"""Opens clusterbench's HTML reports in a real browser (Debian's headless
Chromium) and checks what a reviewer would see.

Builds, in WORK: a features CSV of 5,500 customers in three groups whose first
customer id is `<script>document.body.dataset.injected=1</script>`, a grid over it
(raw and PCA; K-Means, GMM, DBSCAN), its report, and an RFM migration report
(`rfm --compare ... --report`) under a segment table whose first segment has
a name with markup in it. Each page is loaded with `--dump-dom` (after 5 s of
virtual time, with `#selftest`, which makes the page show each chart's first
tooltip) and with `--screenshot`, and the test asserts:
  - no console message and no script error (the page lists errors in #cb-errors);
  - every chart container holds what ECharts drew (a canvas or an svg), and the
    page counted as many rendered charts as it has containers;
  - the tooltips ran (every scatter's tooltip names its customer);
  - the `<script>` customer id and segment name appear as text, and the markup
    in them never ran (no data-injected attribute);
  - the screenshot is a non-trivial PNG.
Exits 77 (ctest's SKIP_RETURN_CODE) when no Chromium is installed.
Usage: browser_test.py --clusterbench EXE --work DIR [--keep-screenshots DIR]
"""
import argparse
import html.parser
import os
import random
import shutil
import subprocess
import sys
import tempfile

INJECTED_ID = "<script>document.body.dataset.injected=1</script>"
INJECTED_SEGMENT = "<b>Champions</b> <script>document.body.dataset.injected=2</script>"


def find_chromium():
    for name in (os.environ.get("CB_CHROMIUM", ""), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def run(args, **kw):
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)
    if result.returncode != 0:
        sys.exit(f"FAIL: {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


class Dom(html.parser.HTMLParser):
    """The dumped DOM: chart containers and what is inside them, text outside
    scripts, attributes of body."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []            # (tag, chart id or None)
        self.charts = {}           # id -> set of drawn element tags seen inside
        self.body = {}
        self.text = []             # text outside <script> and <style>
        self.errors_text = []
        self.tooltip_text = []     # text inside ECharts tooltips (a div after the canvas, inside the chart)
        self.scripts = []
        self.in_errors = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self.body = attrs
        chart = None
        if tag == "div" and "chart" in (attrs.get("class") or "").split():
            chart = attrs.get("id")
            self.charts[chart] = set()
        for _, open_chart in self.stack:
            if open_chart is not None and tag in ("canvas", "svg"):
                self.charts[open_chart].add(tag)
        if tag == "pre":
            self.in_errors = attrs.get("id") == "cb-errors"
        if tag in self.VOID:
            return
        self.stack.append((tag, chart))
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if "script" in tags:
            self.scripts[-1] += data
            return
        if "style" in tags:
            return
        self.text.append(data)
        if any(c is not None for _, c in self.stack) and "svg" not in tags:
            self.tooltip_text.append(data)
        if self.stack and self.stack[-1][0] == "pre" and self.in_errors:
            self.errors_text.append(data)


def load(chromium, page, profile, screenshot):
    url = "file://" + os.path.abspath(page) + "#selftest"
    common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", "--disable-extensions", "--disable-sync",
              "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
              "--virtual-time-budget=5000", "--window-size=1280,2200"]
    dom = run(common + ["--dump-dom", url])
    shot = run(common + ["--screenshot=" + screenshot, url])
    return dom.stdout, dom.stderr + shot.stderr


def check_page(chromium, page, work, expect_text, expect_charts, keep):
    name = os.path.basename(page)
    profile = tempfile.mkdtemp(prefix="chromium-", dir=work)
    screenshot = os.path.join(work, name + ".png")
    dumped, log = load(chromium, page, profile, screenshot)
    failures = []
    console = [line for line in log.splitlines() if ":CONSOLE" in line]
    if console:
        failures.append("console messages:\n  " + "\n  ".join(console))
    dom = Dom()
    dom.feed(dumped)
    errors = "".join(dom.errors_text).strip()
    if errors:
        failures.append("script errors listed on the page: " + errors)
    if not dom.charts:
        failures.append("no chart container in the page")
    for chart_id, drawn in sorted(dom.charts.items()):
        if not drawn:
            failures.append(f"chart {chart_id}: nothing drawn (no canvas or svg inside)")
    missing = [c for c in expect_charts if not any(i.startswith(c) for i in dom.charts)]
    if missing:
        failures.append(f"expected charts missing: {missing} (have {sorted(dom.charts)})")
    if dom.body.get("data-charts-rendered") != str(len(dom.charts)):
        failures.append(f"page rendered {dom.body.get('data-charts-rendered')} charts of {len(dom.charts)} containers")
    if dom.body.get("data-tooltips-shown") != str(len(dom.charts)):
        failures.append(f"tooltips shown for {dom.body.get('data-tooltips-shown')} of {len(dom.charts)} charts")
    if "data-injected" in dom.body:
        failures.append("markup inside the data ran as script (body has data-injected)")
    text = "".join(dom.text)
    for expected in expect_text:
        if expected not in text:
            failures.append(f"{expected!r} is not shown as text")
    for script in dom.scripts:
        if "dataset.injected" in script and "\\u003cscript" not in script:
            failures.append("a <script> element holds the injected markup unescaped")
    with open(screenshot, "rb") as f:
        png = f.read()
    if not png.startswith(b"\x89PNG") or len(png) < 20000:
        failures.append(f"screenshot {screenshot}: not a drawn PNG ({len(png)} bytes)")
    if keep:
        shutil.copy(screenshot, keep)
    shutil.rmtree(profile, ignore_errors=True)
    print(f"{name}: {len(dom.charts)} charts drawn ({', '.join(sorted(dom.charts))}), "
          f"{len(console)} console messages, screenshot {len(png)} bytes")
    return [f"{name}: {f}" for f in failures], "".join(dom.tooltip_text)


def report_scatters(page):
    """The number of scatter chart containers in a page (its source)."""
    with open(page, encoding="utf-8") as f:
        return f.read().count('id="chart-scatter-')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clusterbench", required=True)
    parser.add_argument("--source", required=True, help="the repository (for the transaction log)")
    parser.add_argument("--work", required=True)
    parser.add_argument("--keep-screenshots", default="")
    args = parser.parse_args()
    chromium = find_chromium()
    if not chromium:
        print("SKIP: no chromium on PATH (scripts/setup installs Debian's chromium)")
        return 77
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    work = os.path.abspath(args.work)

    # 5,500 customers in groups of 40/40/20 % (so a scatter series holds over 2,000
    # points, where ECharts would switch to its large mode); the first id carries markup.
    rng = random.Random(7)
    rows = ["customer,recency,frequency,monetary"]
    for i in range(5500):
        centre = [(30, 2, 80), (200, 1, 30), (10, 12, 900)][(0, 0, 1, 1, 2)[i % 5]]
        values = [max(0.1, rng.gauss(c, c * 0.15)) for c in centre]
        rows.append((INJECTED_ID if i == 0 else f"C{i:04d}") + "," + ",".join(f"{v:.3f}" for v in values))
    with open(os.path.join(work, "customers.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    with open(os.path.join(work, "grid.yaml"), "w") as f:
        f.write(f"""name: browser
seed: 3
output: {work}/grid.h5
dataset: {{type: features, path: {work}/customers.csv, id_column: customer}}
preprocess: {{log1p: [frequency, monetary], scaling: standard}}
spaces: [raw, pca]
algorithms:
  - {{name: kmeans, k: [2, 6]}}
  - {{name: gmm, k: [2, 5]}}
  - {{name: dbscan, k: [2, 4]}}
""")
    run([args.clusterbench, "run", "-q", os.path.join(work, "grid.yaml")])
    report = os.path.join(work, "report.html")
    run([args.clusterbench, "report", os.path.join(work, "grid.h5"), "-o", report, "--gap-references", "4",
         "--max-points", "6000"])

    with open(os.path.join(work, "segments.yaml"), "w") as f:
        f.write(f"""name: markup
bins: 5
default: Others
rules:
  - {{segment: "{INJECTED_SEGMENT}", r: [4, 5], f: [4, 5]}}
  - {{segment: Recent, r: [4, 5]}}
""")
    migration = os.path.join(work, "migration.html")
    run([args.clusterbench, "rfm", os.path.join(args.source, "data/transactions/online_retail_2010-12.csv"),
         "--compare", "2010-12-10", "2010-12-24", "--segments", os.path.join(work, "segments.yaml"),
         "--report", migration])

    failures, tooltips = check_page(chromium, report, work, [INJECTED_ID],
                                    ["chart-sizes", "chart-silhouette-", "chart-scatter-", "chart-inertia-", "chart-bic-",
                                     "chart-gap-"],
                                    os.path.join(args.keep_screenshots, "report.png") if args.keep_screenshots else "")
    scatters = report_scatters(report)
    if tooltips.count("customer ") < scatters or "params:" not in tooltips:
        failures.append("report.html: the tooltips do not name a customer and a run's parameters: " + tooltips[:300])
    more, tooltips = check_page(chromium, migration, work, [INJECTED_SEGMENT, "new customers", "churned"],
                                ["chart-migration"],
                                os.path.join(args.keep_screenshots, "migration.png") if args.keep_screenshots else "")
    failures += more
    if "customers" not in tooltips:
        failures.append("migration.html: the Sankey tooltip did not show: " + tooltips[:300])
    if failures:
        print("FAIL:\n" + "\n".join(failures))
        return 1
    print("PASS: both pages render every chart in Chromium without an error; markup in ids and names stays text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
