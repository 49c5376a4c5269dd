//! Small text helpers shared by the writers: number formatting, escaping, and setting text in the
//! print font (see `font.rs`): lines of glyphs measured with the font's own advances, wrapped at
//! spaces, and the caption under a code (wrapped to at most three lines or shrunk to fit the
//! artwork's width, never reaching into the quiet zone).

use super::ArtworkError;
use super::font::{Font, Glyph, TextRole, font};

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

/// A PostScript string literal for a DSC comment (the EPS title): printable ASCII as is, every other
/// byte of the UTF-8 text as an octal escape. Printed text is drawn as outlines, not as strings.
pub(super) fn ps_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('(');
    for b in s.bytes() {
        match b {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            b' '..=b'~' => out.push(char::from(b)),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push(')');
    out
}

/// Spaces that must not become line breaks: kept as their own glyphs.
fn is_non_breaking(c: char) -> bool {
    matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
}

fn is_break(c: char) -> bool {
    c.is_whitespace() && !is_non_breaking(c)
}

/// One line of set text: glyphs left to right and the width in em.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Line {
    pub glyphs: Vec<Glyph>,
    pub width: f64,
}

impl Line {
    fn new(glyphs: Vec<Glyph>) -> Line {
        let width = glyphs.iter().map(|g| g.advance).sum();
        Line { glyphs, width }
    }

    /// The characters of the line (runs of white space are one space).
    pub(super) fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.ch).collect()
    }
}

struct Word {
    glyphs: Vec<Glyph>,
    width: f64,
}

/// The words of one paragraph, every character checked against the font.
fn words(f: &Font, para: &str, role: TextRole) -> Result<Vec<Word>, ArtworkError> {
    para.split(is_break)
        .filter(|w| !w.is_empty())
        .map(|w| {
            let glyphs = f.glyphs(w, role)?;
            let width = glyphs.iter().map(|g| g.advance).sum();
            Ok(Word { glyphs, width })
        })
        .collect()
}

/// Greedy wrap of one paragraph into lines no wider than `max_em`. A word wider than a line is
/// broken between characters if `break_words`, else the paragraph does not fit (`None`).
fn wrap_words(words: &[Word], space: Glyph, max_em: f64, break_words: bool) -> Option<Vec<Line>> {
    let mut lines = Vec::new();
    let mut cur: Vec<Glyph> = Vec::new();
    let mut cur_w = 0.0;
    for w in words {
        let sep = if cur.is_empty() { 0.0 } else { space.advance };
        if cur_w + sep + w.width <= max_em + 1e-9 {
            if !cur.is_empty() {
                cur.push(space);
            }
            cur.extend_from_slice(&w.glyphs);
            cur_w += sep + w.width;
            continue;
        }
        if !cur.is_empty() {
            lines.push(Line::new(std::mem::take(&mut cur)));
            cur_w = 0.0;
        }
        if w.width <= max_em + 1e-9 {
            cur.extend_from_slice(&w.glyphs);
            cur_w = w.width;
            continue;
        }
        if !break_words {
            return None;
        }
        for &g in &w.glyphs {
            if cur_w + g.advance > max_em + 1e-9 && !cur.is_empty() {
                lines.push(Line::new(std::mem::take(&mut cur)));
                cur_w = 0.0;
            }
            cur.push(g);
            cur_w += g.advance;
        }
    }
    if !cur.is_empty() {
        lines.push(Line::new(cur));
    }
    Some(lines)
}

/// `s` on one line (runs of white space become one space).
pub(super) fn set_line(s: &str, role: TextRole) -> Result<Line, ArtworkError> {
    let f = font()?;
    let space = f.glyph(' ', role)?;
    let ws = words(f, s, role)?;
    let mut glyphs = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        if i > 0 {
            glyphs.push(space);
        }
        glyphs.extend_from_slice(&w.glyphs);
    }
    Ok(Line::new(glyphs))
}

/// `s` broken into lines no wider than `max_em`, at spaces where possible and anywhere in over-long
/// words (URLs). Line breaks in `s` are kept.
pub(super) fn wrap(s: &str, max_em: f64, role: TextRole) -> Result<Vec<Line>, ArtworkError> {
    let f = font()?;
    let space = f.glyph(' ', role)?;
    let mut out = Vec::new();
    for para in s.lines() {
        out.extend(wrap_words(&words(f, para, role)?, space, max_em, true).unwrap_or_default());
    }
    if out.is_empty() {
        out.push(Line::new(Vec::new()));
    }
    Ok(out)
}

