//! Decompression of compressed GS1 Digital Link URIs (GS1 Digital Link standard 1.1, section 9, with
//! the additions of version 1.2), such as `https://id.example.com/ARHKVAdpQg` for
//! `https://id.example.com/01/09780345418913`.
//!
//! The last path segment is URI-safe base64 (`A-Z a-z 0-9 - _`, six bits a character) of a bit string
//! that is a sequence of elements, each one of:
//! - an Application Identifier, its digits as 4-bit nibbles (how many digits follows from the first two,
//!   the standard's table P), then its value laid out as the standard's table F says for that AI;
//! - an optimisation code, two nibbles of which at least one is A-F (table Opt), standing for a fixed
//!   sequence of AIs whose values follow one after the other;
//! - `1111` then a non-GS1 `key=value` pair from the query string: 7 bits of key length, the key in
//!   6-bit base64 characters, then the value as an alphanumeric component with a 7-bit length.
//!
//! A numeric component of n digits takes ceil(n log2 10 + 0.01) bits (the 0.01 is the standard's); a
//! variable one is preceded by its digit count in as many bits as its maximum length needs. An
//! alphanumeric component starts with a 3-bit encoding: 0 digits (as a number), 1 lower-case hex,
//! 2 upper-case hex (4 bits a character), 3 URI-safe base64 (6 bits), 4 ASCII (7 bits). Up to 8
//! trailing bits are padding (zeros here).
//!
//! Only what this resolver can act on is decoded: the GTIN (AI 01), its key qualifiers (22, 10, 21)
//! and the data attributes that belong to a trade item and travel in the query string (dates, weights
//! and measures, amounts, variable count, company-internal information...). Anything else, and
//! anything corrupt, is refused with an error that says why, never guessed at.

use std::fmt;

use crate::domain::digital_link::{DigitalLink, DigitalLinkError, is_cset82, percent_encode};

/// The URI-safe base64 alphabet of RFC 4648 section 5, in value order.
const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Longest compressed segment decoded: far beyond any real GTIN with qualifiers and attributes, and a
/// bound on the work a request can ask for.
pub const MAX_COMPRESSED_LEN: usize = 512;

/// Shortest fully compressed URI of a GTIN: the AI (8 bits) and 14 digits (47 bits) make 10 characters.
pub const MIN_COMPRESSED_GTIN_LEN: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompressionError {
    #[error("the compressed GS1 Digital Link is empty")]
    Empty,
    #[error("the compressed GS1 Digital Link is longer than {MAX_COMPRESSED_LEN} characters")]
    TooLong,
    #[error("the compressed GS1 Digital Link contains {0:?}, which is not in the URI-safe base64 alphabet")]
    NotBase64(char),
    #[error("the compressed GS1 Digital Link ends in the middle of {0}")]
    Truncated(String),
    #[error("the compressed GS1 Digital Link has data after its last element")]
    TrailingData,
    #[error("the compressed GS1 Digital Link has {0}, which starts no GS1 Application Identifier or optimisation")]
    UnknownPrefix(String),
    #[error(
        "the compressed GS1 Digital Link holds AI {0}, which this resolver does not decode \
         (it resolves GTINs, AI 01, with AI 22, 10, 21 and the data attributes of a trade item)"
    )]
    UnsupportedAi(String),
    #[error("the compressed GS1 Digital Link holds AI {0} twice")]
    Repeated(String),
    #[error("the compressed GS1 Digital Link has an unknown character encoding ({0}) in {1}")]
    BadEncoding(u8, String),
    #[error("the compressed GS1 Digital Link says {what} is {found} characters long, more than the {max} allowed")]
    BadLength { what: String, found: usize, max: usize },
    #[error("the compressed GS1 Digital Link has a value for {0} that does not fit its number of digits")]
    NumberTooBig(String),
    #[error("the compressed GS1 Digital Link has a value for {0} with a character outside its character set")]
    BadCharacter(String),
    #[error("the compressed GS1 Digital Link has no GTIN (AI 01)")]
    NoGtin,
    #[error("the compressed GS1 Digital Link decodes to {uncompressed}, which is not valid: {reason}")]
    Invalid { uncompressed: String, reason: DigitalLinkError },
}

