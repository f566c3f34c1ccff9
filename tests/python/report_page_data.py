"""Prints the data of an HTML report page (<script type="application/json"
id="cb-data">) as facts a test checks, one per line:
  chart ID KIND X_NAME|Y_NAME|Y_MIN|Y_MAX   (one per chart spec)
  highlight KEY                             (the highlighted run's key, if any)
  id0 ID                                    (the first customer id, if any)
  sankey NODES LINKS TOTAL LABELS           (per Sankey: node and link counts, customers over links, labels joined by |)
Also checks that the raw page has no '<' inside the JSON (it must be \\u003c)."""
import json
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
match = re.search(r'<script type="application/json" id="cb-data">(.*?)</script>', text, re.S)
raw = match.group(1)
assert "<" not in raw and ">" not in raw, "unescaped < or > inside the page data"
data = json.loads(raw)
for c in data["charts"]:
    axes = "|".join(str(c.get(k, "")) for k in ("x_name", "y_name", "y_min", "y_max"))
    print("chart", c["id"], c["kind"], axes)
    if c["kind"] == "sankey":
        print("sankey", len(c["nodes"]), len(c["links"]), sum(l["value"] for l in c["links"]),
              "|".join(n["label"] for n in c["nodes"]))
if "members" in data:
    print("highlight", data["runs"][data["members"]["run"]]["key"])
if data.get("ids"):
    print("id0", data["ids"][0])
