//! Durable product-line codes.
//!
//! A code is printed once and must keep resolving for the life of the product, so it is short, uses an
//! alphabet that survives being read aloud or retyped (Crockford base 32: no I, L, O, U), is
//! case-insensitive, and ends in a check character so that a mistyped or damaged code is rejected
//! instead of being attributed to another product line. Every character is in QR's alphanumeric set,
//! which keeps the printed symbol small.

use std::fmt;

/// Crockford base-32 alphabet, in value order.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Random characters in a code; with the check character a code is `DATA_LEN + 1` long.
/// 7 characters give 2^35 (34 billion) codes: collisions are retried at insert time and the space
/// never runs dry for one service.
pub const DATA_LEN: usize = 7;
pub const CODE_LEN: usize = DATA_LEN + 1;

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Not something that could ever be a code (wrong length or characters).
    #[error("this is not a scanback code")]
    Malformed,
    /// Looks like a code but the check character does not match: a typo or a damaged print.
    #[error("this code looks mistyped: a character does not match its check character")]
    Mistyped,
}

fn value_of(c: u8) -> Option<u32> {
    // Crockford decoding: lower case is accepted, and the letters people confuse with digits map to them.
    let c = c.to_ascii_uppercase();
    let c = match c {
        b'O' => b'0',
        b'I' | b'L' => b'1',
        other => other,
    };
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// Multiplication in GF(32) with the primitive polynomial x^5 + x^2 + 1.
fn gf_mul(mut a: u32, mut b: u32) -> u32 {
    let mut product = 0;
    while b > 0 {
        if b & 1 == 1 {
            product ^= a;
        }
        b >>= 1;
        a <<= 1;
        if a & 0b10_0000 != 0 {
            a ^= 0b10_0101;
        }
    }
    product
}

/// The check character: sum over GF(32) of each value times a distinct power of the generator.
/// Because the weights are distinct and non-zero, every single wrong character is caught; because
/// neighbouring weights differ by a factor other than 1, every swap of two different neighbouring
/// characters is caught too (Luhn mod 32 misses `0`<->`Z`). Those are the two mistakes people make
/// when they retype a code.
fn check_value(values: &[u32]) -> u32 {
    let mut weight = 1;
    let mut sum = 0;
    for &v in values {
        weight = gf_mul(weight, 2);
        sum ^= gf_mul(weight, v);
    }
    sum
}

impl Code {
    /// A fresh random code. Uniqueness is enforced by the store, which retries on collision.
    pub fn generate<R: rand::Rng + ?Sized>(rng: &mut R) -> Code {
        let values: Vec<u32> = (0..DATA_LEN).map(|_| rng.random_range(0..32)).collect();
        Code::from_values(&values)
    }

    fn from_values(values: &[u32]) -> Code {
        let mut s = String::with_capacity(values.len() + 1);
        for &v in values {
            s.push(ALPHABET[v as usize] as char);
        }
        s.push(ALPHABET[check_value(values) as usize] as char);
        Code(s)
    }

    /// Parses user or URL input: any case, Crockford aliases accepted, surrounding whitespace and
    /// hyphens (people add them when they read codes out) ignored.
    pub fn parse(input: &str) -> Result<Code, CodeError> {
        let cleaned: Vec<u8> = input.trim().bytes().filter(|&b| b != b'-').collect();
        if cleaned.len() != CODE_LEN {
            return Err(CodeError::Malformed);
        }
        let mut values = Vec::with_capacity(CODE_LEN);
        for &b in &cleaned {
            values.push(value_of(b).ok_or(CodeError::Malformed)?);
        }
        let (data, check) = values.split_at(DATA_LEN);
        if check.first() != Some(&check_value(data)) {
            return Err(CodeError::Mistyped);
        }
        Ok(Code::from_values(data))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn arb_code() -> impl Strategy<Value = Code> {
        proptest::collection::vec(0u32..32, DATA_LEN).prop_map(|v| Code::from_values(&v))
    }

    proptest! {
        #[test]
        fn a_generated_code_parses_back_to_itself_in_any_case(code in arb_code(), lower in any::<bool>()) {
            let text = if lower { code.as_str().to_ascii_lowercase() } else { code.to_string() };
            prop_assert_eq!(Code::parse(&text), Ok(code.clone()));
            prop_assert_eq!(code.as_str().len(), CODE_LEN);
        }

        #[test]
        fn changing_any_one_character_is_detected(code in arb_code(), pos in 0..CODE_LEN, delta in 1u32..32) {
            let mut values: Vec<u32> = code.as_str().bytes().filter_map(value_of).collect();
            values[pos] = (values[pos] + delta) % 32;
            let typo: String = values.iter().map(|&v| ALPHABET[v as usize] as char).collect();
            prop_assert_eq!(Code::parse(&typo), Err(CodeError::Mistyped));
        }

        #[test]
        fn swapping_two_adjacent_different_characters_is_detected(code in arb_code(), pos in 0..CODE_LEN - 1) {
            let mut bytes = code.as_str().as_bytes().to_vec();
            prop_assume!(bytes[pos] != bytes[pos + 1]);
            bytes.swap(pos, pos + 1);
            let swapped = String::from_utf8(bytes).unwrap();
            prop_assert_eq!(Code::parse(&swapped), Err(CodeError::Mistyped));
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(s in "\\PC*") {
            let _ = Code::parse(&s);
        }
    }

    #[test]
    fn every_swap_of_the_last_data_character_and_the_check_character_is_caught() {
        for first in 0..32 {
            for last in 0..32 {
                let code = Code::from_values(&[first, 2, 3, 4, 5, 6, last]);
                let bytes = code.as_str().as_bytes();
                if bytes[6] == bytes[7] {
                    continue;
                }
                let mut swapped = bytes.to_vec();
                swapped.swap(6, 7);
                assert_eq!(Code::parse(std::str::from_utf8(&swapped).unwrap()), Err(CodeError::Mistyped), "{code:?}");
            }
        }
    }

    #[test]
    fn generated_codes_are_valid_and_fit_qr_alphanumeric_mode() {
        let mut rng = rand::rng();
        for _ in 0..1000 {
            let code = Code::generate(&mut rng);
            assert_eq!(Code::parse(code.as_str()), Ok(code.clone()));
            assert!(code.as_str().bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
        }
    }

    #[test]
    fn confusable_letters_read_as_digits() {
        let code = Code::from_values(&[0, 1, 2, 3, 4, 5, 6]);
        let typed = code.as_str().replacen('0', "o", 1).replacen('1', "l", 1);
        assert_eq!(Code::parse(&typed), Ok(code));
    }

    #[test]
    fn wrong_length_and_foreign_characters_are_malformed() {
        assert_eq!(Code::parse(""), Err(CodeError::Malformed));
        assert_eq!(Code::parse("ABC"), Err(CodeError::Malformed));
        assert_eq!(Code::parse("ABCDEFG!"), Err(CodeError::Malformed));
        assert_eq!(Code::parse("ABCDEFGHJK"), Err(CodeError::Malformed));
    }
}