/// What a compressed segment holds: GS1 element strings and other `key=value` pairs, in the order in
/// which they were decoded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decompressed {
    pub elements: Vec<(String, String)>,
    pub others: Vec<(String, String)>,
}

/// A compressed GS1 Digital Link read back: the item's path and the query string it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub link: DigitalLink,
    /// `key=value` pairs, percent-encoded: data attributes first (`15=230911`), then other pairs.
    pub query: Vec<String>,
}

impl Expanded {
    /// The uncompressed path and query, e.g. `/01/09780345418913/10/231?15=120820`.
    pub fn uncompressed(&self) -> String {
        let path = self.link.path();
        if self.query.is_empty() { path } else { format!("{path}?{}", self.query.join("&")) }
    }
}

/// Whether a path segment looks like a compressed GS1 Digital Link (only base64url characters).
pub fn looks_compressed(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|b| BASE64URL.contains(&b))
}

/// A fully compressed segment (`ARHKVAdpQg`) to its GTIN path and query.
pub fn expand(segment: &str) -> Result<Expanded, CompressionError> {
    into_link(decompress(segment)?, None)
}

/// A partially compressed URI: the GTIN as it stood in the path (`/01/{gtin}/{segment}`), the rest
/// compressed.
pub fn expand_partial(gtin: &str, segment: &str) -> Result<Expanded, CompressionError> {
    into_link(decompress(segment)?, Some(gtin))
}

/// Decodes a compressed segment into element strings and other pairs.
pub fn decompress(segment: &str) -> Result<Decompressed, CompressionError> {
    if segment.is_empty() {
        return Err(CompressionError::Empty);
    }
    if segment.len() > MAX_COMPRESSED_LEN {
        return Err(CompressionError::TooLong);
    }
    let mut bits = Bits::from_base64(segment)?;
    let mut out = Decompressed::default();
    while bits.remaining() > 8 {
        let h1 = bits.read(4, "an AI")? as u8;
        let h2 = bits.read(4, "an AI")? as u8;
        if h1 <= 9 && h2 <= 9 {
            let mut ai = format!("{h1}{h2}");
            let len = ai_length(&ai).ok_or_else(|| CompressionError::UnknownPrefix(format!("AI prefix {ai}")))?;
            while ai.len() < len {
                let digit = bits.read(4, "an AI")?;
                if digit > 9 {
                    return Err(CompressionError::UnknownPrefix(format!("AI {ai} followed by hex {digit:X}")));
                }
                ai.push(char::from(b'0' + digit as u8));
            }
            decode_ai(&mut bits, ai, &mut out)?;
        } else if let Some(sequence) = optimisation(h1, h2) {
            for ai in sequence {
                decode_ai(&mut bits, (*ai).to_owned(), &mut out)?;
            }
        } else if h1 == 0xF {
            decode_other(&mut bits, h2, &mut out)?;
        } else {
            return Err(CompressionError::UnknownPrefix(format!("hex {h1:X}{h2:X}")));
        }
    }
    if !bits.rest_is_zero() {
        return Err(CompressionError::TrailingData);
    }
    Ok(out)
}

fn into_link(decompressed: Decompressed, uncompressed_gtin: Option<&str>) -> Result<Expanded, CompressionError> {
    let mut gtin = uncompressed_gtin.map(str::to_owned);
    let (mut cpv, mut lot, mut serial) = (None, None, None);
    let mut query = Vec::new();
    for (ai, value) in decompressed.elements {
        match ai.as_str() {
            "01" if gtin.is_some() => return Err(CompressionError::Repeated(ai)),
            "01" => gtin = Some(value),
            "22" => cpv = Some(value),
            "10" => lot = Some(value),
            "21" => serial = Some(value),
            _ => query.push(format!("{ai}={}", percent_encode(&value))),
        }
    }
    for (key, value) in decompressed.others {
        query.push(format!("{}={}", percent_encode(&key), percent_encode(&value)));
    }
    let gtin = gtin.ok_or(CompressionError::NoGtin)?;
    let mut path = format!("/01/{gtin}");
    for (ai, value) in [("22", cpv), ("10", lot), ("21", serial)] {
        if let Some(v) = value {
            path.push_str(&format!("/{ai}/{}", percent_encode(&v)));
        }
    }
    let link = DigitalLink::parse(&path)
        .map_err(|reason| CompressionError::Invalid { uncompressed: path.chars().take(80).collect(), reason })?;
    Ok(Expanded { link, query })
}

