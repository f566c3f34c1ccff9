"""Reads an HTML report as XML (it must be well-formed) and prints what a test
checks: the number of SVG charts, then for each leaderboard table the run keys
of its rows in order, one table per line, then (transactions grids) a line
"profile <customers summed over the clusters> <customers summed over the
cluster x segment table>"."""
import sys
import xml.etree.ElementTree as ET

text = open(sys.argv[1], encoding="utf-8").read()
root = ET.fromstring(text.replace("<!DOCTYPE html>", "", 1))
ns = "{http://www.w3.org/2000/svg}"
svgs = root.findall(f".//{ns}svg")
print(len(svgs))
for table in root.iter("table"):
    header = [th.text for th in table.find("tr")]
    if "key" not in header:
        continue
    column = header.index("key")
    keys = [tr[column].find("code").text for tr in table.findall("tr")[1:]]
    print(" ".join(keys))
for table in root.iter("table"):
    header = [th.text for th in table.find("tr")]
    if header[:2] == ["cluster", "customers"]:
        profile_total = sum(int(tr[1].text) for tr in table.findall("tr")[1:])
    elif header[0] == "cluster":
        crosstab_total = sum(int(td.text) for tr in table.findall("tr")[1:] for td in tr[1:])
        print("profile", profile_total, crosstab_total)
