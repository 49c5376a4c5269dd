//! The print font: Noto Sans Regular (SIL Open Font License 1.1, see `fonts/OFL.txt`), compiled in
//! so that the artwork code stays free of I/O. PDF embeds a subset of it; SVG and EPS draw its glyph
//! outlines, so nobody needs the font installed to see the artwork as it will print.
//!
//! The font is parsed once, on the first text that needs it: artwork without a caption never pays
//! for it.

use std::fmt;
use std::sync::OnceLock;

use ttf_parser::{Face, GlyphId, OutlineBuilder};

use super::ArtworkError;

/// The font file, unmodified.
pub(super) static DATA: &[u8] = include_bytes!("../../fonts/NotoSans-Regular.ttf");

/// PostScript name of the font (the PDF's BaseFont, after a subset tag).
pub(super) const POSTSCRIPT_NAME: &str = "NotoSans-Regular";

/// Which text a refused character was in, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextRole {
    /// A caption under the code (the API's `caption`, the CLI's `--caption`).
    Caption,
    /// A product line's name (spec sheets, sheets).
    ProductName,
    /// Any other text the artwork sets.
    Text,
}

impl fmt::Display for TextRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextRole::Caption => "the caption",
            TextRole::ProductName => "the product name",
            TextRole::Text => "the text",
        })
    }
}

/// The parsed font and the metrics every writer needs, in em (1.0 = the font size).
pub(super) struct Font {
    face: Face<'static>,
    units_per_em: f64,
    /// Typographic ascender and descender (descender negative), from `hhea`.
    pub ascender: f64,
    pub descender: f64,
    pub cap_height: f64,
    /// The font's bounding box (x min, y min, x max, y max).
    pub bbox: [f64; 4],
}

/// One glyph of set text: its glyph id in the font, the character it stands for and its advance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Glyph {
    pub id: u16,
    pub ch: char,
    pub advance: f64,
}

fn load() -> Result<Font, String> {
    let face = Face::parse(DATA, 0).map_err(|e| format!("the built-in font does not parse: {e}"))?;
    let units_per_em = f64::from(face.units_per_em());
    if units_per_em <= 0.0 {
        return Err("the built-in font has no units per em".into());
    }
    let em = |v: i16| f64::from(v) / units_per_em;
    let b = face.global_bounding_box();
    Ok(Font {
        ascender: em(face.ascender()),
        descender: em(face.descender()),
        cap_height: face.capital_height().map_or(0.714, em),
        bbox: [em(b.x_min), em(b.y_min), em(b.x_max), em(b.y_max)],
        units_per_em,
        face,
    })
}

/// The print font, parsed on first use.
pub(super) fn font() -> Result<&'static Font, ArtworkError> {
    static FONT: OnceLock<Result<Font, String>> = OnceLock::new();
    FONT.get_or_init(load).as_ref().map_err(|e| ArtworkError::Encode(e.clone()))
}

/// `𝄞 (U+1D11E)`: the character itself (unless it is invisible) and its code point.
pub fn describe(ch: char) -> String {
    if ch.is_control() || ch.is_whitespace() || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}') {
        format!("U+{:04X}", u32::from(ch))
    } else {
        format!("{ch} (U+{:04X})", u32::from(ch))
    }
}

impl Font {
    /// The glyph for `ch`, or a refusal naming the character: the font never stands in a '?' or
    /// an empty box for a character it lacks.
    pub(super) fn glyph(&self, ch: char, role: TextRole) -> Result<Glyph, ArtworkError> {
        let id = self.face.glyph_index(ch).filter(|g| g.0 != 0);
        let Some(id) = id else {
            return Err(ArtworkError::UnsupportedCharacter { text: role, ch });
        };
        let advance = f64::from(self.face.glyph_hor_advance(id).unwrap_or(0)) / self.units_per_em;
        Ok(Glyph { id: id.0, ch, advance })
    }

    /// The glyphs for `s`, left to right (scanback sets Latin, Greek and Cyrillic, which need no
    /// shaping beyond one glyph per character).
    pub(super) fn glyphs(&self, s: &str, role: TextRole) -> Result<Vec<Glyph>, ArtworkError> {
        s.chars().map(|c| self.glyph(c, role)).collect()
    }