/// How a value is laid out (the standard's table F).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Exactly this many digits.
    Digits(usize),
    /// Up to this many digits.
    DigitsUpTo(usize),
    /// Up to this many characters of GS1 character set 82.
    TextUpTo(usize),
}

use Part::{Digits, DigitsUpTo, TextUpTo};

/// Number of digits of the AIs that start with these two (the standard's table P).
fn ai_length(first_two: &str) -> Option<usize> {
    const TABLE_P: &[(&str, usize)] = &[
        ("00", 2),
        ("01", 2),
        ("02", 2),
        ("10", 2),
        ("11", 2),
        ("12", 2),
        ("13", 2),
        ("15", 2),
        ("16", 2),
        ("17", 2),
        ("20", 2),
        ("21", 2),
        ("22", 2),
        ("23", 3),
        ("24", 3),
        ("25", 3),
        ("30", 2),
        ("31", 4),
        ("32", 4),
        ("33", 4),
        ("34", 4),
        ("35", 4),
        ("36", 4),
        ("37", 2),
        ("39", 4),
        ("40", 3),
        ("41", 3),
        ("42", 3),
        ("43", 4),
        ("70", 4),
        ("71", 3),
        ("72", 4),
        ("80", 4),
        ("81", 4),
        ("82", 4),
        ("90", 2),
        ("91", 2),
        ("92", 2),
        ("93", 2),
        ("94", 2),
        ("95", 2),
        ("96", 2),
        ("97", 2),
        ("98", 2),
        ("99", 2),
    ];
    TABLE_P.iter().find(|(p, _)| *p == first_two).map(|(_, n)| *n)
}

/// The AI sequences that optimisation codes stand for (the standard's table Opt).
fn optimisation(h1: u8, h2: u8) -> Option<&'static [&'static str]> {
    const TABLE_OPT: &[(u8, &[&str])] = &[
        (0x0A, &["01", "22"]),
        (0x0B, &["01", "10"]),
        (0x0C, &["01", "21"]),
        (0x0D, &["01", "17"]),
        (0x0E, &["01", "7003"]),
        (0x0F, &["01", "30"]),
        (0x1A, &["01", "10", "21", "17"]),
        (0x1B, &["01", "15"]),
        (0x1C, &["01", "11"]),
        (0x1D, &["01", "16"]),
        (0x1E, &["01", "91"]),
        (0x1F, &["01", "10", "15"]),
        (0x2A, &["01", "3100"]),
        (0x2B, &["01", "3101"]),
        (0x2C, &["01", "3102"]),
        (0x2D, &["01", "3103"]),
        (0x2E, &["01", "3104"]),
        (0x2F, &["01", "3105"]),
        (0x3A, &["01", "3200"]),
        (0x3B, &["01", "3201"]),
        (0x3C, &["01", "3202"]),
        (0x3D, &["01", "3203"]),
        (0x3E, &["01", "3204"]),
        (0x3F, &["01", "3205"]),
        (0x9A, &["8010", "8011"]),
        (0x9B, &["8017", "8019"]),
        (0x9C, &["8018", "8019"]),
        (0x9D, &["414", "254"]),
        (0xA0, &["01", "3920"]),
        (0xA1, &["01", "3921"]),
        (0xA2, &["01", "3922"]),
        (0xA3, &["01", "3923"]),
        (0xA4, &["01", "3924"]),
        (0xA5, &["01", "3925"]),
        (0xA6, &["01", "3926"]),
        (0xA7, &["01", "3927"]),
        (0xA8, &["01", "3928"]),
        (0xA9, &["01", "3929"]),
        (0xC0, &["255", "3900"]),
        (0xC1, &["255", "3901"]),
        (0xC2, &["255", "3902"]),
        (0xC3, &["255", "3903"]),
        (0xC4, &["255", "3904"]),
        (0xC5, &["255", "3905"]),
        (0xC6, &["255", "3906"]),
        (0xC7, &["255", "3907"]),
        (0xC8, &["255", "3908"]),
        (0xC9, &["255", "3909"]),
        (0xCA, &["255", "3940"]),
        (0xCB, &["255", "3941"]),
        (0xCC, &["255", "3942"]),
        (0xCD, &["255", "3943"]),
    ];
    let code = (h1 << 4) | h2;
    TABLE_OPT.iter().find(|(c, _)| *c == code).map(|(_, s)| *s)
}

