//! PDF: vector artwork with the marks in 100 % K (DeviceCMYK 0 0 0 1) or a named spot colour
//! (Separation with a CMYK alternate). Also the small PDF toolkit the spec sheet and code sheets use.
//!
//! Text is set in the print font (Noto Sans, see `font.rs`), embedded as a subset: a Type0 font
//! with a CIDFontType2 descendant, glyph ids as CIDs (Identity-H) and a ToUnicode CMap, so text
//! copied or extracted from the PDF reads as written ("Сковорода 28 см"), in any script the font
//! covers. A document without text embeds no font.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};

use super::font::{self, Glyph};
use super::text::{Caption, Line};
use super::{ArtworkError, Colour, Layout, Profile, Symbol, row_runs};

/// PostScript points per millimetre.
pub(super) const PT: f32 = 72.0 / 25.4;

const FONT: Name<'static> = Name(b"F1");
const MARK_CS: Name<'static> = Name(b"CsMark");
const REG_CS: Name<'static> = Name(b"CsAll");

/// How heavy a line of text is. The spec sheet's labels are bold: the regular glyphs filled and
/// stroked with a hairline of 3.5 % of the type size, so one embedded font does for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weight {
    Regular,
    Bold,
}

/// The glyphs a document shows, renumbered for the subset (`.notdef` stays 0), and the character
/// each stands for (the ToUnicode CMap).
struct FontUse {
    remapper: subsetter::GlyphRemapper,
    unicode: BTreeMap<u16, char>,
}

/// A PDF being built: the font and colour spaces are shared objects, pages are added one by one.
pub(super) struct Doc {
    pdf: Pdf,
    next: i32,
    catalog: Ref,
    pages: Ref,
    font: Ref,
    font_use: Option<FontUse>,
    mark_cs: Option<Ref>,
    reg_cs: Option<Ref>,
    page_ids: Vec<Ref>,
}

impl Doc {
    /// `mark`: the colour of the marks, written as the spot colour `spot` if given.
    /// `registration`: also define the /All separation for crop marks.
    pub(super) fn new(spot: Option<&str>, mark: &Colour, registration: bool) -> Doc {
        let mut doc = Doc {
            pdf: Pdf::new(),
            next: 1,
            catalog: Ref::new(1),
            pages: Ref::new(1),
            font: Ref::new(1),
            font_use: None,
            mark_cs: None,
            reg_cs: None,
            page_ids: Vec::new(),
        };
        doc.catalog = doc.alloc();
        doc.pages = doc.alloc();
        doc.font = doc.alloc();
        if let Some(spot) = spot {
            let id = doc.alloc();
            separation(&mut doc.pdf, id, spot.as_bytes(), mark.cmyk_f32());
            doc.mark_cs = Some(id);
        }
        if registration {
            let id = doc.alloc();
            separation(&mut doc.pdf, id, b"All", [1.0; 4]);
            doc.reg_cs = Some(id);
        }
        doc
    }

    fn alloc(&mut self) -> Ref {
        let r = Ref::new(self.next);
        self.next += 1;
        r
    }

    /// Add a page of `media` size (points) with an optional TrimBox.
    pub(super) fn page(&mut self, media: Rect, trim: Option<Rect>, content: Content) {
        let page_id = self.alloc();
        let content_id = self.alloc();
        let mut page = self.pdf.page(page_id);
        page.media_box(media).parent(self.pages).contents(content_id);
        if let Some(t) = trim {
            page.trim_box(t);
        }
        let mut res = page.resources();
        if self.font_use.is_some() {
            res.fonts().pair(FONT, self.font);
        }
        if self.mark_cs.is_some() || self.reg_cs.is_some() {
            let mut cs = res.color_spaces();
            if let Some(id) = self.mark_cs {
                cs.pair(MARK_CS, id);
            }
            if let Some(id) = self.reg_cs {
                cs.pair(REG_CS, id);
            }
        }
        res.finish();
        page.finish();
        let data = content.finish();
        self.pdf.stream(content_id, &data);
        self.page_ids.push(page_id);
    }

