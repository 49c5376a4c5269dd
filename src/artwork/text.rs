//! Small text helpers shared by the writers: number formatting, escaping, and the base-14 Helvetica
//! metrics for centring and wrapping captions without embedding a font.

/// `x` rounded to at most `decimals` places, without trailing zeros or a trailing dot ("12", "24.6").
pub(super) fn num(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
}

/// Append a non-negative integer without going through `format!` (hot path of the SVG writer).
pub(super) fn push_uint(out: &mut String, mut n: usize) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(b) = buf.get_mut(i) {
            *b = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    for &b in buf.get(i..).unwrap_or(&[]) {
        out.push(char::from(b));
    }
}

/// Escape text for XML character data and attribute values.
pub(super) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Latin letters for a Cyrillic one (a readable, passport-style romanisation), or `None`.
fn romanise(c: char) -> Option<&'static str> {
    const LOWER: [&str; 32] = [
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "kh",
        "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
    ];
    const UPPER: [&str; 32] = [
        "A", "B", "V", "G", "D", "E", "Zh", "Z", "I", "Y", "K", "L", "M", "N", "O", "P", "R", "S", "T", "U", "F", "Kh",
        "Ts", "Ch", "Sh", "Shch", "", "Y", "", "E", "Yu", "Ya",
    ];
    match c {
        'а'..='я' => LOWER.get(c as usize - 'а' as usize).copied(),
        'А'..='Я' => UPPER.get(c as usize - 'А' as usize).copied(),
        'ё' => Some("e"),
        'Ё' => Some("E"),
        'і' => Some("i"),
        'І' => Some("I"),
        'ї' => Some("yi"),
        'Ї' => Some("Yi"),
        'є' => Some("ye"),
        'Є' => Some("Ye"),
        'ґ' => Some("g"),
        'Ґ' => Some("G"),
        _ => None,
    }
}

/// Cyrillic romanised for the base-14 fonts below, which have no Cyrillic glyphs: "Сковорода"
/// prints as "Skovoroda" rather than a row of '?'. SVG captions keep the original text.
fn romanised(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| romanise(c).is_some()) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match romanise(c) {
            Some(latin) => out.push_str(latin),
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Map text to WinAnsiEncoding bytes for a base-14 PDF font.
///
/// Limitation: base-14 fonts are not embedded and only cover WinAnsi (Western European): Cyrillic is
/// romanised, any other character outside WinAnsi (Greek, CJK, emoji...) becomes '?'. Captions in
/// the original script need an embedded font, which this module does not carry.
pub(super) fn winansi(s: &str) -> Vec<u8> {
    romanised(s)
        .chars()
        .map(|c| match c as u32 {
            0x20..=0x7E | 0xA0..=0xFF => c as u32 as u8,
            _ => match c {
                '€' => 0x80,
                '‚' => 0x82,
                'ƒ' => 0x83,
                '„' => 0x84,
                '…' => 0x85,
                '†' => 0x86,
                '‡' => 0x87,
                'ˆ' => 0x88,
                '‰' => 0x89,
                'Š' => 0x8A,
                '‹' => 0x8B,
                'Œ' => 0x8C,
                'Ž' => 0x8E,
                '\u{2018}' => 0x91,
                '\u{2019}' => 0x92,
                '\u{201C}' => 0x93,
                '\u{201D}' => 0x94,
                '•' => 0x95,
                '–' => 0x96,
                '—' => 0x97,
                '˜' => 0x98,
                '™' => 0x99,
                'š' => 0x9A,
                '›' => 0x9B,
                'œ' => 0x9C,
                'ž' => 0x9E,
                'Ÿ' => 0x9F,
                '\t' => b' ',
                _ => b'?',
            },
        })
        .collect()
}

/// A PostScript string literal for a font re-encoded to ISOLatin1Encoding: printable ASCII as is,
/// Latin-1 letters as octal escapes, Cyrillic romanised, dashes as hyphens; anything else becomes '?'.
pub(super) fn ps_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('(');
    for c in romanised(s).chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            '\t' => out.push(' '),
            '\u{a0}'..='\u{ff}' => out.push_str(&format!("\\{:03o}", c as u32)),
            '\u{2013}' | '\u{2014}' => out.push('-'),
            _ => out.push('?'),
        }
    }
    out.push(')');
    out
}

/// Helvetica advance widths (1/1000 em) for WinAnsi codes 0x20..=0x7E.
const HELVETICA_ASCII: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0x30
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 0x50
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // 0x60
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 0x70
];

/// Width of WinAnsi bytes in Helvetica, in em. Codes above 0x7E use a typical Latin letter width.
pub(super) fn helvetica_width_em(bytes: &[u8]) -> f64 {
    let units: u32 = bytes
        .iter()
        .map(|&b| {
            let w = usize::from(b).checked_sub(0x20).and_then(|i| HELVETICA_ASCII.get(i));
            u32::from(w.copied().unwrap_or(600))
        })
        .sum();
    f64::from(units) / 1000.0
}

/// Break text into lines no wider than `max_em` (in em of Helvetica), at spaces where possible and
/// anywhere in over-long words (URLs).
pub(super) fn wrap(s: &str, max_em: f64) -> Vec<Vec<u8>> {
    let bytes = winansi(s);
    let mut lines = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for word in bytes.split(|&b| b == b' ') {
        let mut candidate = line.clone();
        if !candidate.is_empty() {
            candidate.push(b' ');
        }
        candidate.extend_from_slice(word);
        if helvetica_width_em(&candidate) <= max_em {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for &b in word {
            line.push(b);
            if helvetica_width_em(&line) > max_em && line.len() > 1 {
                let last = line.pop().unwrap_or(b' ');
                lines.push(std::mem::take(&mut line));
                line.push(last);
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lose_trailing_zeros() {
        assert_eq!(num(12.0, 3), "12");
        assert_eq!(num(24.6, 1), "24.6");
        assert_eq!(num(0.396, 3), "0.396");
        assert_eq!(num(19.50, 2), "19.5");
        assert_eq!(num(-0.0001, 2), "0");
    }

    #[test]
    fn integers_are_written_without_format() {
        let mut s = String::new();
        for n in [0, 7, 10, 123_456_789] {
            push_uint(&mut s, n);
            s.push(',');
        }
        assert_eq!(s, "0,7,10,123456789,");
    }

    #[test]
    fn cyrillic_captions_are_romanised_for_the_base_14_fonts() {
        assert_eq!(
            winansi("Сковорода 28 см — Щи"),
            "Skovoroda 28 sm \u{97} Shchi".chars().map(|c| c as u8).collect::<Vec<u8>>()
        );
        assert_eq!(ps_string("Ёлка – Юг"), "(Elka - Yug)");
        assert_eq!(winansi("日本"), b"??".to_vec());
    }

    #[test]
    fn escaping() {
        assert_eq!(xml_escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(winansi("Café €5 Привет"), b"Caf\xe9 \x805 Privet".to_vec());
        assert_eq!(ps_string("a(b)\\ é—★"), "(a\\(b\\)\\\\ \\351-?)");
    }

    #[test]
    fn wrapping_breaks_long_urls() {
        let lines = wrap("https://SCAN.EXAMPLE.COM/Q/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 10.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| helvetica_width_em(l) <= 10.0));
    }
}
