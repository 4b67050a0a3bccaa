#!/usr/bin/env python3
"""Rewrites the table of docs/errors.md from the binary's two catalogues (`regctl codes` in each language):
    python3 scripts/dev/errors-doc.py [REGCTL]      # default .build/debug/regctl
ShippedDocumentTests fails until it is run after a message changes."""
import csv, io, subprocess, sys

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/regctl"

def codes(lang):
    out = subprocess.run([binary, "codes", "--format", "csv", "--encoding", "utf-8", "--lang", lang],
                         capture_output=True, text=True, check=True).stdout
    return {row[0]: row[1] for row in list(csv.reader(io.StringIO(out)))[1:]}

zh, en = codes("zh"), codes("en")
path = "docs/errors.md"
text = open(path, encoding="utf-8").read()
start = text.index("| 代码 Code |")
lines = text[start:].split("\n")
end = next(k for k, line in enumerate(lines) if k > 1 and not line.startswith("|"))
table = "| 代码 Code | 含义与处理 | Meaning and what to do |\n|---|---|---|\n" + "".join(
    f"| `{code}` | {zh[code]} | {en[code]} |\n" for code in sorted(zh))
open(path, "w", encoding="utf-8").write(text[:start] + table + "\n".join(lines[end:]))
