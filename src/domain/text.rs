//! Text features of short customer comments, in Russian and English: the one pipeline that category
//! suggestions use (and that grouping similar comments can reuse), pure and deterministic.
//!
//! text -> words (UAX #29 word boundaries, lower case, ё -> е) -> terms (Snowball stem by script,
//! a negation joined to the next word) -> hashed features (word 1–2-grams of terms, character
//! 2–5-grams inside each word, as scikit-learn's `char_wb`) -> TF-IDF vectors (L2-normalised per
//! block, so words and characters weigh the same whatever the comment's length).
//!
//! Why these choices: customers write short, misspelled, inflected text ("ручка сильно грется").
//! Stems fold inflection ("греется", "грелась"); character n-grams survive typos and words a
//! stemmer does not know; "не" joined to its word keeps "не греется" apart from "греется"; hashing
//! needs no vocabulary to ship or grow, and a model keeps only the features it has seen.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

/// One word of a comment: `surface` is the folded word, `term` what word n-grams are made of (its
/// stem, prefixed by a negation that stood before it: `negated` says so).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub surface: String,
    pub term: String,
    pub negated: bool,
}

/// Words that negate the next one: joined to it, so "не греется" is its own term.
const NEGATIONS: [&str; 6] = ["не", "нет", "ни", "not", "no", "never"];

/// Lower case, ё folded to е (most Russian text omits the dots), typographic apostrophes folded.
pub fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ё' => 'е',
            '’' | 'ʼ' => '\'',
            c => c,
        })
        .collect()
}

enum Script {
    Cyrillic,
    Latin,
    Other,
}

/// The script of a word by its first letter: Russian and English are the languages we stem.
fn script(word: &str) -> Script {
    match word.chars().find(|c| c.is_alphabetic()) {
        Some(c) if ('\u{0400}'..='\u{04FF}').contains(&c) => Script::Cyrillic,
        Some(c) if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) => Script::Latin,
        _ => Script::Other,
    }
}

/// Turns text into words and terms. Holds its stemmers; cheap to share (`Sync`).
pub struct Analyzer {
    russian: Stemmer,
    english: Stemmer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer { russian: Stemmer::create(Algorithm::Russian), english: Stemmer::create(Algorithm::English) }
    }
}

impl Analyzer {
    pub fn stem(&self, surface: &str) -> String {
        match script(surface) {
            Script::Cyrillic => self.russian.stem(surface).into_owned(),
            Script::Latin => self.english.stem(surface).into_owned(),
            Script::Other => surface.to_owned(),
        }
    }

    /// The words of `text`; a negation is not a word of its own but the prefix of the next term.
    pub fn words(&self, text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        let mut negated: Option<String> = None;
        for raw in text.unicode_words() {
            let surface = fold(raw);
            // "doesn't", "isn't": the English negation is inside the word.
            let (surface, inner_negation) = match surface.strip_suffix("n't") {
                Some(stem) if !stem.is_empty() => (stem.to_owned(), true),
                _ => (surface, false),
            };
            if NEGATIONS.contains(&surface.as_str()) || inner_negation {
                negated = Some(if inner_negation { "not".to_owned() } else { surface });
                continue;
            }
            let stem = self.stem(&surface);
            let (term, negated_word) = match negated.take() {
                Some(neg) => (format!("{neg}_{stem}"), true),
                None => (stem, false),
            };
            out.push(Word { surface, term, negated: negated_word });
        }
        // A trailing negation ("works? no") is a word after all.
        if let Some(neg) = negated {
            out.push(Word { term: neg.clone(), surface: neg, negated: false });
        }
        out
    }