/// The layout of the AIs decoded here (the standard's table F, for a trade item's AIs); `None` for
/// every other AI.
fn layout(ai: &str) -> Option<&'static [Part]> {
    let digits: Vec<u8> = ai.bytes().map(|b| b.wrapping_sub(b'0')).collect();
    Some(match (ai.len(), digits.as_slice()) {
        (2, [0, 1]) => &[Digits(14)],
        (2, [1, 0]) | (2, [2, 1]) | (2, [2, 2]) => &[TextUpTo(20)],
        // Production, due, packaging, best before, sell by and expiration dates (YYMMDD).
        (2, [1, 1 | 2 | 3 | 5 | 6 | 7]) => &[Digits(6)],
        (2, [2, 0]) => &[Digits(2)],
        (2, [3, 0]) | (2, [3, 7]) => &[DigitsUpTo(8)],
        (2, [9, 0]) => &[TextUpTo(30)],
        (2, [9, 1..=9]) => &[TextUpTo(90)],
        // Trade measures: 310n-316n, 320n-329n, 330n-337n, 340n-349n, 350n-357n, 360n-369n.
        (4, [3, 1, 0..=6, 0..=5])
        | (4, [3, 2, _, 0..=5])
        | (4, [3, 3, 0..=7, 0..=5])
        | (4, [3, 4, _, 0..=5])
        | (4, [3, 5, 0..=7, 0..=5])
        | (4, [3, 6, _, 0..=5]) => &[Digits(6)],
        // Amounts payable, in local currency or with an ISO 4217 currency code first.
        (4, [3, 9, 0 | 2, _]) => &[DigitsUpTo(15)],
        (4, [3, 9, 1 | 3, _]) => &[Digits(3), DigitsUpTo(15)],
        (4, [3, 9, 4, 0..=3]) => &[Digits(4)],
        (4, [3, 9, 5, _]) => &[Digits(6)],
        // Expiration date and time; first freeze date.
        (4, [7, 0, 0, 3]) => &[Digits(10)],
        (4, [7, 0, 0, 6]) => &[Digits(6)],
        _ => return None,
    })
}

fn decode_ai(bits: &mut Bits, ai: String, out: &mut Decompressed) -> Result<(), CompressionError> {
    let parts = layout(&ai).ok_or_else(|| CompressionError::UnsupportedAi(ai.clone()))?;
    if out.elements.iter().any(|(a, _)| *a == ai) {
        return Err(CompressionError::Repeated(ai));
    }
    let what = format!("the value of AI {ai}");
    let mut value = String::new();
    for part in parts {
        match *part {
            Digits(n) => value.push_str(&bits.read_number(n, &what)?),
            DigitsUpTo(max) => {
                let n = bits.read(length_bits(max), &what)? as usize;
                if n > max {
                    return Err(CompressionError::BadLength { what, found: n, max });
                }
                value.push_str(&bits.read_number(n, &what)?);
            }
            TextUpTo(max) => {
                let encoding = bits.read(3, &what)? as u8;
                let n = bits.read(length_bits(max), &what)? as usize;
                if n > max {
                    return Err(CompressionError::BadLength { what, found: n, max });
                }
                value.push_str(&bits.read_text(encoding, n, &what)?);
            }
        }
    }
    if !value.chars().all(is_cset82) {
        return Err(CompressionError::BadCharacter(format!("AI {ai}")));
    }
    out.elements.push((ai, value));
    Ok(())
}

