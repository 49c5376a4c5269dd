//! Themes and rising terms of customer comments, pure and deterministic: the same comments always
//! give the same themes in the same order (fixed hash seeds, every tie broken by input order).
//!
//! Themes: near-duplicate comments ("the handle gets hot" written forty ways) become one theme with
//! a count, its members (the most central first) and a label in the customers' own words. The
//! features are the classifier's ([`super::text`]: stems, a negation joined to its word, word 1–2-
//! grams, character 2–5-grams), so typos and Russian inflection fold the same way there and here.
//!
//! Why cosine over TF-IDF scores, MinHash only proposes: MinHash estimates the Jaccard overlap of
//! feature *sets*, where a common character gram ("ка ", " th") counts as much as a rare stem;
//! TF-IDF weighs the rare, telling features up. But cosine over every pair is quadratic (10,000
//! comments: 50 million pairs; measured in docs/performance.md), so MinHash with LSH banding (32
//! bands of 3 rows) proposes the pairs worth scoring; the test
//! `lsh_finds_the_pairs_that_all_pairs_finds` holds it to the all-pairs answer on the fixtures.
//!
//! Why cosine is not enough on its own (measured on the fixtures): in a three-word comment a typo
//! ("грется") and another word ("крышка" for "ручка") both change a third of the features, so
//! both score 0.45–0.5 against "ручка сильно греется"; variants of one complaint score 0.33–0.65,
//! other complaints about the same part 0.2. So a pair must also *agree*: every telling word of the
//! shorter comment is in the longer one, as the same stem or within a typo or two (edit distance,
//! by length, as search engines' "fuzziness: auto"). And a negation is a hard line: a comment with
//! "не греется" never joins one with "греется" (by cosine they are 0.46 alike: the characters are
//! the same).
//!
//! Grouping is star clustering: the comment with the most agreeing neighbours becomes a theme's
//! centre and takes every still-free neighbour, then the next. Every member is similar to its
//! centre (no chains from "handle hot" through "handle loose" to "lid loose", as single-link makes).

use std::collections::HashMap;

use super::text::{Analyzer, Idf, Sparse, Word};

/// Cosine similarity from which two agreeing comments are the same theme. On the fixtures below
/// variants of one complaint score 0.33–0.65 against its plainest wording, different complaints
/// about the same part ("ручка греется" / "ручка шатается") about 0.2.
pub const SIMILARITY: f32 = 0.3;
/// Share of the vector given to word features (the rest to character grams): as the classifier.
const WORD_WEIGHT: f32 = 0.5;
/// LSH: `BANDS` bands of `ROWS` MinHash values each.
const BANDS: usize = 32;
const ROWS: usize = 3;
/// A band bucket with more comments than this pairs each only with its first `BUCKET_CAP`: a
/// thousand identical "hot!" would otherwise be half a million pairs, and the centre is among the
/// first anyway.
const BUCKET_CAP: usize = 64;
/// Words a label leaves out: they say nothing about what happened.
const STOPWORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "is",
    "it",
    "its",
    "and",
    "or",
    "to",
    "of",
    "in",
    "on",
    "for",
    "with",
    "my",
    "this",
    "that",
    "was",
    "are",
    "be",
    "i",
    "me",
    "very",
    "so",
    "too",
    "after",
    "when",
    "but",
    "at",
    "as",
    "we",
    "has",
    "have",
    "и",
    "в",
    "во",
    "на",
    "с",
    "со",
    "у",
    "к",
    "по",
    "за",
    "из",
    "о",
    "об",
    "а",
    "но",
    "что",
    "это",
    "как",
    "так",
    "does",
    "do",
    "did",
    "were",
    "will",
    "would",
    "can",
    "could",
    "ca",
    "wo",
    "очень",
    "уже",
    "я",
    "мы",
    "мне",
    "он",
    "она",
    "оно",
    "при",
    "для",
    "от",
];

fn is_stopword(surface: &str) -> bool {
    STOPWORDS.contains(&surface)
}

/// A group of similar comments.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// Comments in the theme, exact repeats included.
    pub count: usize,
    /// The theme's telling words as customers wrote them, in the order they usually write them.
    pub label: String,
    /// The stems behind the label.
    pub terms: Vec<String>,
    /// Indices into the input: the centre first, then the rest by similarity to it.
    pub members: Vec<usize>,
}

/// One distinct comment (exact repeats, after folding case and punctuation, are one).
struct Doc {
    words: Vec<Word>,
    vector: Sparse,
    /// Stems that stand plainly, and stems that stand negated: the negation line between themes.
    plain: Vec<String>,
    negated: Vec<String>,
    /// Words that carry meaning (no stopword): what [`Doc::agrees`] matches.
    content: Vec<Content>,
    /// Input indices of this comment and its repeats, in input order.
    originals: Vec<usize>,
}

struct Content {
    term: String,
    negated: bool,
    surface: Vec<char>,
}

/// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`, counted up to
/// `limit + 1`: the optimal string alignment distance.
fn edits(a: &[char], b: &[char], limit: usize) -> usize {
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()].min(limit + 1)
}

/// Typos allowed in a word, by its length (as search engines' "fuzziness: auto"): none up to two
/// letters, one up to five, two beyond.
fn typos_allowed(len: usize) -> usize {
    match len {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    }
}

impl Content {
    /// The same word: the same term (inflections fold there), or a typo of it, both or neither
    /// negated.
    fn matches(&self, other: &Content) -> bool {
        if self.term == other.term {
            return true;
        }
        let limit = typos_allowed(self.surface.len().max(other.surface.len()));
        self.negated == other.negated && limit > 0 && edits(&self.surface, &other.surface, limit) <= limit
    }
}

impl Doc {
    fn weight(&self) -> usize {
        self.originals.len()
    }

    /// Whether every telling word of the shorter comment is in the longer one (or a typo of one):
    /// "ручка сильно грется" agrees with "ручка сильно греется, обожглась", "крышка сильно
    /// греется" does not, though its cosine is as high (one word of three differs either way, and
    /// only this tells a misspelt word from another word).
    fn agrees(&self, other: &Doc) -> bool {
        let (short, long) = if self.content.len() <= other.content.len() { (self, other) } else { (other, self) };
        !short.content.is_empty() && short.content.iter().all(|w| long.content.iter().any(|o| w.matches(o)))
    }

    /// "не греется" against "греется": the same stem, once negated and once not.
    fn contradicts(&self, other: &Doc) -> bool {
        let clash = |neg: &[String], plain: &[String]| neg.iter().any(|n| plain.binary_search(n).is_ok());
        clash(&self.negated, &other.plain) || clash(&other.negated, &self.plain)
    }
}

/// The stem of a term without its negation prefix (`не_греет` -> `греет`).
fn base(w: &Word) -> &str {
    if w.negated { w.term.split_once('_').map_or(w.term.as_str(), |(_, s)| s) } else { w.term.as_str() }
}

/// How a word is shown: its folded surface, with the negation that stood before it.
fn shown(w: &Word) -> String {
    match w.term.split_once('_') {
        Some((neg, _)) if w.negated => format!("{neg} {}", w.surface),
        _ => w.surface.clone(),
    }
}

fn analyse(analyzer: &Analyzer, texts: &[&str]) -> (Vec<Doc>, Vec<Vec<(u32, f32)>>) {
    let mut docs: Vec<Doc> = Vec::new();
    let mut counts: Vec<Vec<(u32, f32)>> = Vec::new();
    let mut seen: HashMap<Vec<(u32, u32)>, usize> = HashMap::new();
    for (i, text) in texts.iter().enumerate() {
        let c = analyzer.counts(text);
        if c.is_empty() {
            continue;
        }
        let key: Vec<(u32, u32)> = c.iter().map(|(h, n)| (*h, *n as u32)).collect();
        if let Some(&d) = seen.get(&key) {
            docs[d].originals.push(i);
            continue;
        }
        seen.insert(key, docs.len());
        let words = analyzer.words(text);
        let mut plain: Vec<String> = words.iter().filter(|w| !w.negated).map(|w| w.term.clone()).collect();
        let mut negated: Vec<String> = words.iter().filter(|w| w.negated).map(|w| base(w).to_owned()).collect();
        plain.sort_unstable();
        plain.dedup();
        negated.sort_unstable();
        negated.dedup();
        let content = words
            .iter()
            .filter(|w| !is_stopword(&w.surface))
            .map(|w| Content { term: w.term.clone(), negated: w.negated, surface: w.surface.chars().collect() })
            .collect();
        docs.push(Doc { words, vector: Sparse::new(), plain, negated, content, originals: vec![i] });
        counts.push(c);
    }
    (docs, counts)
}