    /// The CIDs (subset glyph ids) of `glyphs`, big-endian, as a text operator shows them.
    fn encode(&mut self, glyphs: &[Glyph]) -> Vec<u8> {
        let fu = self
            .font_use
            .get_or_insert_with(|| FontUse { remapper: subsetter::GlyphRemapper::new(), unicode: BTreeMap::new() });
        let mut out = Vec::with_capacity(glyphs.len() * 2);
        for g in glyphs {
            let cid = fu.remapper.remap(g.id);
            fu.unicode.entry(cid).or_insert(g.ch);
            out.extend_from_slice(&cid.to_be_bytes());
        }
        out
    }

    /// Write the subset font, if any text was shown.
    fn write_font(&mut self) -> Result<(), ArtworkError> {
        let Some(fu) = self.font_use.take() else { return Ok(()) };
        let f = font::font()?;
        let data = subsetter::subset(font::DATA, 0, &fu.remapper)
            .map_err(|e| ArtworkError::Encode(format!("cannot subset the print font: {e}")))?;
        // The subset tag (six capitals) names this glyph set, so that different subsets in files
        // placed on one page do not pass for each other.
        let gids: Vec<u8> = fu.remapper.remapped_gids().flat_map(u16::to_be_bytes).collect();
        let hash = Sha256::digest(&gids);
        let tag: String = hash.iter().take(6).map(|b| char::from(b'A' + b % 26)).collect();
        let base_font = format!("{tag}+{}", font::POSTSCRIPT_NAME);

        let cid_id = self.alloc();
        let descriptor_id = self.alloc();
        let file_id = self.alloc();
        let cmap_id = self.alloc();
        let system_info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

        self.pdf
            .type0_font(self.font)
            .base_font(Name(base_font.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_id)
            .to_unicode(cmap_id);

        let mut cid = self.pdf.cid_font(cid_id);
        cid.subtype(CidFontType::Type2)
            .base_font(Name(base_font.as_bytes()))
            .system_info(system_info)
            .font_descriptor(descriptor_id)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        let widths: Vec<f32> = fu.remapper.remapped_gids().map(|g| f.advance_1000(g)).collect();
        cid.widths().consecutive(0, widths);
        cid.finish();

        let k = |v: f64| (v * 1000.0) as f32;
        let [x0, y0, x1, y1] = f.bbox;
        self.pdf
            .font_descriptor(descriptor_id)
            .name(Name(base_font.as_bytes()))
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(k(x0), k(y0), k(x1), k(y1)))
            .italic_angle(0.0)
            .ascent(k(f.ascender))
            .descent(k(f.descender))
            .cap_height(k(f.cap_height))
            .stem_v(80.0)
            .font_file2(file_id);
        let len = i32::try_from(data.len()).unwrap_or(i32::MAX);
        let packed = deflate(&data)?;
        self.pdf.stream(file_id, &packed).filter(Filter::FlateDecode).pair(Name(b"Length1"), len);

        let mut cmap = UnicodeCmap::new(
            Name(b"Custom"),
            SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"UCS"), supplement: 0 },
        );
        for (&cid, &ch) in &fu.unicode {
            cmap.pair(cid, ch);
        }
        let cmap = cmap.finish();
        self.pdf.cmap(cmap_id, &cmap);
        Ok(())
    }

    pub(super) fn finish(mut self, title: &str) -> Result<Vec<u8>, ArtworkError> {
        self.write_font()?;
        let count = i32::try_from(self.page_ids.len()).unwrap_or(i32::MAX);
        self.pdf.catalog(self.catalog).pages(self.pages);
        self.pdf.pages(self.pages).kids(self.page_ids.iter().copied()).count(count);
        let info = self.alloc();
        self.pdf.document_info(info).title(TextStr(title)).producer(TextStr("scanback"));
        Ok(self.pdf.finish())
    }
}

