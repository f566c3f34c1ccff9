"""Reads an HTML report and prints what a test checks: the ids of its chart
containers (one line, in page order), then for each leaderboard table the run
keys of its rows in order, one table per line, then (transactions grids) a line
"profile <customers summed over the clusters> <customers summed over the
cluster x segment table>". Parsed with the standard library's HTML parser;
the page data (<script type="application/json" id="cb-data">) must be valid
JSON and name a chart spec for every container."""
import html.parser
import json
import sys


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.charts = []
        self.tables = []       # each: list of rows, each row a list of cell texts (code text for cells with <code>)
        self.row = None
        self.cell = None
        self.in_data = False
        self.data = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and "chart" in (attrs.get("class") or "").split():
            self.charts.append(attrs["id"])
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.row = []
            self.tables[-1].append(self.row)
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "script" and attrs.get("id") == "cb-data":
            self.in_data = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "script":
            self.in_data = False

    def handle_data(self, data):
        if self.in_data:
            self.data += data
        elif self.cell is not None:
            self.cell += data


page = Page()
page.feed(open(sys.argv[1], encoding="utf-8").read())
specs = [c["id"] for c in json.loads(page.data)["charts"]]
assert sorted(specs) == sorted(page.charts), (specs, page.charts)
print(" ".join(page.charts))
for table in page.tables:
    header = table[0]
    if "key" not in header:
        continue
    column = header.index("key")
    print(" ".join(row[column] for row in table[1:]))
profile_total = None
for table in page.tables:
    header = table[0]
    if header[:2] == ["cluster", "customers"]:
        profile_total = sum(int(row[1]) for row in table[1:])
    elif header[0] == "cluster" and profile_total is not None:
        crosstab_total = sum(int(cell) for row in table[1:] for cell in row[1:])
        print("profile", profile_total, crosstab_total)
