"""Check a toponym label file against its batch: python3 check.py BATCH.txt LABELS.tsv"""
import sys, re
batch, labels = sys.argv[1], sys.argv[2]
sent = {}
doc = None
for line in open(batch, encoding="utf-8"):
    m = re.match(r"^=== DOC (\S+)", line)
    if m: doc = m.group(1); continue
    m = re.match(r"^\[(\d+)\] (.*)$", line.rstrip("\n"))
    if m and doc: sent[(doc, int(m.group(1)))] = m.group(2)
problems = 0; n = 0
for k, line in enumerate(open(labels, encoding="utf-8"), 1):
    if not line.strip(): continue
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 5: print(f"{k}: expected 5 tab-separated fields: {line!r}"); problems += 1; continue
    d, i, s, occ, kind = parts
    if kind not in ("literal", "metonym", "adjective", "embedded"): print(f"{k}: bad kind {kind!r}"); problems += 1; continue
    text = sent.get((d, int(i))) if i.isdigit() else None
    if text is None: print(f"{k}: no sentence {d} [{i}]"); problems += 1; continue
    hits = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(s) + r"(?!\w)", text)]
    if not occ.isdigit() or len(hits) < int(occ) or int(occ) < 1: print(f"{k}: {s!r} does not occur {occ} time(s) in {d} [{i}]"); problems += 1; continue
    n += 1
print(f"{n} toponyms, {problems} problems")
sys.exit(1 if problems else 0)
