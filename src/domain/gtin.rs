//! GTIN (GS1 trade item numbers): GTIN-8, -12, -13 and -14, stored as 14 digits.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Gtin(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GtinError {
    #[error("a GTIN has 8, 12, 13 or 14 digits")]
    Length,
    #[error("a GTIN contains digits only")]
    NotDigits,
    #[error("the GTIN's check digit is wrong (expected {expected})")]
    CheckDigit { expected: u8 },
    #[error("a GTIN of zeros only is not a real GTIN")]
    AllZeros,
}

/// GS1 mod-10 check digit over the digits before it.
pub fn check_digit(body: &[u8]) -> u8 {
    let sum: u32 = body.iter().rev().enumerate().map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 3 } else { 1 }).sum();
    ((10 - sum % 10) % 10) as u8
}

impl Gtin {
    pub fn parse(input: &str) -> Result<Gtin, GtinError> {
        let s = input.trim();
        if !s.bytes().all(|b| b.is_ascii_digit()) || s.is_empty() {
            return Err(GtinError::NotDigits);
        }
        if ![8, 12, 13, 14].contains(&s.len()) {
            return Err(GtinError::Length);
        }
        let digits: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        if digits.iter().all(|d| *d == 0) {
            return Err(GtinError::AllZeros);
        }
        let (body, last) = digits.split_at(digits.len() - 1);
        let expected = check_digit(body);
        if last.first() != Some(&expected) {
            return Err(GtinError::CheckDigit { expected });
        }
        Ok(Gtin(format!("{s:0>14}")))
    }

    /// The 14-digit form used in storage and GS1 Digital Link URIs.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gtin({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeros_only_are_not_a_gtin() {
        for zeros in ["00000000", "000000000000", "0000000000000", "00000000000000"] {
            assert_eq!(Gtin::parse(zeros), Err(GtinError::AllZeros), "{zeros}");
        }
    }

    #[test]
    fn valid_gtins_of_every_length_are_padded_to_14() {
        assert_eq!(Gtin::parse("4006381333931").unwrap().as_str(), "04006381333931");
        assert_eq!(Gtin::parse("96385074").unwrap().as_str(), "00000096385074");
        assert_eq!(Gtin::parse("036000291452").unwrap().as_str(), "00036000291452");
        assert_eq!(Gtin::parse("09506000134352").unwrap().as_str(), "09506000134352");
    }

    #[test]
    fn a_wrong_check_digit_is_refused() {
        assert_eq!(Gtin::parse("4006381333932"), Err(GtinError::CheckDigit { expected: 1 }));
    }

    #[test]
    fn wrong_lengths_and_letters_are_refused() {
        assert_eq!(Gtin::parse("12345"), Err(GtinError::Length));
        assert_eq!(Gtin::parse("40063813339AB"), Err(GtinError::NotDigits));
        assert_eq!(Gtin::parse(""), Err(GtinError::NotDigits));
    }
}
