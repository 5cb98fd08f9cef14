# SPDX-License-Identifier: MIT
#
# tests/real/py_threads.py - a Python program with threads and many small
# objects, whose output depends only on its argument (the scale).
#
#   python3 py_threads.py [SCALE]
#
# The test driver runs it with PYTHONMALLOC=malloc, so every object goes
# through the C allocator under test rather than Python's own small-object
# arenas.  Worker threads build dicts, tuples, lists and strings, hand
# batches to other threads through queues (so the objects are freed by a
# thread other than the one that made them), make reference cycles for the
# garbage collector, and round-trip data through json and bytes.
import gc
import hashlib
import json
import queue
import sys
import threading

SCALE = int(sys.argv[1]) if len(sys.argv) > 1 else 1
WORKERS = 4


def build(worker, n):
    """Many small objects: a dict of tuples, lists and strings."""
    d = {}
    for k in range(n):
        key = "w%d-k%d" % (worker, k)
        d[key] = (k, str(k * k), [k, k + 1, k + 2], {"id": k})
    for k in range(0, n, 2):
        del d["w%d-k%d" % (worker, k)]
    return d


class Cycle:
    def __init__(self, i):
        self.i = i
        self.other = None
        self.payload = [i] * (i % 7)


def make_cycles(n):
    made = 0
    for i in range(n):
        a, b = Cycle(i), Cycle(i + 1)
        a.other, b.other = b, a
        made += len(a.payload) + len(b.payload)
    return made


def producer(worker, out_q, results):
    d = build(worker, 40000 * SCALE)
    h = hashlib.sha256()
    for key in sorted(d):
        h.update(key.encode())
        h.update(repr(d[key]).encode())
    # Hand the values over in batches: the consumer frees them.
    batch = []
    for i, key in enumerate(sorted(d)):
        batch.append(d.pop(key))
        if len(batch) == 500:
            out_q.put(batch)
            batch = []
    out_q.put(batch)
    out_q.put(None)
    results[worker] = ("build", h.hexdigest()[:16], make_cycles(5000 * SCALE))


def consumer(worker, in_q, results):
    total, count = 0, 0
    while True:
        batch = in_q.get()
        if batch is None:
            break
        for k, s, lst, dd in batch:
            total += k + len(s) + sum(lst) + dd["id"]
            count += 1
        del batch
    blob = json.dumps([{"n": i, "s": "x" * (i % 50)} for i in range(3000 * SCALE)])
    back = json.loads(blob)
    text = "".join(str(i) for i in range(20000 * SCALE)).encode()
    results[worker] = ("consume", count, total, len(back), len(blob),
                       hashlib.md5(text).hexdigest()[:12])


def main():
    gc.set_threshold(500, 10, 10)
    results = {}
    threads = []
    queues = [queue.Queue(maxsize=8) for _ in range(WORKERS // 2)]
    for i, q in enumerate(queues):
        threads.append(threading.Thread(target=producer, args=(2 * i, q, results)))
        threads.append(threading.Thread(target=consumer, args=(2 * i + 1, q, results)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for w in sorted(results):
        print("worker", w, *results[w])
    print("gc collected something:", gc.collect() >= 0)
    words = {}
    for i in range(100000 * SCALE):
        w = "w%d" % (i * 7919 % 5003)
        words[w] = words.get(w, 0) + 1
    print("distinct words", len(words), "max count", max(words.values()))


main()
