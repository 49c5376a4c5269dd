#!/usr/bin/env python3
"""The category-suggestion evaluation: scanback's classifier against a scikit-learn reference
(TfidfVectorizer char_wb 2-5 + word 1-2, LogisticRegression) on identical splits, macro-F1 at 0, 10,
25, 50 labels per category and with the full training split.

    benches/classify/evaluate.py [--data DIR] [--release] [--repeats N]

--data: folders of <set>/{train,test}.tsv (`category<TAB>text`), made by prepare.py from the public
        sets (README.md); default: $SCANBACK_EVAL_DATA, else ~/.cache/scanback-eval, plus the
        hand-made fixtures in src/domain/classifier_fixtures/ always.
Seeds (category labels and keywords, as a manufacturer's categories carry them) come from
benches/classify/seeds/<set>.tsv when present.

Needs: python3 with scikit-learn (pip install scikit-learn), cargo. Reads and fetches nothing else.
Samples are drawn with fixed seeds; small label counts are averaged over --repeats draws (default 3).
Prints a Markdown table and checks the budgets: full split >= 0.95x the reference on every set, at
10 labels per category no worse than the reference; exit status 1 if one fails.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIZES = [0, 10, 25, 50, None]


def read(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "\t" in line:
                c, t = line.rstrip("\n").split("\t", 1)
                rows.append((c, t))
    return rows


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for c, t in rows:
            f.write(f"{c}\t{t}\n")


def sample(train, n, seed):
    if n is None:
        return list(train)
    by = {}
    for row in train:
        by.setdefault(row[0], []).append(row)
    rng = random.Random(seed)
    out = []
    for c in sorted(by):
        rows = list(by[c])
        rng.shuffle(rows)
        out.extend(rows[:n])
    rng.shuffle(out)
    return out


def macro_f1(truth, pred):
    classes = sorted(set(truth) | set(pred))
    total = 0.0
    for c in classes:
        tp = sum(1 for t, p in zip(truth, pred) if t == c and p == c)
        fp = sum(1 for t, p in zip(truth, pred) if t != c and p == c)
        fn = sum(1 for t, p in zip(truth, pred) if t == c and p != c)
        total += 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)
    return total / len(classes) if classes else 0.0


def reference(train, test):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, make_pipeline

    if len({c for c, _ in train}) < 2:
        return None
    features = FeatureUnion([
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5))),
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2))),
    ])
    model = make_pipeline(features, LogisticRegression(max_iter=2000))
    started = time.perf_counter()
    model.fit([t for _, t in train], [c for c, _ in train])
    ms = (time.perf_counter() - started) * 1000
    return list(model.predict([t for _, t in test])), ms


def ours(binary, train, test, seeds, tmp):
    tr, te = os.path.join(tmp, "train.tsv"), os.path.join(tmp, "test.tsv")
    write(tr, train)
    write(te, test)
    args = [binary, tr, te] + ([seeds] if seeds else [])
    res = subprocess.run(args, capture_output=True, text=True, check=True)
    stats = dict(kv.split("=") for kv in res.stderr.split() if "=" in kv)
    return res.stdout.split("\n")[: len(test)], stats


def build(release):
    args = ["cargo", "build", "--quiet", "--example", "classify_eval"] + (["--release"] if release else [])
    subprocess.run(args, cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release" if release else "debug", "examples", "classify_eval")


def sets(data_dirs):
    found = []
    for d in data_dirs:
        if not d or not os.path.isdir(d):
            continue
        if os.path.isfile(os.path.join(d, "train.tsv")):
            found.append((os.path.basename(d).replace("_", "-"), d))
            continue
        for name in sorted(os.listdir(d)):
            if os.path.isfile(os.path.join(d, name, "train.tsv")):
                found.append((name, os.path.join(d, name)))
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data")
    ap.add_argument("--release", action="store_true", help="time the release build (the budgets are stated for it)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--binary", help="a built classify_eval to use instead of building one")
    a = ap.parse_args()
    data = a.data or os.environ.get("SCANBACK_EVAL_DATA") or os.path.expanduser("~/.cache/scanback-eval")
    binary = a.binary or build(a.release)
    failures = []
    print("| set | labels/category | scanback macro-F1 | reference macro-F1 | ratio | train ms (ours / ref) |")
    print("|---|---|---|---|---|---|")
    for name, path in sets([data, os.path.join(ROOT, "src", "domain", "classifier_fixtures")]):
        train, test = read(os.path.join(path, "train.tsv")), read(os.path.join(path, "test.tsv"))
        seeds = os.path.join(ROOT, "benches", "classify", "seeds", f"{name}.tsv")
        if not os.path.isfile(seeds):
            seeds = os.path.join(path, "seeds.tsv") if os.path.isfile(os.path.join(path, "seeds.tsv")) else None
        truth = [c for c, _ in test]
        for n in SIZES:
            repeats = 1 if n is None or n == 0 else a.repeats
            f_ours, f_ref, t_ours, t_ref = [], [], [], []
            with tempfile.TemporaryDirectory() as tmp:
                for r in range(repeats):
                    part = sample(train, n, seed=r) if n != 0 else []
                    pred, stats = ours(binary, part, test, seeds, tmp)
                    f_ours.append(macro_f1(truth, pred))
                    t_ours.append(float(stats.get("train_ms", "nan")))
                    if n != 0:
                        ref = reference(part, test)
                        if ref:
                            f_ref.append(macro_f1(truth, ref[0]))
                            t_ref.append(ref[1])
            mo = sum(f_ours) / len(f_ours)
            mr = sum(f_ref) / len(f_ref) if f_ref else None
            label = "full" if n is None else str(n)
            ratio = f"{mo / mr:.2f}" if mr else "–"
            ref_txt = f"{mr:.3f}" if mr is not None else "–"
            tr = f"{sum(t_ours) / len(t_ours):.0f} / {sum(t_ref) / len(t_ref):.0f}" if t_ref else f"{sum(t_ours) / len(t_ours):.0f} / –"
            print(f"| {name} | {label} | {mo:.3f} | {ref_txt} | {ratio} | {tr} |", flush=True)
            if n is None and mr and mo < 0.95 * mr:
                failures.append(f"{name}: full split {mo:.3f} < 0.95 x {mr:.3f}")
            if n == 10 and mr and mo < mr:
                failures.append(f"{name}: 10 labels/category {mo:.3f} < reference {mr:.3f}")
    for f in failures:
        print(f"BUDGET MISSED: {f}", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
