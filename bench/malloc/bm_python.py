# SPDX-License-Identifier: MIT
#
# bench/malloc/bm_python.py - a real program for the malloc benchmark: an
# interpreter doing object-heavy work, with CPython's default allocator
# settings (its small-object arenas come from malloc/mmap; everything over
# 512 bytes, dict and list storage, strings, bytes go to malloc).
#
#   python3 bm_python.py [SCALE]        (default 1; the runner passes 1,
#                                        or 0.1 in quick mode)
#
# Phases: build a table of records (dicts, tuples, strings), index and
# group it, serialise it to JSON and back, build and sort big lists of
# strings, grow and join byte buffers; repeated, each round dropping the
# previous round's data.  Prints a checksum that depends only on SCALE.
import json
import sys

SCALE = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
N = max(1000, int(50000 * SCALE))


def records(seed, n):
    out = []
    x = seed
    for i in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append({
            "id": i,
            "name": "user%07d" % (x % 1000003),
            "tags": ["t%d" % (x % 17), "t%d" % (x % 23)],
            "score": (x % 10007) / 7.0,
            "blob": "x" * (x % 700),
        })
    return out


def one_round(r):
    rows = records(r + 1, N)
    by_tag = {}
    for row in rows:
        for t in row["tags"]:
            by_tag.setdefault(t, []).append(row["id"])
    text = json.dumps(rows)
    back = json.loads(text)
    names = sorted(row["name"] + str(row["id"]) for row in back)
    chunks = bytearray()
    for row in back[: N // 4]:
        chunks += row["blob"].encode() + b"\n"
    words = " ".join(names[::3]).split(" ")
    return (len(by_tag), len(text), names[N // 2], len(chunks), len(words))


total = 0
for r in range(4):
    res = one_round(r)
    total += res[0] + res[1] + res[3] + res[4]
print("bm_python: N=%d checksum %d last %s" % (N, total, res[2]))