/// A non-GS1 pair; `h2` holds the first four of the key length's seven bits.
fn decode_other(bits: &mut Bits, h2: u8, out: &mut Decompressed) -> Result<(), CompressionError> {
    let what = "a query string key".to_owned();
    let key_len = ((u64::from(h2) << 3) | bits.read(3, &what)?) as usize;
    let key = bits.read_text(3, key_len, &what)?;
    let what = format!("the value of {key}");
    let encoding = bits.read(3, &what)? as u8;
    let len = bits.read(7, &what)? as usize;
    let value = bits.read_text(encoding, len, &what)?;
    if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(CompressionError::BadCharacter(format!("the query string key {key}")));
    }
    out.others.push((key, value));
    Ok(())
}

/// Bits for a length of at most `max` (the standard's ceil(log2(max) + 0.01)).
fn length_bits(max: usize) -> usize {
    (usize::BITS - max.leading_zeros()) as usize
}

/// Bits for a number of `digits` decimal digits: ceil(digits * log2(10) + 0.01), exactly as the
/// standard computes it (the 0.01 adds a bit for 59 digits, for instance).
fn number_bits(digits: usize) -> usize {
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let bits = ((digits as f64) * std::f64::consts::LOG2_10 + 0.01).ceil() as usize;
    bits
}

/// The bit string behind a base64url segment, read from the left.
struct Bits {
    bits: Vec<bool>,
    cursor: usize,
}

impl Bits {
    fn from_base64(segment: &str) -> Result<Bits, CompressionError> {
        let mut bits = Vec::with_capacity(segment.len() * 6);
        for c in segment.chars() {
            let value = u8::try_from(c)
                .ok()
                .and_then(|b| BASE64URL.iter().position(|x| *x == b))
                .ok_or(CompressionError::NotBase64(c))?;
            bits.extend((0..6).rev().map(|i| (value >> i) & 1 == 1));
        }
        Ok(Bits { bits, cursor: 0 })
    }

    fn remaining(&self) -> usize {
        self.bits.len().saturating_sub(self.cursor)
    }

