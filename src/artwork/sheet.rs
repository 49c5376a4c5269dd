//! Sheets: many codes on A4 or US Letter pages, in a grid, each with crop marks, as many pages as needed.

use std::fmt;
use std::str::FromStr;

use pdf_writer::{Content, Rect};

use super::font::TextRole;
use super::pdf::{Doc, PT, caption, draw_code, fill_cmyk, fill_mark, stroke_registration};
use super::text::{Overflow, num};
use super::{ArtworkError, Options, Plan, plan_with};

/// Page size of a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    /// Width and height in mm.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

impl fmt::Display for Paper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Paper::A4 => "A4",
            Paper::Letter => "Letter",
        })
    }
}

impl FromStr for Paper {
    type Err = ArtworkError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "letter" | "us-letter" => Ok(Paper::Letter),
            _ => Err(ArtworkError::InvalidInput(format!("unknown paper \"{s}\"; valid papers are: a4, letter"))),
        }
    }
}

/// One code on a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetItem {
    /// The final text to encode.
    pub text: String,
    /// Text under the piece, usually the product's name and, on a line of its own, its code. A
    /// caption too long for the piece is cut short with an ellipsis in its first line (the name),
    /// never in the rest (the code a person types when the symbol cannot be scanned).
    pub caption: Option<String>,
}

/// Most codes on one sheet request.
pub const MAX_SHEET_ITEMS: usize = 2000;

const PAGE_MARGIN_MM: f64 = 10.0;
/// Crop marks start this far from the trim...
const MARK_OFFSET_MM: f64 = 2.0;
/// ...and are this long.
const MARK_LEN_MM: f64 = 4.0;

/// A PDF of `items` on `paper`, each sized per `opts` (its caption is ignored: each item has its own).
pub fn sheet(items: &[SheetItem], paper: Paper, opts: &Options<'_>) -> Result<Vec<u8>, ArtworkError> {
    if items.is_empty() {
        return Err(ArtworkError::InvalidInput("a sheet needs at least one code".into()));
    }
    if items.len() > MAX_SHEET_ITEMS {
        return Err(ArtworkError::InvalidInput(format!("at most {MAX_SHEET_ITEMS} codes per sheet")));
    }
    let item_opts: Vec<Options<'_>> = items
        .iter()
        .map(|it| Options { caption: it.caption.clone().filter(|c| !c.trim().is_empty()), ..opts.clone() })
        .collect();
    let plans = items
        .iter()
        .zip(&item_opts)
        .map(|(it, o)| plan_with(&it.text, o, TextRole::ProductName, Overflow::Truncate))
        .collect::<Result<Vec<Plan<'_>>, _>>()?;

    // One grid for the whole sheet, sized by the largest code and the tallest caption.
    let largest = plans.iter().map(|p| p.layout.total_mm).fold(0.0, f64::max);
    let band = plans.iter().filter_map(|p| p.caption.as_ref()).map(|c| c.band_mm()).fold(0.0, f64::max);
    let pad = MARK_OFFSET_MM + MARK_LEN_MM;
    let cell_w = largest + 2.0 * pad;
    let cell_h = largest + band + 2.0 * pad;
    let (pw, ph) = paper.size_mm();
    let cols = ((pw - 2.0 * PAGE_MARGIN_MM) / cell_w).floor();
    let rows = ((ph - 2.0 * PAGE_MARGIN_MM) / cell_h).floor();
    if cols < 1.0 || rows < 1.0 {
        return Err(ArtworkError::InvalidSize(format!(
            "a {} mm code with crop marks does not fit on {paper}",
            num(largest, 1)
        )));
    }
    let (cols, rows) = (cols as usize, rows as usize);
    // Centre the grid on the page.
    let x0 = (pw - cols as f64 * cell_w) / 2.0;
    let y_top = ph - (ph - rows as f64 * cell_h) / 2.0;

    let p = opts.profile;
    let inverted = plans.first().is_some_and(|pl| pl.layout.inverted);
    let (mark, _) = p.mark_and_ground(inverted);
    let mut doc = Doc::new(p.spot.as_deref(), &mark, true);
    for page in plans.chunks(cols * rows) {
        let mut c = Content::new();
        for (i, pl) in page.iter().enumerate() {
            let (col, row) = (i % cols, i / cols);
            let side = pl.layout.total_mm;
            // The trim box of this piece: code and quiet zone, caption band below.
            let tx = x0 + col as f64 * cell_w + pad + (largest - side) / 2.0;
            let ttop = y_top - row as f64 * cell_h - pad;
            let tbottom = ttop - side - band;
            let code_bottom = ttop - side;
            let (ptx, pside) = ((tx * f64::from(PT)) as f32, (side * f64::from(PT)) as f32);
            if band > 0.0 {
                // The caption band belongs to the piece: ground behind it, caption in the mark colour.
                let (mk, gr) = p.mark_and_ground(pl.layout.inverted);
                fill_cmyk(&mut c, &gr);
                c.rect(ptx, mm(tbottom), pside, mm(band)).fill_nonzero();
                if let Some(cap) = &pl.caption {
                    c.save_state();
                    fill_mark(&mut c, &doc, &mk);
                    caption(&mut c, &mut doc, cap, ptx, mm(code_bottom));
                    c.restore_state();
                }
            }
            draw_code(&mut c, &doc, &pl.symbol, &pl.layout, p, ptx, mm(code_bottom), pside, true);
            crop_marks(&mut c, &doc, tx, tbottom, tx + side, ttop);
        }
        let (w, h) = (mm(pw), mm(ph));
        doc.page(Rect::new(0.0, 0.0, w, h), None, c);
    }
    doc.finish(&format!("QR codes, {} on {paper}, profile {}", items.len(), p.name))
}

