"""Reads an HTML report as XML (it must be well-formed) and prints what a test
checks: the number of SVG charts, then for each leaderboard table the run keys
of its rows in order, one table per line."""
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
