//! The Rust side of the category-suggestion evaluation (benches/classify/evaluate.py): trains the
//! classifier of `scanback::domain::classifier` on a TSV file and prints one prediction per test
//! line, so the script scores it and scikit-learn on identical splits.
//!
//!     cargo run --release --example classify_eval -- TRAIN.tsv TEST.tsv [SEEDS.tsv]
//!
//! TSV lines are `category<TAB>text`; seeds are `category<TAB>label or keywords` (what a
//! manufacturer's category labels and keywords are in the product). Timings go to stderr as
//! `train_ms=… labels=… suggest_us=…`.

use std::time::Instant;

use scanback::domain::classifier::{Example, Model, Options};

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