/// zlib-compressed `data` (a FlateDecode stream).
fn deflate(data: &[u8]) -> Result<Vec<u8>, ArtworkError> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::with_capacity(data.len() / 2), flate2::Compression::default());
    z.write_all(data).and_then(|()| z.finish()).map_err(|e| ArtworkError::Encode(format!("deflate: {e}")))
}

/// A Separation colour space: tint 0 = nothing, tint 1 = `cmyk` on a process printer.
fn separation(pdf: &mut Pdf, id: Ref, name: &[u8], cmyk: [f32; 4]) {
    let mut sep = pdf.color_space(id).separation(Name(name));
    sep.alternate_color_space().device_cmyk();
    sep.tint_exponential().domain([0.0, 1.0]).c0([0.0; 4]).c1(cmyk).n(1.0);
}

/// Fill colour for the marks: the spot colour at 100 % if the document has one, else CMYK.
pub(super) fn fill_mark(c: &mut Content, doc: &Doc, mark: &Colour) {
    if doc.mark_cs.is_some() {
        c.set_fill_color_space(MARK_CS).set_fill_color([1.0]);
    } else {
        let [cy, m, y, k] = mark.cmyk_f32();
        c.set_fill_cmyk(cy, m, y, k);
    }
}

pub(super) fn fill_cmyk(c: &mut Content, colour: &Colour) {
    let [cy, m, y, k] = colour.cmyk_f32();
    c.set_fill_cmyk(cy, m, y, k);
}

/// Stroke in registration colour (every separation), for crop marks.
pub(super) fn stroke_registration(c: &mut Content, doc: &Doc) {
    if doc.reg_cs.is_some() {
        c.set_stroke_color_space(REG_CS).set_stroke_color([1.0]);
    } else {
        c.set_stroke_cmyk(0.0, 0.0, 0.0, 1.0);
    }
}

/// Draw the symbol with its quiet zone as a square of `side` points whose lower-left corner is at
/// (`x`, `y`). The ground (quiet zone and light modules) is painted first if `paint_ground`.
#[allow(clippy::too_many_arguments)]
pub(super) fn draw_code(
    c: &mut Content,
    doc: &Doc,
    sym: &Symbol,
    lay: &Layout,
    p: &Profile,
    x: f32,
    y: f32,
    side: f32,
    paint_ground: bool,
) {
    let (mark, ground) = p.mark_and_ground(lay.inverted);
    let span = lay.span() as f32;
    let m = side / span;
    let q = lay.quiet_zone_modules as f32;
    c.save_state();
    if paint_ground {
        fill_cmyk(c, &ground);
        c.rect(x, y, side, side).fill_nonzero();
    }
    fill_mark(c, doc, &mark);
    // Module units, y downwards from the top edge: every run is an integer rectangle.
    c.transform([m, 0.0, 0.0, -m, x, y + side]);
    for row in 0..sym.width() {
        for (col, len) in row_runs(sym.row(row)) {
            c.rect(col as f32 + q, row as f32 + q, len as f32, 1.0);
        }
    }
    c.fill_nonzero();
    c.restore_state();
}

/// One line of set text, `size` points, with its baseline starting at (`x`, `y`). A bold line is
/// stroked in the current stroke colour too: set it to the fill colour first.
pub(super) fn text(c: &mut Content, doc: &mut Doc, line: &Line, x: f32, y: f32, size: f32, weight: Weight) {
    if line.glyphs.is_empty() {
        return;
    }
    let cids = doc.encode(&line.glyphs);
    if weight == Weight::Bold {
        c.save_state();
        c.set_line_width(size * 0.035);
    }
    c.begin_text();
    if weight == Weight::Bold {
        c.set_text_rendering_mode(TextRenderingMode::FillStroke);
    }
    c.set_font(FONT, size).next_line(x, y).show(Str(&cids)).end_text();
    if weight == Weight::Bold {
        c.restore_state();
    }
}