fn mm(v: f64) -> f32 {
    (v * f64::from(PT)) as f32
}

/// Crop marks at the four corners of the trim rectangle (mm), outside it, in registration colour.
fn crop_marks(c: &mut Content, doc: &Doc, left: f64, bottom: f64, right: f64, top: f64) {
    c.save_state();
    stroke_registration(c, doc);
    c.set_line_width(0.25);
    let (o, l) = (MARK_OFFSET_MM, MARK_LEN_MM);
    for (x, sx) in [(left, -1.0), (right, 1.0)] {
        for (y, sy) in [(bottom, -1.0), (top, 1.0)] {
            // Horizontal mark along the trim's horizontal edge, vertical along its vertical edge.
            c.move_to(mm(x + sx * o), mm(y)).line_to(mm(x + sx * (o + l)), mm(y));
            c.move_to(mm(x), mm(y + sy * o)).line_to(mm(x), mm(y + sy * (o + l)));
        }
    }
    c.stroke();
    c.restore_state();
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::super::profile;
    use super::*;

    fn items(n: usize) -> Vec<SheetItem> {
        (0..n)
            .map(|i| SheetItem {
                text: format!("https://SCAN.EXAMPLE.COM/Q/CODE{i:04}"),
                caption: Some(format!("Line {i}")),
            })
            .collect()
    }

    #[test]
    fn many_codes_spill_onto_more_pages() {
        let p = profile("packaging-offset").unwrap();
        let one = sheet(&items(3), Paper::A4, &Options::new(p)).unwrap();
        let many = sheet(&items(200), Paper::Letter, &Options::new(p)).unwrap();
        let s = String::from_utf8_lossy(&many);
        assert!(s.contains("/MediaBox [0 0 612 792]"), "US Letter in points");
        assert!(s.contains("/Separation /All"), "crop marks in registration colour");
        let count = |pdf: &[u8]| {
            let s = String::from_utf8_lossy(pdf).into_owned();
            s.split("/Count ")
                .nth(1)
                .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next().map(str::to_owned))
                .unwrap()
        };
        assert_eq!(count(&one), "1");
        assert!(count(&many).parse::<usize>().unwrap() > 1);
    }

    #[test]
    fn names_are_set_as_written_and_cut_short_only_when_they_cannot_fit() {
        let p = profile("label-thermal-203dpi").unwrap();
        let long = "Сковорода чугунная ".repeat(12);
        let items = vec![
            SheetItem {
                text: "https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2".into(),
                caption: Some("Сковорода 28 см\n7K3M9XQ2".into()),
            },
            SheetItem {
                text: "https://SCAN.EXAMPLE.COM/Q/AB12CD34".into(),
                caption: Some(format!("{long}\nAB12CD34")),
            },
        ];
        let pdf = sheet(&items, Paper::A4, &Options::new(p)).unwrap();
        let text = super::super::pdf::shown_text(&pdf);
        assert!(text.contains("Сковорода 28 см\n7K3M9XQ2"), "{text}");
        assert!(text.contains("\u{2026}\nAB12CD34"), "the long name is cut, its code kept: {text}");
        let bad =
            vec![SheetItem { text: "https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2".into(), caption: Some("Pan ☕".into()) }];
        let err = sheet(&bad, Paper::A4, &Options::new(p)).unwrap_err();
        assert_eq!(err, ArtworkError::UnsupportedCharacter { text: TextRole::ProductName, ch: '☕' });
    }

    #[test]
    fn codes_too_big_for_the_paper_are_refused() {
        let p = profile("laser-metal").unwrap();
        let mut o = Options::new(p);
        o.size_mm = Some(250.0);
        assert!(matches!(sheet(&items(1), Paper::A4, &o), Err(ArtworkError::InvalidSize(_))));
        assert!(sheet(&[], Paper::A4, &Options::new(p)).is_err());
        assert_eq!("LETTER".parse::<Paper>(), Ok(Paper::Letter));
    }
}