    fn rest_is_zero(&self) -> bool {
        self.bits.get(self.cursor..).is_none_or(|rest| rest.iter().all(|b| !b))
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&[bool], CompressionError> {
        let end = self.cursor + n;
        let slice = self.bits.get(self.cursor..end).ok_or_else(|| CompressionError::Truncated(what.to_owned()))?;
        self.cursor = end;
        Ok(slice)
    }

    /// Up to 64 bits as a number.
    fn read(&mut self, n: usize, what: &str) -> Result<u64, CompressionError> {
        Ok(self.take(n, what)?.iter().fold(0u64, |acc, b| (acc << 1) | u64::from(*b)))
    }

    /// `digits` decimal digits, leading zeros kept; zero digits still take the one bit the standard gives them.
    fn read_number(&mut self, digits: usize, what: &str) -> Result<String, CompressionError> {
        let bits = self.take(number_bits(digits), what)?;
        // Little-endian decimal digits of the number, doubled and carried bit by bit (values reach
        // 90 digits, beyond any machine integer).
        let mut decimal: Vec<u8> = Vec::new();
        for bit in bits {
            let mut carry = u8::from(*bit);
            for d in decimal.iter_mut() {
                let v = *d * 2 + carry;
                *d = v % 10;
                carry = v / 10;
            }
            if carry > 0 {
                decimal.push(carry);
            }
        }
        if decimal.len() > digits {
            return Err(CompressionError::NumberTooBig(what.to_owned()));
        }
        decimal.resize(digits, 0);
        Ok(decimal.iter().rev().map(|d| char::from(b'0' + d)).collect())
    }

    /// `n` characters in one of the five encodings of an alphanumeric component.
    fn read_text(&mut self, encoding: u8, n: usize, what: &str) -> Result<String, CompressionError> {
        let (width, alphabet): (usize, Option<&[u8]>) = match encoding {
            0 => return self.read_number(n, what),
            1 => (4, Some(b"0123456789abcdef")),
            2 => (4, Some(b"0123456789ABCDEF")),
            3 => (6, Some(BASE64URL)),
            4 => (7, None),
            other => return Err(CompressionError::BadEncoding(other, what.to_owned())),
        };
        let mut s = String::with_capacity(n);
        for _ in 0..n {
            let index = self.read(width, what)? as usize;
            let byte = match alphabet {
                Some(a) => a.get(index).copied().unwrap_or(b'?'),
                None => index as u8,
            };
            s.push(char::from(byte));
        }
        Ok(s)
    }
}

impl fmt::Display for Decompressed {
    /// Element strings in the human-readable bracketed form, `(01)09780345418913(10)231`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (ai, value) in &self.elements {
            write!(f, "({ai}){value}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compressed segments and what they stand for, as GS1 publishes them: the test suites and
    /// documentation of GS1's own implementations (gs1/digital-link.js, the GS1 Digital Link
    /// compression prototype, GS1 Resolver CE), all Apache-2.0. Only the vectors are copied.
    const VECTORS: &[(&str, &str)] = &[
        // digital-link.js tests and the prototype's documentation: a bare GTIN.
        ("ARHKVAdpQg", "/01/09780345418913"),
        // digital-link.js: GTIN, lot, serial and a best-before date (optimisation 1F).
        ("HxHKVAdpQgZzjr-hCDKigI", "/01/09780345418913/10/231/21/345345?15=120820"),
        // digital-link.js: GTIN and serial (optimisation 0C).
        ("DBHKVAdpQgowOQ", "/01/09780345418913/21/12345"),
        // digital-link.js: a non-GS1 pair compressed along.
        ("DBHKVAdpQgqrCvBv0UMG21W", "/01/09780345418913/21/43786?foo=bar"),
        // digital-link.js: several non-GS1 pairs, one of them the resolver's own linkType.
        (
            "HxHKVAdpQhCTxbrOF_yEFcx_4a2GeAh1mFOZkChg6Z8pgcEMEWpMganmIfESxTyJ5UvMJa9Za",
            "/01/09780345418913/10/38737643/21/58943?15=230911&thngId=U5mQKGDpnymBwQwRakyBqeYh&linkType=test",
        ),
        // GS1 Resolver CE's test suite: no optimisation, upper-case text.
        ("ARFKk4XB0CDKWcnpq", "/01/09506000134376/10/LOT01"),
        // GS1 Resolver CE's announcement of compression (discussion 95): lot and serial.
        ("AQnO2IRCICDKWcnpqQtCQiJABemo", "/01/05392000229648/10/LOT01/21/SERIAL01"),
    ];

    #[test]
    fn the_published_vectors_decompress_to_their_uncompressed_form() {
        for (compressed, uncompressed) in VECTORS {
            let expanded = expand(compressed).unwrap_or_else(|e| panic!("{compressed}: {e}"));
            assert_eq!(expanded.uncompressed(), *uncompressed, "{compressed}");
        }
    }

    #[test]
    fn element_strings_come_out_in_decoding_order() {
        let d = decompress("HxHKVAdpQgZzjr-hCDKigI").unwrap();
        assert_eq!(d.to_string(), "(01)09780345418913(10)231(15)120820(21)345345");
        assert!(d.others.is_empty());
        let d = decompress("DBHKVAdpQgqrCvBv0UMG21W").unwrap();
        assert_eq!(d.others, vec![("foo".to_owned(), "bar".to_owned())]);
    }

    #[test]
    fn a_partially_compressed_uri_keeps_its_gtin_in_the_path() {
        // The tail of `DBHKVAdpQgowOQ` without its GTIN: AI 21 (0010 0001), 5 digits in 5 bits of
        // length, then 12345 in 17 bits, after encoding 000 (digits).
        let tail = tail_for_serial_12345();
        let e = expand_partial("09780345418913", &tail).unwrap();
        assert_eq!(e.uncompressed(), "/01/09780345418913/21/12345");
        assert_eq!(expand_partial("09780345418913", "ARHKVAdpQg"), Err(CompressionError::Repeated("01".into())));
    }

    fn tail_for_serial_12345() -> String {
        let mut bits = String::from("00100001"); // AI 21
        bits.push_str("000"); // encoding: digits
        bits.push_str(&format!("{:05b}", 5)); // five characters
        bits.push_str(&format!("{:0w$b}", 12345, w = number_bits(5)));
        while bits.len() % 6 != 0 {
            bits.push('0');
        }
        bits.as_bytes()
            .chunks(6)
            .map(|c| {
                let v = c.iter().fold(0usize, |a, b| a * 2 + usize::from(*b == b'1'));
                char::from(BASE64URL[v])
            })
            .collect()
    }

    #[test]
    fn corrupt_or_foreign_segments_are_refused_with_a_reason() {
        use CompressionError::*;
        assert_eq!(decompress(""), Err(Empty));
        assert_eq!(decompress("ARHKVAdp+g"), Err(NotBase64('+')));
        assert_eq!(decompress(&"A".repeat(MAX_COMPRESSED_LEN + 1)), Err(TooLong));
        // Cut short: the GTIN's 47 bits are not all there.
        assert_eq!(decompress("ARHKVA"), Err(Truncated("the value of AI 01".into())));
        // One character changed in the GTIN: the check digit no longer holds.
        assert!(matches!(expand("ARHKVAdqQg"), Err(Invalid { .. })), "{:?}", expand("ARHKVAdqQg"));
        // A set bit in the padding.
        assert_eq!(decompress("ARHKVAdpQh"), Err(TrailingData));
        // 0x7E: neither an AI nor an optimisation nor a non-GS1 pair.
        assert!(matches!(decompress("fo_o_o_o_o"), Err(UnknownPrefix(_))));
        // An SSCC (AI 00) is decoded by nobody here.
        assert_eq!(decompress("AN2yxDhfaiaw"), Err(UnsupportedAi("00".into())));
        // Nothing but padding-sized data: no GTIN.
        assert_eq!(expand("A"), Err(NoGtin));
    }

    #[test]
    fn numbers_take_the_bits_the_standard_gives_them() {
        assert_eq!(number_bits(0), 1);
        assert_eq!(number_bits(1), 4);
        assert_eq!(number_bits(6), 20);
        assert_eq!(number_bits(14), 47);
        assert_eq!(number_bits(58), 193);
        // 59 log2 10 = 195.99..., and the standard's + 0.01 tips it over.
        assert_eq!(number_bits(59), 197);
        assert_eq!(length_bits(20), 5);
        assert_eq!(length_bits(8), 4);
        assert_eq!(length_bits(90), 7);
    }

    #[test]
    fn leading_zeros_of_a_number_survive() {
        // AI 21, digits, 4 characters: "0042".
        let mut bits = String::from("00100001000");
        bits.push_str(&format!("{:05b}", 4));
        bits.push_str(&format!("{:0w$b}", 42, w = number_bits(4)));
        let mut d = Bits { bits: bits.bytes().map(|b| b == b'1').collect(), cursor: 8 };
        let mut out = Decompressed::default();
        decode_ai(&mut d, "21".into(), &mut out).unwrap();
        assert_eq!(out.elements, vec![("21".to_owned(), "0042".to_owned())]);
    }

    proptest::proptest! {
        #[test]
        fn any_segment_decodes_or_is_refused_without_panicking(s in "[A-Za-z0-9_-]{0,80}") {
            let _ = expand(&s);
        }
    }
}