    /// Hashed feature counts of `text`: word unigrams and bigrams of terms, character 2–5-grams of
    /// each word padded with spaces. Sorted by feature, each once. No allocation per gram: the
    /// grams starting at one character are hashed incrementally, and counting is a sort.
    pub fn counts(&self, text: &str) -> Vec<(u32, f32)> {
        let words = self.words(text);
        let mut hashes: Vec<u32> = Vec::with_capacity(words.len() * 40);
        let mut padded: Vec<char> = Vec::new();
        let mut utf8 = [0u8; 4];
        for (i, w) in words.iter().enumerate() {
            hashes.push(feature(Block::Word, &[w.term.as_str()]));
            if let Some(next) = words.get(i + 1) {
                hashes.push(feature(Block::Word, &[w.term.as_str(), next.term.as_str()]));
            }
            padded.clear();
            padded.push(' ');
            padded.extend(w.surface.chars());
            padded.push(' ');
            for start in 0..padded.len() {
                let mut h = FNV_OFFSET;
                for (n, c) in padded[start..].iter().take(5).enumerate() {
                    for b in c.encode_utf8(&mut utf8).bytes() {
                        h = fnv_byte(h, b);
                    }
                    if n >= 1 {
                        hashes.push(finish(Block::Char, h));
                    }
                }
            }
        }
        hashes.sort_unstable();
        let mut out: Vec<(u32, f32)> = Vec::with_capacity(hashes.len());
        for h in hashes {
            match out.last_mut() {
                Some((last, n)) if *last == h => *n += 1.0,
                _ => out.push((h, 1.0)),
            }
        }
        out
    }
}

/// Which block a feature belongs to (normalised separately).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    Word,
    Char,
}

/// Hashed features live below 2^31; the top bit tells character features from word ones.
const CHAR_BIT: u32 = 1 << 31;

pub fn block_of(feature: u32) -> Block {
    if feature & CHAR_BIT != 0 { Block::Char } else { Block::Word }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv_byte(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// Folds a 64-bit hash to 31 bits plus the block bit.
fn finish(block: Block, h: u64) -> u32 {
    let folded = ((h >> 31) ^ h) as u32 & !CHAR_BIT;
    match block {
        Block::Word => folded,
        Block::Char => folded | CHAR_BIT,
    }
}

/// FNV-1a over the parts (a unit separator between them), folded to 31 bits plus the block bit.
/// Stable across runs and machines, unlike `std`'s randomised hasher.
fn feature(block: Block, parts: &[&str]) -> u32 {
    let mut h = FNV_OFFSET;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h = fnv_byte(h, 0x1f);
        }
        for b in part.bytes() {
            h = fnv_byte(h, b);
        }
    }
    finish(block, h)
}

/// Features are hashes already: a map keyed by them needs only a multiplication to spread them,
/// not SipHash (which was most of a suggestion's time).
#[derive(Clone, Copy, Default)]
pub struct FeatureHasher(u64);

impl std::hash::Hasher for FeatureHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = fnv_byte(self.0, *b);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

pub type FeatureMap<V> = HashMap<u32, V, std::hash::BuildHasherDefault<FeatureHasher>>;

/// Inverse document frequencies of the features a corpus has, and the map from a feature to its
/// dense column: what turns counts into TF-IDF vectors. Unseen features are dropped, as a
/// fitted vocabulary drops unknown words.
#[derive(Clone, Debug, Default)]
pub struct Idf {
    columns: FeatureMap<u32>,
    idf: Vec<f32>,
    blocks: Vec<Block>,
}

/// A sparse vector: (column, value), sorted by column.
pub type Sparse = Vec<(u32, f32)>;

