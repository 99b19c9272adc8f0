"""What an analyst would write instead: read every return with pandas (openpyxl engine), concat, write.

    python3 bench/naive.py INBOX OUTDIR
"""
import sys
from pathlib import Path

import pandas as pd

inbox, out = Path(sys.argv[1]), Path(sys.argv[2])
frames = []
for path in sorted(inbox.rglob("*.xlsx")):
    if path.name.startswith("~$"):
        continue
    # The matrix is the second sheet; its headings are on row 5.
    df = pd.read_excel(path, sheet_name=1, header=4, engine="openpyxl")
    df = df.dropna(how="all", subset=df.columns[1:])
    df["source_file"] = path.name
    frames.append(df)
matrix = pd.concat(frames, ignore_index=True)
out.mkdir(parents=True, exist_ok=True)
matrix.to_excel(out / "consolidated.xlsx", index=False)
matrix.to_csv(out / "consolidated.csv", index=False)
print(len(matrix))