/// A caption in the current fill colour, its band's top edge at `top` and the artwork's left edge
/// at `left` (points).
pub(super) fn caption(c: &mut Content, doc: &mut Doc, cap: &Caption, left: f32, top: f32) {
    let size = cap.font_mm as f32 * PT;
    for l in &cap.lines {
        let x = left + l.x_mm as f32 * PT;
        let y = top - l.baseline_mm as f32 * PT;
        text(c, doc, &l.line, x, y, size, Weight::Regular);
    }
}

pub(super) fn render(
    sym: &Symbol,
    lay: &Layout,
    p: &Profile,
    cap: Option<&Caption>,
    title: &str,
) -> Result<Vec<u8>, ArtworkError> {
    let (mark, ground) = p.mark_and_ground(lay.inverted);
    let side = lay.total_mm as f32 * PT;
    let band = cap.map_or(0.0, |c| c.band_mm as f32 * PT);
    let mut doc = Doc::new(p.spot.as_deref(), &mark, false);
    let mut c = Content::new();
    // Ground under everything, caption band included (a knock-out: nothing under the quiet zone prints).
    fill_cmyk(&mut c, &ground);
    c.rect(0.0, 0.0, side, side + band).fill_nonzero();
    draw_code(&mut c, &doc, sym, lay, p, 0.0, band, side, false);
    if let Some(cap) = cap {
        c.save_state();
        fill_mark(&mut c, &doc, &mark);
        caption(&mut c, &mut doc, cap, 0.0, band);
        c.restore_state();
    }
    // Trim = media = the code with its quiet zone, and the caption band below it if there is one:
    // what a designer places is exactly what they see.
    let page = Rect::new(0.0, 0.0, side, side + band);
    doc.page(page, Some(page), c);
    doc.finish(title)
}

/// The text a PDF shows, one text operation per line, read back through its ToUnicode CMap (the
/// way `pdftotext` does, for unit tests that should not need poppler).
#[cfg(test)]
pub(super) fn shown_text(pdf: &[u8]) -> String {
    use std::collections::HashMap;

    fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
        hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
    }
    fn hex(s: &[u8]) -> Vec<u8> {
        let digits: Vec<u8> = s.iter().filter_map(|&b| char::from(b).to_digit(16)).map(|d| d as u8).collect();
        digits.chunks(2).map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0)).collect()
    }
    // CID -> text, from every bfchar block.
    let mut map: HashMap<u16, String> = HashMap::new();
    let mut at = 0;
    while let Some(start) = find(pdf, b"beginbfchar\n", at) {
        let end = find(pdf, b"endbfchar", start).unwrap_or(pdf.len());
        for line in pdf[start..end].split(|&b| b == b'\n').skip(1) {
            let parts: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
            if let [cid, uni] = parts.as_slice() {
                let cid = hex(cid);
                let units: Vec<u16> = hex(uni).chunks(2).map(|p| u16::from_be_bytes([p[0], p[1]])).collect();
                map.insert(u16::from_be_bytes([cid[0], cid[1]]), String::from_utf16_lossy(&units));
            }
        }
        at = end;
    }
    // Every string shown after a `Td` (how `text` writes them): literal (ASCII bytes) or hex.
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(td) = find(pdf, b" Td\n", at) {
        let mut i = td + 4;
        let mut bytes = Vec::new();
        match pdf.get(i) {
            Some(b'<') => {
                let end = find(pdf, b">", i).unwrap_or(pdf.len());
                bytes = hex(&pdf[i + 1..end]);
                i = end + 1;
            }
            Some(b'(') => {
                let mut depth = 0;
                i += 1;
                while let Some(&b) = pdf.get(i) {
                    i += 1;
                    match b {
                        b'\\' => {
                            let e = pdf[i];
                            if e.is_ascii_digit() {
                                let oct = std::str::from_utf8(&pdf[i..i + 3]).unwrap();
                                bytes.push(u8::from_str_radix(oct, 8).unwrap());
                                i += 3;
                            } else {
                                bytes.push(match e {
                                    b'n' => b'\n',
                                    b'r' => b'\r',
                                    b't' => b'\t',
                                    b'b' => 8,
                                    b'f' => 12,
                                    other => other,
                                });
                                i += 1;
                            }
                        }
                        b'(' => {
                            depth += 1;
                            bytes.push(b);
                        }
                        b')' if depth == 0 => break,
                        b')' => {
                            depth -= 1;
                            bytes.push(b);
                        }
                        _ => bytes.push(b),
                    }
                }
            }
            _ => {}
        }
        if pdf.get(i..i + 3) == Some(b" Tj") {
            let line: String =
                bytes.chunks(2).map(|p| map.get(&u16::from_be_bytes([p[0], p[1]])).map_or("\u{fffd}", |s| s)).collect();
            out.push(line);
        }
        at = i;
    }
    out.join("\n")
}