impl Idf {
    /// Smoothed IDF, ln((1 + n) / (1 + df)) + 1, over these documents' counts.
    pub fn fit<'a>(docs: impl IntoIterator<Item = &'a [(u32, f32)]>) -> Idf {
        let mut df: FeatureMap<u32> = FeatureMap::default();
        let mut n = 0u32;
        for doc in docs {
            n += 1;
            for (h, _) in doc {
                *df.entry(*h).or_insert(0) += 1;
            }
        }
        let mut features: Vec<(u32, u32)> = df.into_iter().collect();
        features.sort_unstable();
        let mut idf = Idf::default();
        for (col, (h, d)) in features.into_iter().enumerate() {
            idf.columns.insert(h, col as u32);
            idf.idf.push(((1.0 + n as f32) / (1.0 + d as f32)).ln() + 1.0);
            idf.blocks.push(block_of(h));
        }
        idf
    }

    /// Columns (features) known.
    pub fn len(&self) -> usize {
        self.idf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.idf.is_empty()
    }

    /// Sublinear TF (1 + ln tf) times IDF, each block scaled to unit length, then the blocks
    /// weighted `word_weight` : 1 - `word_weight` (in squared length).
    pub fn vector(&self, counts: &[(u32, f32)], word_weight: f32) -> Sparse {
        let mut out: Sparse = counts
            .iter()
            .filter_map(|(h, tf)| self.columns.get(h).map(|&c| (c, (1.0 + tf.ln()) * self.idf[c as usize])))
            .collect();
        let mut norms = [0.0f32; 2];
        for (c, v) in &out {
            norms[self.block(*c) as usize] += v * v;
        }
        let scale =
            [word_weight.sqrt() / norms[0].sqrt().max(1e-12), (1.0 - word_weight).sqrt() / norms[1].sqrt().max(1e-12)];
        for (c, v) in &mut out {
            *v *= scale[self.block(*c) as usize];
        }
        out.sort_unstable_by_key(|(c, _)| *c);
        out
    }

    fn block(&self, column: u32) -> u8 {
        match self.blocks.get(column as usize) {
            Some(Block::Char) => 1,
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        Analyzer::default().words(text).into_iter().map(|w| w.term).collect()
    }

    #[test]
    fn russian_words_are_folded_stemmed_and_negated() {
        assert_eq!(terms("Ручка СИЛЬНО греется!"), ["ручк", "сильн", "греет"]);
        // ё and е are one letter here, and inflections share a stem.
        assert_eq!(terms("ёлка"), terms("елка"));
        assert_eq!(terms("покрытие")[0], terms("покрытия")[0]);
        assert_eq!(terms("не греется"), ["не_греет"]);
        assert_ne!(terms("не греется"), terms("греется"));
    }

    #[test]
    fn english_words_are_stemmed_and_negated() {
        assert_eq!(terms("The handle gets HOT"), ["the", "handl", "get", "hot"]);
        assert_eq!(terms("it does not stick"), ["it", "doe", "not_stick"]);
        assert_eq!(terms("it doesn't stick"), ["it", "not_stick"]);
        assert_eq!(terms("peeling"), terms("peeled"));
    }

    #[test]
    fn a_trailing_negation_is_kept_and_punctuation_dropped() {
        assert_eq!(terms("works? no"), ["work", "no"]);
        assert!(terms("!!! ... ---").is_empty());
    }

    #[test]
    fn a_typo_shares_most_character_grams_with_the_word() {
        let a = Analyzer::default();
        let counts = |t: &str| {
            a.counts(t).into_iter().filter(|(h, _)| block_of(*h) == Block::Char).map(|(h, _)| h).collect::<Vec<_>>()
        };
        let right = counts("покрытие");
        let typo = counts("пакрытие");
        let shared = right.iter().filter(|h| typo.contains(h)).count();
        assert!(shared * 2 > right.len(), "{shared} of {}", right.len());
    }

    #[test]
    fn hashing_is_stable_and_tfidf_vectors_have_unit_blocks() {
        let a = Analyzer::default();
        assert_eq!(a.counts("ручка греется"), a.counts("ручка греется"));
        let docs: Vec<Vec<(u32, f32)>> =
            ["ручка греется", "покрытие облезло", "ручка шатается"].iter().map(|t| a.counts(t)).collect();
        let idf = Idf::fit(docs.iter().map(Vec::as_slice));
        let v = idf.vector(&docs[0], 0.5);
        let norm: f32 = v.iter().map(|(_, x)| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-4, "{norm}");
        // Features no document had are dropped.
        assert!(idf.vector(&a.counts("zzzz"), 0.5).is_empty());
    }
}