/// Most lines a caption may take.
pub const MAX_CAPTION_LINES: usize = 3;
/// The smallest caption type, in mm (about 2.8 pt).
pub const MIN_CAPTION_MM: f64 = 1.0;
/// A caption is at most this share of the artwork's width.
const CAPTION_WIDTH: f64 = 0.92;
/// A caption that fits on fewer lines at this share of the full size is shrunk rather than wrapped.
const SHRINK_BEFORE_WRAP: f64 = 0.8;
/// Vertical rhythm in em: first baseline below the band's top, baseline to baseline, last baseline
/// above the band's bottom. One line gives a band of 1.8 em.
const FIRST_BASELINE: f64 = 1.116;
const LEADING: f64 = 1.2;
const LAST_DESCENT: f64 = 0.684;

/// What to do with a caption that does not fit in [`MAX_CAPTION_LINES`] lines of
/// [`MIN_CAPTION_MM`] type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Overflow {
    /// Refuse it (a caption someone typed: they decide what to leave out).
    Refuse,
    /// Cut the first paragraph short with an ellipsis, keep the rest (a sheet's "name, then code").
    Truncate,
}

/// One line of a caption, placed: `x_mm` from the artwork's left edge, `baseline_mm` below the top
/// of the caption band.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CaptionLine {
    pub line: Line,
    pub x_mm: f64,
    pub baseline_mm: f64,
}

/// A caption set for a code of a given width: the band below the code that holds it, its type
/// size and its lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Caption {
    pub(super) font_mm: f64,
    pub(super) band_mm: f64,
    pub(super) lines: Vec<CaptionLine>,
}

impl Caption {
    /// Height of the band under the code, in mm.
    pub fn band_mm(&self) -> f64 {
        self.band_mm
    }

    /// Type size in mm.
    pub fn font_mm(&self) -> f64 {
        self.font_mm
    }

    /// The lines as text.
    pub fn lines(&self) -> Vec<String> {
        self.lines.iter().map(|l| l.line.text()).collect()
    }
}

/// Wrap every paragraph at `font_mm`; `None` if a word does not fit and `break_words` is off.
fn wrap_at(paras: &[Vec<Word>], space: Glyph, width_mm: f64, font_mm: f64, break_words: bool) -> Option<Vec<Line>> {
    let mut out = Vec::new();
    for p in paras {
        out.extend(wrap_words(p, space, width_mm / font_mm, break_words)?);
    }
    Some(out)
}

/// The largest type size in `[MIN_CAPTION_MM, max_font]` at which the caption takes at most `n`
/// lines without breaking a word.
fn largest_fitting(paras: &[Vec<Word>], space: Glyph, width_mm: f64, max_font: f64, n: usize) -> Option<f64> {
    let fits = |f: f64| wrap_at(paras, space, width_mm, f, false).is_some_and(|l| l.len() <= n);
    if fits(max_font) {
        return Some(max_font);
    }
    if max_font <= MIN_CAPTION_MM || !fits(MIN_CAPTION_MM) {
        return None;
    }
    // Fewer lines as the type shrinks: bisect between a size that fits and one that does not.
    let (mut lo, mut hi) = (MIN_CAPTION_MM, max_font);
    for _ in 0..24 {
        let mid = (lo + hi) / 2.0;
        if fits(mid) { lo = mid } else { hi = mid }
    }
    Some(lo)
}

/// Cut `lines` to `keep` lines, ending the last with an ellipsis that fits in `max_em`.
fn truncate(mut lines: Vec<Line>, keep: usize, max_em: f64, f: &Font) -> Result<Vec<Line>, ArtworkError> {
    let ellipsis = f.glyph('\u{2026}', TextRole::Text)?;
    lines.truncate(keep);
    if let Some(last) = lines.last_mut() {
        let mut glyphs = std::mem::take(&mut last.glyphs);
        while !glyphs.is_empty() && Line::new(glyphs.clone()).width + ellipsis.advance > max_em {
            glyphs.pop();
        }
        while glyphs.last().is_some_and(|g| g.ch == ' ') {
            glyphs.pop();
        }
        glyphs.push(ellipsis);
        *last = Line::new(glyphs);
    }
    Ok(lines)
}

