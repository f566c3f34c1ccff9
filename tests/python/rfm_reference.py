"""pandas reference for clusterbench's RFM features on an Online Retail log.

Usage: rfm_reference.py LOG [SNAPSHOT]
Cleaning as in RFM_RULES.md: drop rows without CustomerID, cancellation
invoices (prefix C), Quantity <= 0, UnitPrice <= 0, then exact duplicate rows.
Prints one line per customer: id recency frequency monetary, where
recency = snapshot - calendar day of the last purchase (days),
frequency = distinct invoices, monetary = sum(Quantity * UnitPrice).
"""
import sys

import pandas as pd

path = sys.argv[1]
df = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str})
df = df[df.CustomerID.notna()]
df = df[~df.InvoiceNo.str.startswith("C")]
df = df[df.Quantity > 0]
df = df[df.UnitPrice > 0]
df = df.drop_duplicates()
df["CustomerID"] = df.CustomerID.str.replace(r"\.0+$", "", regex=True)
df["InvoiceDate"] = pd.to_datetime(df.InvoiceDate)
df["Amount"] = df.Quantity * df.UnitPrice
if len(sys.argv) > 2:
    snapshot = pd.Timestamp(sys.argv[2])
    df = df[df.InvoiceDate < snapshot]
else:
    snapshot = df.InvoiceDate.max().normalize() + pd.Timedelta(days=1)
g = df.groupby("CustomerID").agg(last=("InvoiceDate", "max"), frequency=("InvoiceNo", "nunique"),
                                 monetary=("Amount", "sum"))
g["recency"] = (snapshot - g["last"].dt.normalize()).dt.days
for cid, row in g.iterrows():
    print(cid, int(row.recency), int(row.frequency), repr(float(row.monetary)))