/// Whether a PDF shows `needle` in one text operation.
#[cfg(test)]
pub(super) fn has_text(pdf: &[u8], needle: &str) -> bool {
    shown_text(pdf).contains(needle)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::super::{Format, Options, profile, render as render_any};
    use super::shown_text;

    const URL: &str = "https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2";

    fn text_of(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    #[test]
    fn pdf_has_true_size_boxes_and_cmyk_black() {
        let p = profile("packaging-offset").unwrap();
        let a = render_any(URL, Format::Pdf, &Options::new(p)).unwrap();
        let s = text_of(&a.bytes);
        let side = a.spec.total_mm as f32 * super::PT;
        assert!(s.starts_with("%PDF-"));
        assert!(s.contains(&format!("/MediaBox [0 0 {side} {side}]")), "{s}");
        assert!(s.contains(&format!("/TrimBox [0 0 {side} {side}]")));
        assert!(s.contains("0 0 0 1 k"));
        assert!(!s.contains("Separation"));
    }

    #[test]
    fn spot_colour_profiles_use_a_separation() {
        let p = profile("laser-metal").unwrap();
        let s = text_of(&render_any(URL, Format::Pdf, &Options::new(p)).unwrap().bytes);
        assert!(s.contains("/Separation /Laser /DeviceCMYK"), "{s}");
        assert!(s.contains("/CsMark cs"));
    }

    #[test]
    fn caption_extends_the_boxes_below_the_code_and_is_real_text_in_an_embedded_subset() {
        let p = profile("pad-print").unwrap();
        let mut o = Options::new(p);
        o.caption = Some("Сковорода 28 см Café".into());
        let a = render_any(URL, Format::Pdf, &o).unwrap();
        let s = text_of(&a.bytes);
        assert!(!s.contains("/Helvetica") && !s.contains("WinAnsi"), "no base-14 font");
        assert!(s.contains("/Subtype /Type0") && s.contains("/Subtype /CIDFontType2"), "{s}");
        assert!(s.contains("/Encoding /Identity-H") && s.contains("/ToUnicode"));
        assert!(s.contains("+NotoSans-Regular") && s.contains("/FontFile2"));
        assert_eq!(shown_text(&a.bytes), "Сковорода 28 см Café");
        let side = a.spec.total_mm as f32 * super::PT;
        assert!(!s.contains(&format!("/MediaBox [0 0 {side} {side}]")));
        // Only the glyphs used are embedded: far below the 500 KB font.
        assert!(a.bytes.len() < 60_000, "{} bytes", a.bytes.len());
    }

    #[test]
    fn artwork_without_text_embeds_no_font() {
        let p = profile("laser-metal").unwrap();
        let s = text_of(&render_any(URL, Format::Pdf, &Options::new(p)).unwrap().bytes);
        assert!(!s.contains("/Font"), "{s}");
    }
}