/// Set `caption` under a code `total_mm` wide. Type starts in proportion to the code (7 % of its
/// width, 2 to 12 mm); a caption wider than the artwork is shrunk if that keeps it on fewer lines
/// at 80 % of the size or more, otherwise wrapped at spaces into up to three lines, shrunk further
/// if needed. Line breaks in `caption` are kept. Every character must be in the print font.
pub(super) fn caption(
    total_mm: f64,
    caption: &str,
    role: TextRole,
    overflow: Overflow,
) -> Result<Caption, ArtworkError> {
    let f = font()?;
    let space = f.glyph(' ', role)?;
    let normalised = caption.replace("\r\n", "\n").replace('\r', "\n");
    let paras: Vec<Vec<Word>> = normalised
        .split('\n')
        .map(|p| words(f, p, role))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|w| !w.is_empty())
        .collect();
    let width_mm = total_mm * CAPTION_WIDTH;
    let full = (total_mm * 0.07).clamp(2.0, 12.0);
    let too_long =
        || ArtworkError::CaptionTooLong { total_mm, max_lines: MAX_CAPTION_LINES, min_font_mm: MIN_CAPTION_MM };

    let sizes: Vec<(usize, f64)> = (paras.len().max(1)..=MAX_CAPTION_LINES)
        .filter_map(|n| largest_fitting(&paras, space, width_mm, full, n).map(|s| (n, s)))
        .collect();
    let chosen = sizes
        .iter()
        .find(|(_, s)| *s >= full * SHRINK_BEFORE_WRAP)
        .or_else(|| sizes.iter().max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0))))
        .map(|&(_, s)| s);
    let (font_mm, lines) = match chosen {
        Some(s) => (s, wrap_at(&paras, space, width_mm, s, false).unwrap_or_default()),
        None => {
            // No size keeps every word whole: break words (URLs, long codes) at the smallest type.
            let s = MIN_CAPTION_MM;
            let max_em = width_mm / s;
            let lines = wrap_at(&paras, space, width_mm, s, true).unwrap_or_default();
            if lines.len() <= MAX_CAPTION_LINES {
                (s, lines)
            } else if overflow == Overflow::Truncate {
                let [head, rest @ ..] = paras.as_slice() else { return Err(too_long()) };
                let tail = wrap_at(rest, space, width_mm, s, true).unwrap_or_default();
                if tail.len() >= MAX_CAPTION_LINES {
                    return Err(too_long());
                }
                let head = wrap_words(head, space, max_em, true).unwrap_or_default();
                let mut lines = truncate(head, MAX_CAPTION_LINES - tail.len(), max_em, f)?;
                lines.extend(tail);
                (s, lines)
            } else {
                return Err(too_long());
            }
        }
    };

    // Room above the first baseline and below the last for the tallest accent and deepest
    // descender actually set, so that no ink reaches up into the quiet zone or out of the band.
    let ink = |line: Option<&Line>, top: bool| {
        line.map_or(0.0, |l| {
            l.glyphs
                .iter()
                .filter_map(|g| f.glyph_bbox(g.id))
                .map(|b| if top { b[3] } else { -b[1] })
                .fold(0.0, f64::max)
        })
    };
    let first = FIRST_BASELINE.max(ink(lines.first(), true) + 0.05);
    let last = LAST_DESCENT.max(ink(lines.last(), false) + 0.05);
    let n = lines.len().max(1);
    let band_mm = font_mm * (first + LEADING * (n - 1) as f64 + last);
    let lines = lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| CaptionLine {
            x_mm: (total_mm - line.width * font_mm) / 2.0,
            baseline_mm: font_mm * (first + LEADING * i as f64),
            line,
        })
        .collect();
    Ok(Caption { font_mm, band_mm, lines })
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
    fn escaping() {
        assert_eq!(xml_escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(ps_string("a(b)\\ é"), "(a\\(b\\)\\\\ \\303\\251)");
    }

    #[test]
    fn wrapping_breaks_long_urls_and_measures_with_the_font() {
        let lines = wrap("https://SCAN.EXAMPLE.COM/Q/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 10.0, TextRole::Text).unwrap();
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width <= 10.0 + 1e-9));
        let narrow = set_line("iiii", TextRole::Text).unwrap().width;
        let wide = set_line("ЖЖЖЖ", TextRole::Text).unwrap().width;
        assert!(wide > 2.0 * narrow);
        assert_eq!(set_line("  Сковорода \t 28\u{a0}см ", TextRole::Text).unwrap().text(), "Сковорода 28\u{a0}см");
    }

    #[test]
    fn a_short_caption_is_one_line_at_full_size_inside_the_width() {
        let c = caption(40.0, "Сковорода 28 см", TextRole::Caption, Overflow::Refuse).unwrap();
        assert_eq!(c.lines(), vec!["Сковорода 28 см"]);
        assert!((c.font_mm - 2.8).abs() < 1e-9);
        assert!((c.band_mm - 2.8 * 1.8).abs() < 1e-9, "one line keeps the old 1.8 em band");
        let l = &c.lines[0];
        assert!(l.x_mm > 0.0 && l.x_mm + l.line.width * c.font_mm < 40.0);
    }

    #[test]
    fn long_names_wrap_into_at_most_three_lines_or_shrink_and_never_leave_the_width() {
        let name = "Сковорода чугунная с антипригарным покрытием и съёмной ручкой, 28 см";
        for total in [20.0, 24.6, 30.75, 60.0, 200.0] {
            let c = caption(total, name, TextRole::Caption, Overflow::Refuse).unwrap();
            assert!((1..=MAX_CAPTION_LINES).contains(&c.lines.len()), "{total}: {:?}", c.lines());
            assert_eq!(c.lines().join(" "), name, "nothing lost at {total} mm");
            for l in &c.lines {
                assert!(l.x_mm >= total * 0.04 - 1e-9, "{total}");
                assert!(l.x_mm + l.line.width * c.font_mm <= total * 0.96 + 1e-9, "{total}");
            }
            assert!(c.font_mm >= MIN_CAPTION_MM);
        }
        // Slightly too wide for one line: shrunk, not wrapped.
        let c = caption(24.6, "Сковорода чугунная 28 см", TextRole::Caption, Overflow::Refuse).unwrap();
        assert_eq!(c.lines.len(), 1, "{:?} at {} mm", c.lines(), c.font_mm);
        assert!(c.font_mm < 2.0);
    }

    #[test]
    fn caption_ink_stays_inside_its_band_below_the_quiet_zone() {
        let f = font().unwrap();
        for text in ["Ёлка ЙЦУКЕН ÅÉÎ", "Ẫẫ Ǻ gjpqy Щ", "Сковорода\n7K3M9XQ2"] {
            let c = caption(24.6, text, TextRole::Caption, Overflow::Refuse).unwrap();
            for l in &c.lines {
                for g in &l.line.glyphs {
                    if let Some(b) = f.glyph_bbox(g.id) {
                        let top = l.baseline_mm - b[3] * c.font_mm;
                        let bottom = l.baseline_mm - b[1] * c.font_mm;
                        assert!(top >= 0.0, "{text}: {} reaches above the band", g.ch);
                        assert!(bottom <= c.band_mm, "{text}: {} reaches below the band", g.ch);
                    }
                }
            }
        }
    }

    #[test]
    fn line_breaks_are_kept_and_too_long_captions_are_refused_or_cut() {
        let c = caption(30.0, "Pan\nQ7K3M9XQ2", TextRole::Caption, Overflow::Refuse).unwrap();
        assert_eq!(c.lines(), vec!["Pan", "Q7K3M9XQ2"]);
        let long = "Сковорода ".repeat(40);
        let err = caption(20.0, &long, TextRole::Caption, Overflow::Refuse).unwrap_err();
        assert!(matches!(err, ArtworkError::CaptionTooLong { .. }), "{err:?}");
        assert!(err.to_string().contains("20 mm"), "{err}");
        let cut = caption(20.0, &format!("{long}\nQ7K3M9XQ2"), TextRole::ProductName, Overflow::Truncate).unwrap();
        let lines = cut.lines();
        assert_eq!(lines.len(), MAX_CAPTION_LINES);
        assert_eq!(lines.last().unwrap(), "Q7K3M9XQ2", "the code survives");
        assert!(lines[MAX_CAPTION_LINES - 2].ends_with('\u{2026}'), "{lines:?}");
    }
}