/// A 64-bit mixer (splitmix64's finaliser): one MinHash function per seed.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Pairs `(i, j)`, `i < j`, whose feature sets share a MinHash band: the candidates to score.
fn lsh_pairs(counts: &[Vec<(u32, f32)>]) -> Vec<(u32, u32)> {
    let seeds: Vec<u64> = (0..BANDS * ROWS).map(|k| mix(0x5ca9_bacc ^ k as u64)).collect();
    let mut buckets: HashMap<(u16, u64), Vec<u32>> = HashMap::new();
    let mut signature = vec![u64::MAX; seeds.len()];
    for (d, c) in counts.iter().enumerate() {
        signature.fill(u64::MAX);
        for (h, _) in c {
            let x = u64::from(*h);
            for (s, seed) in signature.iter_mut().zip(&seeds) {
                *s = (*s).min(mix(x ^ seed));
            }
        }
        for (band, rows) in signature.chunks(ROWS).enumerate() {
            let key = rows.iter().fold(band as u64, |acc, r| mix(acc ^ r));
            buckets.entry((band as u16, key)).or_default().push(d as u32);
        }
    }
    let mut pairs = Vec::new();
    for members in buckets.values() {
        for (k, &j) in members.iter().enumerate().skip(1) {
            for &i in &members[..k.min(BUCKET_CAP)] {
                pairs.push((i, j));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Every pair: the exact answer LSH approximates (tests and the measurement only).
fn all_pairs(n: usize) -> Vec<(u32, u32)> {
    (0..n as u32).flat_map(|j| (0..j).map(move |i| (i, j))).collect()
}

fn cosine(a: &Sparse, b: &Sparse) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// How candidate pairs are found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Candidates {
    /// MinHash LSH: what [`themes`] uses.
    Lsh,
    /// Every pair: quadratic, for measuring LSH against.
    All,
}

/// Themes of `texts` with at least `min_count` comments, largest first (ties: the one whose centre
/// comes first in the input). Comments without a word (emoji, punctuation) belong to none.
pub fn themes(texts: &[&str], min_count: usize) -> Vec<Theme> {
    themes_with(texts, min_count, Candidates::Lsh)
}

pub fn themes_with(texts: &[&str], min_count: usize, candidates: Candidates) -> Vec<Theme> {
    let analyzer = Analyzer::default();
    let (mut docs, counts) = analyse(&analyzer, texts);
    let idf = Idf::fit(counts.iter().map(Vec::as_slice));
    for (d, c) in docs.iter_mut().zip(&counts) {
        d.vector = idf.vector(c, WORD_WEIGHT);
    }
    let pairs = match candidates {
        Candidates::Lsh => lsh_pairs(&counts),
        Candidates::All => all_pairs(docs.len()),
    };
    let mut neighbours: Vec<Vec<(u32, f32)>> = vec![Vec::new(); docs.len()];
    for (i, j) in pairs {
        let (a, b) = (&docs[i as usize], &docs[j as usize]);
        let sim = cosine(&a.vector, &b.vector);
        if sim >= SIMILARITY && !a.contradicts(b) && a.agrees(b) {
            neighbours[i as usize].push((j, sim));
            neighbours[j as usize].push((i, sim));
        }
    }
    // Centres in order of how many comments they stand for (themselves and their neighbours).
    let degree: Vec<usize> = (0..docs.len())
        .map(|d| docs[d].weight() + neighbours[d].iter().map(|(n, _)| docs[*n as usize].weight()).sum::<usize>())
        .collect();
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|a, b| degree[*b].cmp(&degree[*a]).then(docs[*a].originals[0].cmp(&docs[*b].originals[0])));
    let mut taken = vec![false; docs.len()];
    let mut out: Vec<Theme> = Vec::new();
    let corpus_df = document_frequencies(&docs);
    let corpus_n: usize = docs.iter().map(Doc::weight).sum();
    for centre in order {
        if taken[centre] {
            continue;
        }
        let mut free: Vec<(usize, f32)> =
            neighbours[centre].iter().filter(|(n, _)| !taken[*n as usize]).map(|(n, s)| (*n as usize, *s)).collect();
        free.sort_by(|a, b| b.1.total_cmp(&a.1).then(docs[a.0].originals[0].cmp(&docs[b.0].originals[0])));
        // Most similar first; none that contradicts a member already in (the negation line holds
        // between members too, not only with the centre).
        let mut group: Vec<(usize, f32)> = vec![(centre, 2.0)];
        for (n, s) in free {
            if group.iter().all(|(m, _)| !docs[*m].contradicts(&docs[n])) {
                group.push((n, s));
            }
        }
        let count: usize = group.iter().map(|(d, _)| docs[*d].weight()).sum();
        if count < min_count.max(1) {
            continue;
        }
        for (d, _) in &group {
            taken[*d] = true;
        }
        let members: Vec<&Doc> = group.iter().map(|(d, _)| &docs[*d]).collect();
        let (label, terms) = label(&members, &corpus_df, corpus_n);
        out.push(Theme {
            count,
            label,
            terms,
            members: members.iter().flat_map(|d| d.originals.iter().copied()).collect(),
        });
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.members[0].cmp(&b.members[0])));
    out
}

/// In how many comments (repeats counted) each term occurs.
fn document_frequencies(docs: &[Doc]) -> HashMap<&str, usize> {
    let mut df: HashMap<&str, usize> = HashMap::new();
    for d in docs {
        let mut terms: Vec<&str> = d.words.iter().map(|w| w.term.as_str()).collect();
        terms.sort_unstable();
        terms.dedup();
        for t in terms {
            *df.entry(t).or_default() += d.weight();
        }
    }
    df
}

/// Words in more than half of a theme's comments may name it.
const LABEL_SHARE: f64 = 0.5;
/// Words in a label, at most.
const LABEL_WORDS: usize = 4;
/// Members a label is read from: the most central ones (bounds the work on a huge theme).
const LABEL_MEMBERS: usize = 200;

/// A theme's label: its telling words (in most of its comments, rare elsewhere: share × IDF), each
/// shown as customers wrote it most often, in their usual order. A typo counts for the word it
/// misspells (the first spelling met, the centre's), so "грется" adds to "греется" and the label
/// shows the spelling most customers used.
fn label(members: &[&Doc], corpus_df: &HashMap<&str, usize>, corpus_n: usize) -> (String, Vec<String>) {
    struct Stat<'a> {
        word: &'a Content,
        df: usize,
        position: f64,
        surfaces: HashMap<String, usize>,
    }
    let members = &members[..members.len().min(LABEL_MEMBERS)];
    let total: usize = members.iter().map(|d| d.weight()).sum();
    let mut stats: Vec<Stat> = Vec::new();
    for d in members {
        let len = d.words.len().max(1) as f64;
        let mut seen: Vec<usize> = Vec::new();
        let content = d.words.iter().enumerate().filter(|(_, w)| !is_stopword(&w.surface)).zip(&d.content);
        for ((i, w), c) in content {
            let k = match stats.iter().position(|s| s.word.matches(c)) {
                Some(k) => k,
                None => {
                    stats.push(Stat { word: c, df: 0, position: 0.0, surfaces: HashMap::new() });
                    stats.len() - 1
                }
            };
            if seen.contains(&k) {
                continue;
            }
            seen.push(k);
            let s = &mut stats[k];
            s.df += d.weight();
            s.position += d.weight() as f64 * i as f64 / len;
            *s.surfaces.entry(shown(w)).or_default() += d.weight();
        }
    }
    let idf = |t: &str| ((1.0 + corpus_n as f64) / (1.0 + *corpus_df.get(t).unwrap_or(&0) as f64)).ln() + 1.0;
    // (index, score): ties go to the word met first.
    let mut ranked: Vec<(usize, f64)> = stats
        .iter()
        .enumerate()
        .filter(|(_, s)| s.df as f64 > LABEL_SHARE * total as f64)
        .map(|(k, s)| (k, s.df as f64 / total as f64 * idf(&s.word.term)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(LABEL_WORDS);
    let mean_position = |k: usize| stats[k].position / stats[k].df as f64;
    ranked.sort_by(|a, b| mean_position(a.0).total_cmp(&mean_position(b.0)).then(a.0.cmp(&b.0)));
    if ranked.is_empty() {
        // Nothing shared by most of the theme: the centre's own first words.
        let words: Vec<String> =
            members.first().map(|d| d.words.iter().take(LABEL_WORDS).map(shown).collect()).unwrap_or_default();
        return (words.join(" "), Vec::new());
    }
    let shown_as = |s: &Stat| {
        let mut forms: Vec<(&String, &usize)> = s.surfaces.iter().collect();
        forms.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        forms.first().map(|(f, _)| (*f).clone()).unwrap_or_default()
    };
    let label: Vec<String> = ranked.iter().map(|(k, _)| shown_as(&stats[*k])).collect();
    (label.join(" "), ranked.iter().map(|(k, _)| stats[*k].word.term.clone()).collect())
}

/// A word or two-word phrase whose share of comments rose against the baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Rise {
    /// As customers wrote it this period, most often.
    pub phrase: String,
    /// Comments of this period that have it, and of the baseline.
    pub now: u32,
    pub before: u32,
    /// Dunning's log-likelihood ratio G² of the 2×2 table (has it / not, now / baseline).
    pub score: f64,
    /// The share of comments now over the share before, both smoothed by half a comment.
    pub ratio: f64,
}

/// A phrase needs this many comments this period to be a rise: two is chance.
pub const MIN_NOW: u32 = 3;
/// G² at which a rise is shown: p < 0.01 for one phrase on its own (χ² with one degree of freedom).
/// Many phrases are tried at once, so this screens rather than proves; the minimum count and the
/// ratio keep chance out of the top of the list.
pub const MIN_SCORE: f64 = 6.63;
/// The smoothed share must at least double.
pub const MIN_RATIO: f64 = 2.0;

/// Word unigrams (stems, a negation joined) and adjacent bigrams of a comment, each once, keyed by
/// their terms, with how they were written. Stopwords are no phrase and no end of one.
fn phrases(words: &[Word]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if is_stopword(&w.surface) {
            continue;
        }
        out.push((w.term.clone(), shown(w)));
        if let Some(next) = words.get(i + 1).filter(|n| !is_stopword(&n.surface)) {
            out.push((format!("{} {}", w.term, next.term), format!("{} {}", shown(w), shown(next))));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// Per phrase key: the comments that have it, and how often each spelling was written.
type Tally = HashMap<String, (u32, HashMap<String, u32>)>;

/// G² of has / has not, now (`a` of `n1`) against the baseline (`b` of `n0`).
pub fn log_likelihood(a: u32, n1: u32, b: u32, n0: u32) -> f64 {
    let (a, n1, b, n0) = (f64::from(a), f64::from(n1), f64::from(b), f64::from(n0));
    let n = n1 + n0;
    let with = a + b;
    let term = |o: f64, e: f64| if o > 0.0 && e > 0.0 { o * (o / e).ln() } else { 0.0 };
    2.0 * (term(a, n1 * with / n)
        + term(n1 - a, n1 * (n - with) / n)
        + term(b, n0 * with / n)
        + term(n0 - b, n0 * (n - with) / n))
}

/// Phrases of `now` whose share of comments rose against `baseline` (the comments of the weeks
/// before), best first, at most `limit`. Shares, not counts, so a busier week is no rise by itself;
/// each comment counts a phrase once, so one customer repeating a word is one. No baseline, no
/// rise: a new line has nothing to rise against.
pub fn rising(now: &[&str], baseline: &[&str], limit: usize) -> Vec<Rise> {
    let analyzer = Analyzer::default();
    let tally = |texts: &[&str]| -> (Tally, u32) {
        let mut out: HashMap<String, (u32, HashMap<String, u32>)> = HashMap::new();
        let mut n = 0;
        for t in texts {
            let words = analyzer.words(t);
            if words.is_empty() {
                continue;
            }
            n += 1;
            for (key, surface) in phrases(&words) {
                let e = out.entry(key).or_default();
                e.0 += 1;
                *e.1.entry(surface).or_default() += 1;
            }
        }
        (out, n)
    };
    let (this, n1) = tally(now);
    let (before, n0) = tally(baseline);
    if n1 == 0 || n0 == 0 {
        return Vec::new();
    }
    let mut rises: Vec<(String, Rise)> = this
        .into_iter()
        .filter(|(_, (a, _))| *a >= MIN_NOW)
        .filter_map(|(key, (a, surfaces))| {
            let b = before.get(&key).map_or(0, |e| e.0);
            let ratio = ((f64::from(a) + 0.5) / (f64::from(n1) + 1.0)) / ((f64::from(b) + 0.5) / (f64::from(n0) + 1.0));
            let score = log_likelihood(a, n1, b, n0);
            if ratio < MIN_RATIO || score < MIN_SCORE {
                return None;
            }
            let mut forms: Vec<(String, u32)> = surfaces.into_iter().collect();
            forms.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            let phrase = forms.into_iter().next().map(|(f, _)| f).unwrap_or_default();
            Some((key, Rise { phrase, now: a, before: b, score, ratio }))
        })
        .collect();
    // Best first; on a tie the longer phrase, which says more than either of its words.
    let words = |k: &str| k.split(' ').count();
    rises.sort_by(|x, y| y.1.score.total_cmp(&x.1.score).then(words(&y.0).cmp(&words(&x.0))).then(x.0.cmp(&y.0)));
    // A word and the phrase it is in usually rise together: show one, unless the other has clearly
    // more comments of its own.
    let mut out: Vec<(String, Rise)> = Vec::new();
    for (key, r) in rises {
        let parts: Vec<&str> = key.split(' ').collect();
        let overlaps = out.iter().any(|(k, o)| {
            let other: Vec<&str> = k.split(' ').collect();
            let nested = parts.iter().all(|p| other.contains(p)) || other.iter().all(|p| parts.contains(p));
            nested && f64::from(o.now) >= 0.8 * f64::from(r.now)
        });
        if !overlaps {
            out.push((key, r));
        }
        if out.len() == limit {
            break;
        }
    }
    out.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Forty ways customers write "the handle gets very hot", in Russian: word order, inflection,
    /// case, punctuation, filler words and typos ("грется", "ручька", a Latin "c" in "cильно").
    const HOT_RU: [&str; 40] = [
        "Ручка сильно греется",
        "ручка очень сильно греется",
        "Ручка греется сильно!",
        "сильно греется ручка",
        "ручка сильно грется",
        "ручька сильно греется",
        "Ручка сильно греиться",
        "ручка сильно греется при готовке",
        "ручка у сковороды сильно греется",
        "ручки сильно греются",
        "Ручка сильна греется",
        "РУЧКА СИЛЬНО ГРЕЕТСЯ!!!",
        "ручка сильно греется на плите",
        "ручка сильно греется уже через пять минут",
        "Ручка сильно греется.",
        "ручка cильно греется",
        "ручка ужасно сильно греется",
        "ручка сковородки сильно греется",
        "ручка сильно нагревается и греется",
        "ручка сильно греется, обожглась",
        "ручка сильно греется, жалко",
        "ручка сильно греется, держать нельзя",
        "Ручка сильно греется :(",
        "ручка сильно греется, хотя обещали иначе",
        "ручка сильно греется на газу",
        "ручка сильно греется даже на малом огне",
        "ручка греется очень сильно",
        "очень сильно греется ручка",
        "ручка сильно греится",
        "ручка сильно греетя",
        "ручка сильно греется!!",
        "ручка сильно греется.. ",
        "ручка сильно греется, хватаю прихваткой",
        "ручка сильно греется каждый раз",
        "ручка сильно-сильно греется",
        "ручка сильно греется через минуту",
        "ручка сильно греется, как и у старой",
        "у ручки сильно греется основание, ручка горячая",
        "Ручка сильно греется при жарке",
        "ручка сильно греется, неудобно",
    ];

    /// The same in English.
    const HOT_EN: [&str; 40] = [
        "The handle gets hot",
        "the handle gets very hot",
        "Handle gets hot!",
        "handle gets too hot",
        "the handle get hot",
        "the handel gets hot",
        "the hanlde gets hot",
        "handle is getting hot",
        "the handle gets really hot",
        "the handle gets hot when cooking",
        "handle gets hot on the stove",
        "The handle gets HOT",
        "handles get hot",
        "the handle gets hott",
        "the handle gets so hot",
        "handle getting hot",
        "the handle gets hot quickly",
        "the metal handle gets hot",
        "the pan handle gets hot",
        "the handle gets hot fast",
        "handle gets hot, burned my hand",
        "the handle gets hot after a minute",
        "the handle gets hot on gas",
        "the handle gets hot even on low heat",
        "THE HANDLE GETS HOT!!!",
        "the handle gets hot :(",
        "the handle gets hot every time",
        "the handle gets way too hot",
        "the handel gets very hot",
        "the handle gets hot, need a mitt",
        "the handle gets hot.",
        "handle gets hot too fast",
        "my handle gets hot",
        "the handle gets hot like the old one",
        "the handle gets hot while frying",
        "the handle gets hot, disappointing",
        "the handle gets hot within minutes",
        "handle gets hot, can't hold it",
        "the handle gets hot so quickly",
        "the handle gets hot on the induction hob",
    ];

    /// Praise that says the opposite: "не греется" must not join "греется".
    const COOL: [&str; 6] = [
        "ручка не греется",
        "Ручка совсем не греется, удобно",
        "ручка не греется даже на газу",
        "the handle does not get hot",
        "the handle doesn't get hot",
        "handle never gets hot",
    ];

    /// Other complaints, some about the same part.
    const OTHER: [&str; 12] = [
        "покрытие облезло",
        "покрытие облезло через месяц",
        "пакрытие облезло",
        "крышка треснула",
        "крышка треснула после мойки",
        "the lid cracked",
        "the lid cracked in the oven",
        "coating peels off",
        "the coating peels off",
        "ручка шатается",
        "ручка шатаеться",
        "доставка задержалась",
    ];

    fn corpus() -> Vec<&'static str> {
        HOT_RU.iter().chain(&HOT_EN).chain(&COOL).chain(&OTHER).copied().collect()
    }

    /// The theme that holds input `i`.
    fn theme_of(themes: &[Theme], i: usize) -> Option<&Theme> {
        themes.iter().find(|t| t.members.contains(&i))
    }

    #[test]
    fn forty_variants_of_one_complaint_are_one_theme_in_each_language() {
        let texts = corpus();
        let themes = themes(&texts, 2);
        let ru = theme_of(&themes, 0).expect("the Russian complaint is a theme");
        let missing: Vec<&str> = (0..40).filter(|i| !ru.members.contains(i)).map(|i| texts[i]).collect();
        assert!(missing.is_empty(), "left out: {missing:?}");
        let en = theme_of(&themes, 40).expect("the English complaint is a theme");
        let missing: Vec<&str> = (40..80).filter(|i| !en.members.contains(i)).map(|i| texts[i]).collect();
        assert!(missing.is_empty(), "left out: {missing:?}");
        // Nothing else joined them, and they are the two largest.
        assert_eq!((ru.count, en.count), (40, 40));
        assert_eq!(themes[0].count, 40);
        assert_eq!(themes[1].count, 40);
        // Labels in the customers' words, in their order.
        assert_eq!(ru.label, "ручка сильно греется");
        assert_eq!(en.label, "handle gets hot");
        // The centre is the plainest wording.
        assert!(HOT_RU.contains(&texts[ru.members[0]]) && HOT_EN.contains(&texts[en.members[0]]));
    }

    #[test]
    fn a_negation_never_joins_the_plain_statement() {
        let texts = corpus();
        let themes = themes(&texts, 2);
        let ru = theme_of(&themes, 0).unwrap();
        let en = theme_of(&themes, 40).unwrap();
        for (i, text) in texts.iter().enumerate().take(86).skip(80) {
            assert!(!ru.members.contains(&i) && !en.members.contains(&i), "{text} joined a complaint");
        }
        // The praise is a theme of its own, labelled with its negation.
        let cool = theme_of(&themes, 80).expect("the Russian praise is a theme");
        assert!(cool.label.contains("не греется"), "{}", cool.label);
        assert!(cool.members.contains(&81));
        let cool_en = theme_of(&themes, 83).expect("the English praise is a theme");
        assert!(cool_en.members.contains(&84), "{cool_en:?}");
        assert!(cool_en.label.contains("not get"), "{}", cool_en.label);
    }

    #[test]
    fn unrelated_complaints_stay_apart_and_singles_are_no_theme() {
        let texts = corpus();
        let themes = themes(&texts, 2);
        let groups: Vec<Vec<usize>> = [86, 89, 91, 93, 95]
            .iter()
            .map(|&i| {
                let mut m = theme_of(&themes, i).unwrap_or_else(|| panic!("{} is no theme", texts[i])).members.clone();
                m.sort_unstable();
                m
            })
            .collect();
        assert_eq!(groups, [vec![86, 87, 88], vec![89, 90], vec![91, 92], vec![93, 94], vec![95, 96]]);
        // "ручка шатается" shares the handle, not the complaint.
        assert!(theme_of(&themes, 95).unwrap().label.contains("шатается"));
        // One comment about delivery is no theme.
        assert!(theme_of(&themes, 97).is_none());
        assert_eq!(theme_of(&themes, 91).unwrap().label, "lid cracked");
        assert_eq!(theme_of(&themes, 89).unwrap().label, "крышка треснула");
    }

    #[test]
    fn the_same_symptom_of_another_part_is_another_theme() {
        // As similar by cosine as a typo (one word of three differs), but a different word.
        let mut texts = corpus();
        texts.extend(["крышка сильно греется", "Крышка сильно греется!", "the lid gets hot", "the lid gets hot too"]);
        let themes = themes(&texts, 2);
        assert_eq!(theme_of(&themes, 0).unwrap().count, 40);
        assert_eq!(theme_of(&themes, 40).unwrap().count, 40);
        let lid = theme_of(&themes, 98).expect("the hot lid is a theme");
        assert_eq!((lid.count, lid.label.as_str()), (2, "крышка сильно греется"));
        assert_eq!(theme_of(&themes, 100).unwrap().label, "lid gets hot");
    }

    #[test]
    fn themes_are_deterministic_and_ordered_by_count() {
        let texts = corpus();
        let a = themes(&texts, 2);
        assert_eq!(a, themes(&texts, 2));
        assert!(a.windows(2).all(|w| w[0].count >= w[1].count));
        // Exact repeats count, and examples still name each report.
        let mut repeated = texts.clone();
        repeated.extend(["покрытие облезло"; 5]);
        let t = themes(&repeated, 2);
        let coating = theme_of(&t, 86).unwrap();
        assert_eq!(coating.count, 8);
        assert!((98..103).all(|i| coating.members.contains(&i)));
        // Nothing to group: no theme.
        assert!(themes(&["!!!", "🙂", ""], 1).is_empty());
    }

    #[test]
    fn lsh_finds_the_pairs_that_all_pairs_finds() {
        let texts = corpus();
        assert_eq!(themes_with(&texts, 2, Candidates::Lsh), themes_with(&texts, 2, Candidates::All));
    }

    #[test]
    fn log_likelihood_matches_hand_computed_values() {
        // 5 of 20 comments now, 2 of 80 before: E = 1.4, 18.6, 5.6, 74.4;
        // G² = 2(5 ln(5/1.4) + 15 ln(15/18.6) + 2 ln(2/5.6) + 78 ln(78/74.4)) = 9.53.
        assert!((log_likelihood(5, 20, 2, 80) - 9.53).abs() < 0.01, "{}", log_likelihood(5, 20, 2, 80));
        // 3 of 20 against none of 80: 2(3 ln 5 + 17 ln(17/19.4) + 80 ln(80/77.6)) = 10.04.
        assert!((log_likelihood(3, 20, 0, 80) - 10.04).abs() < 0.01, "{}", log_likelihood(3, 20, 0, 80));
        // The same share is no evidence at all.
        assert!(log_likelihood(5, 20, 20, 80).abs() < 1e-9);
    }

    fn repeat(parts: &[(&'static str, usize)]) -> Vec<&'static str> {
        parts.iter().flat_map(|(t, n)| std::iter::repeat_n(*t, *n)).collect()
    }

    #[test]
    fn a_phrase_whose_share_rose_is_a_rise_with_both_counts() {
        let baseline = repeat(&[("ручка греется", 40), ("покрытие облезло", 38), ("крышка треснула", 2)]);
        let now = repeat(&[("ручка греется", 10), ("покрытие облезло", 5), ("Крышка треснула!", 5)]);
        let rises = rising(&now, &baseline, 10);
        // The phrase and its two words rose alike: the phrase is shown once. The handle's share
        // stayed at 50 %, the coating's fell: neither is a rise.
        assert_eq!(rises.len(), 1, "{rises:?}");
        let r = &rises[0];
        assert_eq!((r.phrase.as_str(), r.now, r.before), ("крышка треснула", 5, 2));
        assert!((r.score - 9.53).abs() < 0.01);
        // (5.5 / 21) / (2.5 / 81)
        assert!((r.ratio - 8.486).abs() < 0.01, "{}", r.ratio);
    }

    #[test]
    fn small_counts_busier_weeks_and_no_baseline_are_no_rise() {
        let baseline = repeat(&[("ручка греется", 40), ("покрытие облезло", 40)]);
        // Two comments are chance, however large the ratio.
        let now = repeat(&[("ручка греется", 10), ("крышка треснула", 2)]);
        assert!(rising(&now, &baseline, 10).is_empty());
        // Four times the comments in the same mix: busier, not different.
        let busy = repeat(&[("ручка греется", 160), ("покрытие облезло", 160)]);
        assert!(rising(&busy, &baseline, 10).is_empty());
        // A new line has nothing to rise against.
        assert!(rising(&now, &[], 10).is_empty());
        // One customer shouting a word counts once.
        let shouted = repeat(&[("ручка греется", 10), ("крышка крышка крышка крышка", 1)]);
        assert!(rising(&shouted, &baseline, 10).is_empty());
    }

    #[test]
    fn a_negated_word_rises_on_its_own_and_stopwords_never_do() {
        let baseline = repeat(&[("the handle gets hot", 30), ("the lid cracked", 30)]);
        let now = repeat(&[("the handle gets hot", 5), ("the lid does not close", 6)]);
        let rises = rising(&now, &baseline, 10);
        let phrases: Vec<&str> = rises.iter().map(|r| r.phrase.as_str()).collect();
        assert!(phrases.contains(&"not close"), "{phrases:?}");
        assert!(!phrases.iter().any(|p| p.split(' ').any(is_stopword)), "{phrases:?}");
    }

    /// 10,000 synthetic comments (20 complaints, each word misspelt one time in five, filler words,
    /// both languages): the figures in docs/performance.md. `cargo test --lib themes_time --
    /// --ignored --nocapture` (add `--release` for the optimised figures).
    #[test]
    #[ignore = "a measurement, not a check"]
    fn themes_time_on_10000_comments() {
        const BASES: [&str; 20] = [
            "ручка сильно греется",
            "покрытие облезло через месяц",
            "крышка треснула после мойки",
            "ручка шатается и люфтит",
            "дно сковороды выгнулось",
            "пригорает даже с маслом",
            "на индукции не работает",
            "стеклянная крышка запотевает",
            "ручка отвалилась",
            "царапины на покрытии",
            "the handle gets hot",
            "coating peels off after a month",
            "the lid cracked in the dishwasher",
            "the handle is loose",
            "the bottom warped",
            "food sticks even with oil",
            "does not work on induction",
            "rust spots on the rim",
            "the knob broke off",
            "scratches on the coating",
        ];
        const FILLER: [&str; 6] = ["очень", "really", "сегодня", "again", "опять", "after a week"];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            seed.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        let texts: Vec<String> = (0..10_000)
            .map(|_| {
                let base = BASES[(next() % 20) as usize];
                let mut words: Vec<String> = base
                    .split(' ')
                    .map(|w| {
                        let mut c: Vec<char> = w.chars().collect();
                        if c.len() > 3 && next() % 5 == 0 {
                            let i = 1 + (next() as usize) % (c.len() - 2);
                            c.swap(i, i + 1);
                        }
                        c.into_iter().collect()
                    })
                    .collect();
                if next() % 3 == 0 {
                    words.push(FILLER[(next() % 6) as usize].to_owned());
                }
                words.join(" ")
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let t = std::time::Instant::now();
        let lsh = themes(&refs, 2);
        let lsh_time = t.elapsed();
        let top: Vec<(usize, &str)> = lsh.iter().take(20).map(|t| (t.count, t.label.as_str())).collect();
        println!("10,000 comments, LSH: {lsh_time:?}, {} themes; top 20: {top:?}", lsh.len());
        let small = &refs[..2_000];
        let t = std::time::Instant::now();
        let a = themes_with(small, 2, Candidates::Lsh);
        let small_lsh = t.elapsed();
        let t = std::time::Instant::now();
        let b = themes_with(small, 2, Candidates::All);
        let small_all = t.elapsed();
        let same = a.iter().zip(&b).filter(|(x, y)| x == y).count();
        println!("2,000 comments: LSH {small_lsh:?}, all pairs {small_all:?}; {same} of {} themes identical", b.len());
        let t = std::time::Instant::now();
        let half = refs.len() / 2;
        let r = rising(&refs[..half], &refs[half..], 10);
        println!("rising over 5,000 + 5,000: {:?}, {} rises", t.elapsed(), r.len());
    }
}
