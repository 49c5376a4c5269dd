#!/usr/bin/env python3
"""Turns public aspect-category data sets into the single-label TSV files the evaluation reads.

Nothing here is downloaded: point it at local copies of the public repositories (see README.md in
this folder for where they come from and why their files are not kept in this repository).

    benches/classify/prepare.py --semeval DIR --mabsa DIR --out DIR

--semeval: a folder holding Restaurants_Train_v2.xml and Restaurants_Test_Data_phaseB.xml
           (SemEval-2014 Task 4, restaurants; davidsbatista/Aspect-Based-Sentiment-Analysis,
           datasets/ABSA-SemEval2014/)
--mabsa:   the data/ folder of swaggy66/M-ABSA (only <domain>/ru/{train,dev,test}.txt are read)

Writes <out>/<set>/{train,test}.tsv with `category<TAB>text` per line.

Multi-label sentences become single-label by keeping only the sentences whose aspects all share one
category (a sentence about food and service is dropped, not guessed). M-ABSA's dev split joins its
training split (the evaluation tunes nothing on it). Categories with fewer than MIN_PER_CLASS
sentences over all splits are dropped: a category with a handful of examples measures noise.
"""
import argparse
import ast
import collections
import os
import xml.etree.ElementTree as ET

MIN_PER_CLASS = 30


def clean(text):
    return " ".join(text.replace("\t", " ").split())


def semeval(path):
    out = []
    for s in ET.parse(path).getroot().iter("sentence"):
        cats = {c.get("category") for c in s.iter("aspectCategory")}
        text = clean(s.findtext("text") or "")
        if len(cats) == 1 and text:
            out.append((cats.pop(), text))
    return out


def mabsa(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "####" not in line:
                continue
            text, labels = line.rstrip("\n").split("####", 1)
            try:
                cats = {t[1] for t in ast.literal_eval(labels)}
            except (SyntaxError, ValueError):
                # A few label lists quote an apostrophe badly ('Baluchi 's'): such a line is dropped.
                continue
            text = clean(text)
            if len(cats) == 1 and text:
                out.append((cats.pop(), text))
    return out


def write(out_dir, name, train, test):
    counts = collections.Counter(c for c, _ in train + test)
    keep = {c for c, n in counts.items() if n >= MIN_PER_CLASS}
    os.makedirs(os.path.join(out_dir, name), exist_ok=True)
    for split, rows in (("train", train), ("test", test)):
        with open(os.path.join(out_dir, name, f"{split}.tsv"), "w", encoding="utf-8") as f:
            for c, t in rows:
                if c in keep:
                    f.write(f"{c}\t{t}\n")
    kept = [(c, t) for c, t in train if c in keep]
    print(f"{name}: {len(kept)} train, {sum(1 for c, _ in test if c in keep)} test, {len(keep)} categories")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--semeval")
    ap.add_argument("--mabsa")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.semeval:
        write(a.out, "semeval14-restaurants-en",
              semeval(os.path.join(a.semeval, "Restaurants_Train_v2.xml")),
              semeval(os.path.join(a.semeval, "Restaurants_Test_Data_phaseB.xml")))
    if a.mabsa:
        for domain in ("laptop", "restaurant"):
            d = os.path.join(a.mabsa, domain, "ru")
            write(a.out, f"mabsa-{domain}-ru",
                  mabsa(os.path.join(d, "train.txt")) + mabsa(os.path.join(d, "dev.txt")),
                  mabsa(os.path.join(d, "test.txt")))


if __name__ == "__main__":
    main()