    /// Advance width of a glyph id in 1/1000 em (PDF glyph space).
    pub(super) fn advance_1000(&self, id: u16) -> f32 {
        (f64::from(self.face.glyph_hor_advance(GlyphId(id)).unwrap_or(0)) * 1000.0 / self.units_per_em) as f32
    }

    /// The ink box of a glyph in em (x min, y min, x max, y max); `None` for a blank glyph.
    pub(super) fn glyph_bbox(&self, id: u16) -> Option<[f64; 4]> {
        let b = self.face.glyph_bounding_box(GlyphId(id))?;
        let em = |v: i16| f64::from(v) / self.units_per_em;
        Some([em(b.x_min), em(b.y_min), em(b.x_max), em(b.y_max)])
    }

    /// Feed the outline of `glyph` to `sink`, in em with y upwards, shifted by `x_em`.
    pub(super) fn outline(&self, id: u16, x_em: f64, sink: &mut dyn PathSink) {
        let mut b = Scaled { sink, scale: 1.0 / self.units_per_em, dx: x_em };
        self.face.outline_glyph(GlyphId(id), &mut b);
    }
}

/// Receives glyph outlines in em (y upwards).
pub(super) trait PathSink {
    fn move_to(&mut self, x: f64, y: f64);
    fn line_to(&mut self, x: f64, y: f64);
    fn quad_to(&mut self, x1: f64, y1: f64, x: f64, y: f64);
    fn curve_to(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, x: f64, y: f64);
    fn close(&mut self);
}

struct Scaled<'a> {
    sink: &'a mut dyn PathSink,
    scale: f64,
    dx: f64,
}

impl Scaled<'_> {
    fn x(&self, x: f32) -> f64 {
        f64::from(x) * self.scale + self.dx
    }

    fn y(&self, y: f32) -> f64 {
        f64::from(y) * self.scale
    }
}

impl OutlineBuilder for Scaled<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = (self.x(x), self.y(y));
        self.sink.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = (self.x(x), self.y(y));
        self.sink.line_to(x, y);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (x1, y1, x, y) = (self.x(x1), self.y(y1), self.x(x), self.y(y));
        self.sink.quad_to(x1, y1, x, y);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (x1, y1, x2, y2, x, y) = (self.x(x1), self.y(y1), self.x(x2), self.y(y2), self.x(x), self.y(y));
        self.sink.curve_to(x1, y1, x2, y2, x, y);
    }

    fn close(&mut self) {
        self.sink.close();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn the_font_covers_latin_greek_and_cyrillic_and_refuses_what_it_lacks() {
        let f = font().unwrap();
        for c in "Сковорода 28 см Café Ωμέγα ЁёЙй Ґґ Її € № ₽ – — « » … ×·".chars()
        {
            assert!(f.glyph(c, TextRole::Caption).is_ok(), "{c:?}");
        }
        let err = f.glyph('𝄞', TextRole::Caption).unwrap_err();
        assert_eq!(err.to_string(), "the caption contains 𝄞 (U+1D11E), which the print font cannot draw");
        let err = f.glyphs("Pan 日本", TextRole::ProductName).unwrap_err();
        assert_eq!(err.to_string(), "the product name contains 日 (U+65E5), which the print font cannot draw");
        assert_eq!(describe('\u{200B}'), "U+200B");
        assert!(f.ascender > 0.9 && f.descender < -0.2 && f.cap_height > 0.6);
    }

    #[test]
    fn advances_come_from_the_font() {
        let f = font().unwrap();
        let narrow = f.glyph('i', TextRole::Text).unwrap().advance;
        let wide = f.glyph('Ж', TextRole::Text).unwrap().advance;
        assert!(narrow > 0.1 && wide > 2.0 * narrow, "{narrow} {wide}");
        assert!((f64::from(f.advance_1000(f.glyph('Ж', TextRole::Text).unwrap().id)) - wide * 1000.0).abs() < 0.01);
    }
}
