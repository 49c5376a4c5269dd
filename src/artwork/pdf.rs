//! PDF: vector artwork with the marks in 100 % K (DeviceCMYK 0 0 0 1) or a named spot colour
//! (Separation with a CMYK alternate). Also the small PDF toolkit the spec sheet and code sheets use.
//!
//! Captions use the base-14 Helvetica with WinAnsiEncoding, so no font is embedded. Limitation:
//! Cyrillic is romanised ("Сковорода" prints as "Skovoroda"); other characters outside WinAnsi
//! (Greek, CJK, emoji...) are printed as '?'. SVG captions keep the original script.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::text::{helvetica_width_em, winansi};
use super::{Colour, Layout, Profile, Symbol, row_runs};

/// PostScript points per millimetre.
pub(super) const PT: f32 = 72.0 / 25.4;

const FONT: Name<'static> = Name(b"F1");
const FONT_BOLD: Name<'static> = Name(b"F2");
const MARK_CS: Name<'static> = Name(b"CsMark");
const REG_CS: Name<'static> = Name(b"CsAll");

/// A PDF being built: fonts and colour spaces are shared objects, pages are added one by one.
pub(super) struct Doc {
    pdf: Pdf,
    next: i32,
    catalog: Ref,
    pages: Ref,
    font: Ref,
    font_bold: Ref,
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
            font_bold: Ref::new(1),
            mark_cs: None,
            reg_cs: None,
            page_ids: Vec::new(),
        };
        doc.catalog = doc.alloc();
        doc.pages = doc.alloc();
        doc.font = doc.alloc();
        doc.font_bold = doc.alloc();
        doc.pdf.type1_font(doc.font).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
        doc.pdf
            .type1_font(doc.font_bold)
            .base_font(Name(b"Helvetica-Bold"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
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
        res.fonts().pair(FONT, self.font).pair(FONT_BOLD, self.font_bold);
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

    pub(super) fn finish(mut self, title: &str) -> Vec<u8> {
        let count = i32::try_from(self.page_ids.len()).unwrap_or(i32::MAX);
        self.pdf.catalog(self.catalog).pages(self.pages);
        self.pdf.pages(self.pages).kids(self.page_ids.iter().copied()).count(count);
        let info = self.alloc();
        self.pdf.document_info(info).title(TextStr(title)).producer(TextStr("scanback"));
        self.pdf.finish()
    }
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

/// One line of Helvetica (WinAnsi), `size` points, with its baseline starting at (`x`, `y`).
pub(super) fn text(c: &mut Content, bytes: &[u8], x: f32, y: f32, size: f32, bold: bool) {
    c.begin_text().set_font(if bold { FONT_BOLD } else { FONT }, size).next_line(x, y).show(Str(bytes)).end_text();
}

/// One line centred on `cx`.
pub(super) fn text_centred(c: &mut Content, s: &str, cx: f32, y: f32, size: f32) {
    let bytes = winansi(s);
    let w = helvetica_width_em(&bytes) as f32 * size;
    text(c, &bytes, cx - w / 2.0, y, size, false);
}

pub(super) fn render(sym: &Symbol, lay: &Layout, p: &Profile, caption: Option<&str>, title: &str) -> Vec<u8> {
    let (mark, ground) = p.mark_and_ground(lay.inverted);
    let side = lay.total_mm as f32 * PT;
    let (font_mm, band_mm) = caption.map_or((0.0, 0.0), |c| {
        (super::svg::caption_font_mm(lay.total_mm, c), super::svg::caption_band_mm(lay.total_mm))
    });
    let band = band_mm as f32 * PT;
    let mut doc = Doc::new(p.spot.as_deref(), &mark, false);
    let mut c = Content::new();
    // Ground under everything, caption band included (a knock-out: nothing under the quiet zone prints).
    fill_cmyk(&mut c, &ground);
    c.rect(0.0, 0.0, side, side + band).fill_nonzero();
    draw_code(&mut c, &doc, sym, lay, p, 0.0, band, side, false);
    if let Some(cap) = caption {
        let size = font_mm as f32 * PT;
        c.save_state();
        fill_mark(&mut c, &doc, &mark);
        text_centred(&mut c, cap, side / 2.0, band * 0.38, size);
        c.restore_state();
    }
    // Trim = media = the code with its quiet zone, and the caption band below it if there is one:
    // what a designer places is exactly what they see.
    let page = Rect::new(0.0, 0.0, side, side + band);
    doc.page(page, Some(page), c);
    doc.finish(title)
}

/// Whether a PDF shows `needle` in one text operation (pdf-writer writes some strings in hex).
#[cfg(test)]
pub(super) fn has_text(pdf: &[u8], needle: &str) -> bool {
    let s = String::from_utf8_lossy(pdf);
    let hex: String = winansi(needle).iter().map(|b| format!("{b:02X}")).collect();
    s.contains(needle) || s.contains(&hex)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::super::{Format, Options, profile, render as render_any};
    use super::has_text;

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
    fn caption_extends_the_boxes_below_the_code() {
        let p = profile("pad-print").unwrap();
        let mut o = Options::new(p);
        o.caption = Some("Поддон Café".into());
        let a = render_any(URL, Format::Pdf, &o).unwrap();
        let s = text_of(&a.bytes);
        assert!(s.contains("/Helvetica"));
        assert!(s.contains("/WinAnsiEncoding"));
        assert!(has_text(&a.bytes, "Poddon Caf\u{e9}"), "Cyrillic romanised: {s}");
        let side = a.spec.total_mm as f32 * super::PT;
        assert!(!s.contains(&format!("/MediaBox [0 0 {side} {side}]")));
    }
}
