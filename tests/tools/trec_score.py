#!/usr/bin/env python3
"""An independent scorer for a TREC run against judgments, to check `vwb eval`'s figures.

usage: trec_score.py QRELS RUN [K] [RELEVANT_FROM]
QRELS: "query doc grade" (a header line is skipped) or TREC's "query 0 doc grade".
RUN:   "query Q0 doc rank score tag"; each query's list ordered by score, then rank.
Prints the means over the queries that have a relevant document, as JSON.
"""
import json
import math
import sys
from collections import defaultdict


def read_qrels(path):
    judged = defaultdict(dict)
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            cols = line.split()
            if len(cols) < 3:
                continue
            trec = len(cols) >= 4 and cols[1] in ("0", "Q0") and cols[3].lstrip("-").isdigit()
            doc, grade = (cols[2], cols[3]) if trec else (cols[1], cols[2])
            if not grade.lstrip("-").isdigit():
                if n == 0:
                    continue  # header
                raise SystemExit(f"{path}:{n + 1}: bad grade {grade!r}")
            judged[cols[0]][doc] = int(grade)
    return judged


def read_run(path):
    rows = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.split()
            if len(cols) >= 5:
                rows[cols[0]].append((-float(cols[4]), int(cols[3]), cols[2]))
    return {q: [doc for _, _, doc in sorted(entries)] for q, entries in rows.items()}


def score(ranked, grades, k, relevant_from):
    relevant = {d for d, g in grades.items() if g >= relevant_from}
    found, precisions, rr = 0, [], 0.0
    for i, doc in enumerate(ranked, start=1):
        if doc in relevant:
            found += 1
            precisions.append(found / i)
            rr = rr or 1.0 / i
    top = ranked[:k]
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 1) for i, d in enumerate(top, start=1))
    ideal_grades = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 1) for i, g in enumerate(ideal_grades, start=1))
    hits = sum(1 for d in top if d in relevant)
    return {
        "map": sum(precisions) / len(relevant),
        "mrr": rr,
        "p": hits / k,
        "r": hits / len(relevant),
        "ndcg": dcg / idcg if idcg > 0 else 0.0,
    }


def main():
    qrels, run = read_qrels(sys.argv[1]), read_run(sys.argv[2])
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    relevant_from = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    scores = [score(run.get(q, []), g, k, relevant_from) for q, g in qrels.items()
              if any(v >= relevant_from for v in g.values())]
    means = {m: sum(s[m] for s in scores) / len(scores) for m in scores[0]} if scores else {}
    print(json.dumps({"queries": len(scores), "mean": means}))


if __name__ == "__main__":
    main()
