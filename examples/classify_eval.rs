//! The Rust side of the category-suggestion evaluation (benches/classify/evaluate.py): trains the
//! classifier of `scanback::domain::classifier` on a TSV file and prints one prediction per test
//! line, so the script scores it and scikit-learn on identical splits.
//!
//!     cargo run --release --example classify_eval -- TRAIN.tsv TEST.tsv [SEEDS.tsv]
//!
//! With `CLASSIFY_MODEL=cnb` it predicts with complement naive Bayes (Rennie et al., 2003) over the
//! same features instead: the alternative the evaluation compared (docs/performance.md).
//!
//! TSV lines are `category<TAB>text`; seeds are `category<TAB>label or keywords` (what a
//! manufacturer's category labels and keywords are in the product). Timings go to stderr as
//! `train_ms=… labels=… suggest_us=…`.

use std::time::Instant;

use scanback::domain::classifier::{Example, Model, Options};
use scanback::domain::text::{Analyzer, Idf};

/// Complement naive Bayes on the TF-IDF vectors: per class, the smoothed log share of each feature
/// in every *other* class; the class whose complement fits the text worst wins.
fn complement_nb(train: &[Example], test: &[Example]) -> Vec<String> {
    let a = Analyzer::default();
    let counts: Vec<Vec<(u32, f32)>> = train.iter().map(|e| a.counts(&e.text)).collect();
    let idf = Idf::fit(counts.iter().map(Vec::as_slice));
    let mut classes: Vec<&str> = train.iter().map(|e| e.class.as_str()).collect();
    classes.sort_unstable();
    classes.dedup();
    let k = classes.len();
    if k == 0 {
        return vec![String::new(); test.len()];
    }
    let d = idf.len();
    let mut per_class = vec![0.0f32; d * k];
    for (e, c) in train.iter().zip(&counts) {
        let y = classes.binary_search(&e.class.as_str()).unwrap_or(0);
        for (col, v) in idf.vector(c, 0.5) {
            per_class[col as usize * k + y] += v * e.weight;
        }
    }
    let alpha = 0.3f32;
    let mut total = vec![0.0f32; d];
    for j in 0..d {
        total[j] = per_class[j * k..j * k + k].iter().sum();
    }
    let mut w = vec![0.0f32; d * k];
    let mut sums = vec![0.0f32; k];
    for j in 0..d {
        for y in 0..k {
            sums[y] += total[j] - per_class[j * k + y] + alpha;
        }
    }
    for j in 0..d {
        for y in 0..k {
            w[j * k + y] = ((total[j] - per_class[j * k + y] + alpha) / sums[y]).ln();
        }
    }
    test.iter()
        .map(|e| {
            let x = idf.vector(&a.counts(&e.text), 0.5);
            let mut score = vec![0.0f32; k];
            for (col, v) in x {
                for y in 0..k {
                    score[y] -= v * w[col as usize * k + y];
                }
            }
            let best = (0..k).fold(0, |b, y| if score[y] > score[b] { y } else { b });
            classes[best].to_owned()
        })
        .collect()
}

fn read(path: &str, weight: f32) -> Vec<Example> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    text.lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(c, t)| Example { class: c.to_owned(), text: t.to_owned(), weight })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: classify_eval TRAIN.tsv TEST.tsv [SEEDS.tsv]");
        std::process::exit(2);
    }
    let train = read(&args[0], 1.0);
    let test = read(&args[1], 1.0);
    let seeds = args.get(2).map(|p| read(p, scanback::domain::classifier::SEED_WEIGHT)).unwrap_or_default();
    if std::env::var("CLASSIFY_MODEL").as_deref() == Ok("cnb") {
        let all: Vec<Example> = train.iter().chain(&seeds).cloned().collect();
        let started = Instant::now();
        let out = complement_nb(&all, &test);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        print!("{}", out.iter().map(|c| format!("{c}\n")).collect::<String>());
        eprintln!("train_ms={ms:.1} labels={}", train.len());
        return;
    }
    let started = Instant::now();
    let model = Model::train(&train, &seeds, &Options::default());
    let train_ms = started.elapsed().as_secs_f64() * 1000.0;
    let started = Instant::now();
    let mut out = String::new();
    for e in &test {
        let guess = model.as_ref().and_then(|m| m.predict(&e.text)).map(|s| s.class).unwrap_or_default();
        out.push_str(&guess);
        out.push('\n');
    }
    let suggest_us = started.elapsed().as_secs_f64() * 1e6 / test.len().max(1) as f64;
    print!("{out}");
    eprintln!("train_ms={train_ms:.1} labels={} suggest_us={suggest_us:.1}", train.len());
}
