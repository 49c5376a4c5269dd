//! Numbers as each language writes them: English `1,234.5` and `49.0%`, Russian `1 234,5` and
//! `49,0 %` (no-break spaces), and a real minus sign.

use crate::domain::Locale;

const NBSP: char = '\u{a0}';

fn russian(locale: Locale) -> bool {
    locale.tag() == "ru"
}

fn group(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `x` with `places` decimals, grouped thousands, the language's decimal mark and a minus sign.
pub fn decimal(locale: Locale, x: f64, places: usize) -> String {
    let text = format!("{:.*}", places, x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (sep, mark) = if russian(locale) { (NBSP, ',') } else { (',', '.') };
    let mut out = String::new();
    // "-0.0" is zero.
    if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('\u{2212}');
    }
    out.push_str(&group(int, sep));
    if !frac.is_empty() {
        out.push(mark);
        out.push_str(frac);
    }
    out
}

pub fn integer(locale: Locale, n: i64) -> String {
    let digits = group(&n.unsigned_abs().to_string(), if russian(locale) { NBSP } else { ',' });
    if n < 0 { format!("\u{2212}{digits}") } else { digits }
}

pub fn unsigned(locale: Locale, n: u64) -> String {
    group(&n.to_string(), if russian(locale) { NBSP } else { ',' })
}

/// A number followed by the percent sign, the way the language spaces it.
pub fn percent_sign(locale: Locale, number: String) -> String {
    if russian(locale) { format!("{number}{NBSP}%") } else { format!("{number}%") }
}

/// A share (0..1) as a percentage with one decimal.
pub fn percent(locale: Locale, share: f64) -> String {
    percent_sign(locale, decimal(locale, share * 100.0, 1))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn english_and_russian_write_numbers_their_own_way() {
        let (en, ru) = (Locale::DEFAULT, Locale::parse("ru").unwrap());
        assert_eq!(decimal(en, 1234.56, 1), "1,234.6");
        assert_eq!(decimal(ru, 1234.56, 1), "1\u{a0}234,6");
        assert_eq!(decimal(en, -18.41, 1), "\u{2212}18.4");
        assert_eq!(decimal(en, -0.01, 1), "0.0");
        assert_eq!(integer(en, 1_234_567), "1,234,567");
        assert_eq!(integer(ru, 999), "999");
        assert_eq!(percent(en, 0.4902), "49.0%");
        assert_eq!(percent(ru, 0.4902), "49,0\u{a0}%");
        assert_eq!(unsigned(en, 1000), "1,000");
    }
}
