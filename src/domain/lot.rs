//! Production lot numbers (GS1 AI 10) as printed into a code's GS1 Digital Link.
//!
//! Lots are case-insensitive in scanback: `a12-b` and `A12-B` name the same lot. They are kept and
//! printed upper-case because upper-case letters fit QR's alphanumeric mode (a smaller symbol at the
//! same printed size), exactly like the code in `/Q/CODE`.

use std::fmt;

use super::feedback::LOT_MAX_CHARS;

/// A valid lot: 1 to 20 characters from `A-Z 0-9 - . / _`, upper-cased.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Lot(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LotError {
    #[error("a lot number must not be empty")]
    Empty,
    #[error("a lot number has at most {LOT_MAX_CHARS} characters")]
    TooLong,
    #[error("a lot number has letters A-Z, digits and - . / _ only; \"{0}\" is not allowed")]
    Character(char),
    /// `.` and `..` would be path segments browsers rewrite in the printed code's URL.
    #[error("a lot number needs at least one letter or digit")]
    NoLetterOrDigit,
}

impl Lot {
    pub fn parse(input: &str) -> Result<Lot, LotError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(LotError::Empty);
        }
        if let Some(bad) = s.chars().find(|c| !(c.is_ascii_alphanumeric() || "-./_".contains(*c))) {
            return Err(LotError::Character(bad));
        }
        // Checked after the characters so that the length below counts ASCII bytes only.
        if s.len() > LOT_MAX_CHARS {
            return Err(LotError::TooLong);
        }
        if !s.bytes().any(|b| b.is_ascii_alphanumeric()) {
            return Err(LotError::NoLetterOrDigit);
        }
        Ok(Lot(s.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lot as one GS1 Digital Link path segment: `/` is the only allowed character that is not
    /// an unreserved URI character, so it becomes `%2F` (still QR-alphanumeric).
    pub fn path_segment(&self) -> String {
        self.0.replace('/', "%2F")
    }
}

impl fmt::Display for Lot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Lot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lot({})", self.0)
    }
}

/// Parses a comma-separated list of lots (`A1,A2, b3`), refusing duplicates (after upper-casing).
pub fn parse_lot_list(input: &str) -> Result<Vec<Lot>, String> {
    let mut out: Vec<Lot> = Vec::new();
    for part in input.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let lot = Lot::parse(part).map_err(|e| format!("lot \"{part}\": {e}"))?;
        if out.contains(&lot) {
            return Err(format!("lot {lot} is listed twice (lots are case-insensitive)"));
        }
        out.push(lot);
    }
    if out.is_empty() {
        return Err("name at least one lot".to_owned());
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lots_are_upper_cased_and_validated() {
        assert_eq!(Lot::parse(" a12-b.c/d_e ").unwrap().as_str(), "A12-B.C/D_E");
        assert_eq!(Lot::parse("A12"), Lot::parse("a12"));
        assert_eq!(Lot::parse(""), Err(LotError::Empty));
        assert_eq!(Lot::parse("   "), Err(LotError::Empty));
        assert_eq!(Lot::parse(&"A".repeat(20)).unwrap().as_str().len(), 20);
        assert_eq!(Lot::parse(&"A".repeat(21)), Err(LotError::TooLong));
        assert_eq!(Lot::parse("A 1"), Err(LotError::Character(' ')));
        assert_eq!(Lot::parse("A?1"), Err(LotError::Character('?')));
        assert_eq!(Lot::parse("ЛОТ1"), Err(LotError::Character('Л')));
        for dots in [".", "..", "-", "/", "._"] {
            assert_eq!(Lot::parse(dots), Err(LotError::NoLetterOrDigit), "{dots}");
        }
    }

    #[test]
    fn a_slash_is_percent_encoded_in_the_path_segment() {
        assert_eq!(Lot::parse("2026/11").unwrap().path_segment(), "2026%2F11");
        assert_eq!(Lot::parse("a-1").unwrap().path_segment(), "A-1");
    }

    #[test]
    fn lot_lists_are_split_deduplicated_and_never_empty() {
        let lots = parse_lot_list("a1, A2 ,,b3").unwrap();
        assert_eq!(lots.iter().map(Lot::as_str).collect::<Vec<_>>(), ["A1", "A2", "B3"]);
        assert!(parse_lot_list("a1,A1").unwrap_err().contains("twice"));
        assert!(parse_lot_list(" , ").is_err());
        assert!(parse_lot_list("ok,not ok").unwrap_err().contains("not ok"));
    }
}
