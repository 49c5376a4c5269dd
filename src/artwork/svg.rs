//! SVG: physical size in mm, a viewBox in modules (quiet zone included), one background rectangle and
//! one path of merged row runs. A caption is drawn as glyph outlines (one more path) by default, so
//! the artwork looks the same on a machine without the font; on request it stays live `<text>`
//! set in Noto Sans.

use super::font::{PathSink, font};
use super::text::{Caption, num, push_uint, xml_escape};
use super::{ArtworkError, Layout, Profile, Symbol, row_runs};

/// SVG path data in viewBox units from glyph outlines in em: `x = x0 + x_em * scale`,
/// `y = y0 - y_em * scale` (SVG's y points down).
struct SvgPath<'a> {
    out: &'a mut String,
    x0: f64,
    y0: f64,
    scale: f64,
}

impl SvgPath<'_> {
    fn point(&mut self, x: f64, y: f64) {
        self.out.push_str(&num(self.x0 + x * self.scale, 3));
        self.out.push(' ');
        self.out.push_str(&num(self.y0 - y * self.scale, 3));
    }
}

impl PathSink for SvgPath<'_> {
    fn move_to(&mut self, x: f64, y: f64) {
        self.out.push('M');
        self.point(x, y);
    }

    fn line_to(&mut self, x: f64, y: f64) {
        self.out.push('L');
        self.point(x, y);
    }

    fn quad_to(&mut self, x1: f64, y1: f64, x: f64, y: f64) {
        self.out.push('Q');
        self.point(x1, y1);
        self.out.push(' ');
        self.point(x, y);
    }

    fn curve_to(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, x: f64, y: f64) {
        self.out.push('C');
        self.point(x1, y1);
        self.out.push(' ');
        self.point(x2, y2);
        self.out.push(' ');
        self.point(x, y);
    }

    fn close(&mut self) {
        self.out.push('Z');
    }
}

pub(super) fn render(
    sym: &Symbol,
    lay: &Layout,
    p: &Profile,
    caption: Option<&Caption>,
    caption_as_text: bool,
) -> Result<Vec<u8>, ArtworkError> {
    let (mark, ground) = p.mark_and_ground(lay.inverted);
    let span = lay.span();
    let quiet = lay.quiet_zone_modules as usize;
    let band_mm = caption.map_or(0.0, |c| c.band_mm);
    let band = band_mm / lay.module_mm; // in modules
    let view_h = span as f64 + band;

    let mut out = String::with_capacity(600 + sym.width() * sym.width() * 6);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"");
    out.push_str(&num(lay.total_mm, 4));
    out.push_str("mm\" height=\"");
    out.push_str(&num(lay.total_mm + band_mm, 4));
    out.push_str("mm\" viewBox=\"0 0 ");
    push_uint(&mut out, span);
    out.push(' ');
    out.push_str(&num(view_h, 4));
    out.push_str("\">\n<rect width=\"");
    push_uint(&mut out, span);
    out.push_str("\" height=\"");
    out.push_str(&num(view_h, 4));
    out.push_str("\" fill=\"");
    out.push_str(&ground.hex());
    out.push_str("\"/>\n<path fill=\"");
    out.push_str(&mark.hex());
    out.push_str("\" shape-rendering=\"crispEdges\" d=\"");
    for y in 0..sym.width() {
        for (x, len) in row_runs(sym.row(y)) {
            out.push('M');
            push_uint(&mut out, x + quiet);
            out.push(' ');
            push_uint(&mut out, y + quiet);
            out.push('h');
            push_uint(&mut out, len);
            out.push_str("v1h-");
            push_uint(&mut out, len);
            out.push('z');
        }
    }
    out.push_str("\"/>\n");
    if let Some(c) = caption {
        // mm -> viewBox units (modules); the band starts at the bottom edge of the quiet zone.
        let unit = 1.0 / lay.module_mm;
        let size = c.font_mm * unit;
        if caption_as_text {
            for l in &c.lines {
                out.push_str("<text x=\"");
                out.push_str(&num(span as f64 / 2.0, 4));
                out.push_str("\" y=\"");
                out.push_str(&num(span as f64 + l.baseline_mm * unit, 4));
                out.push_str("\" font-family=\"'Noto Sans', sans-serif\" font-size=\"");
                out.push_str(&num(size, 4));
                out.push_str("\" text-anchor=\"middle\" fill=\"");
                out.push_str(&mark.hex());
                out.push_str("\">");
                out.push_str(&xml_escape(&l.line.text()));
                out.push_str("</text>\n");
            }
        } else {
            let f = font()?;
            out.push_str("<path fill=\"");
            out.push_str(&mark.hex());
            out.push_str("\" d=\"");
            for l in &c.lines {
                let mut sink =
                    SvgPath { out: &mut out, x0: l.x_mm * unit, y0: span as f64 + l.baseline_mm * unit, scale: size };
                let mut x_em = 0.0;
                for g in &l.line.glyphs {
                    f.outline(g.id, x_em, &mut sink);
                    x_em += g.advance;
                }
            }
            out.push_str("\"><title>");
            out.push_str(&xml_escape(&c.lines().join(" ")));
            out.push_str("</title></path>\n");
        }
    }
    out.push_str("</svg>\n");
    Ok(out.into_bytes())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::super::{Format, Options, profile, render as render_any};

    const URL: &str = "https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2";

    #[test]
    fn svg_has_mm_size_module_viewbox_one_path_and_a_background() {
        let p = profile("laser-metal").unwrap();
        let a = render_any(URL, Format::Svg, &Options::new(p)).unwrap();
        let s = String::from_utf8(a.bytes).unwrap();
        let span = a.spec.modules + 8;
        assert!(s.contains(&format!("width=\"{}mm\"", super::num(a.spec.total_mm, 4))), "{s}");
        assert!(s.contains("width=\"30.75mm\""));
        assert!(s.contains(&format!("viewBox=\"0 0 {span} {span}\"")));
        assert_eq!(s.matches("<path").count(), 1);
        assert!(s.contains(&format!("<rect width=\"{span}\" height=\"{span}\" fill=\"#ffffff\"/>")));
        // The top-left finder's first row is one run of 7 modules, after the 4-module quiet zone.
        assert!(s.contains("d=\"M4 4h7v1h-7z"));
    }

    #[test]
    fn caption_grows_the_viewbox_and_is_drawn_as_outlines() {
        let p = profile("pad-print").unwrap();
        let mut o = Options::new(p);
        o.caption = Some("Сковорода <28 см> & lids".into());
        let a = render_any(URL, Format::Svg, &o).unwrap();
        let s = String::from_utf8(a.bytes).unwrap();
        assert!(!s.contains("<text"), "no live text by default");
        assert_eq!(s.matches("<path").count(), 2, "the code and the caption outlines");
        assert!(s.contains("<title>Сковорода &lt;28 см&gt; &amp; lids</title>"), "named for accessibility");
        let span = a.spec.modules + 8;
        assert!(!s.contains(&format!("viewBox=\"0 0 {span} {span}\"")));
        assert!(s.contains(&format!("viewBox=\"0 0 {span} ")));
        // Every outline point lies inside the artwork's width and below the quiet zone.
        let d = s.split("<path fill=\"#000000\" d=\"").nth(1).unwrap().split('"').next().unwrap();
        let nums: Vec<f64> = d
            .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().unwrap())
            .collect();
        assert!(nums.len() > 100);
        for xy in nums.chunks(2) {
            assert!(xy[0] > 0.0 && xy[0] < span as f64, "x {}", xy[0]);
            assert!(xy[1] > span as f64, "y {} reaches into the code", xy[1]);
        }
    }

    #[test]
    fn caption_as_text_keeps_live_escaped_text() {
        let p = profile("pad-print").unwrap();
        let mut o = Options::new(p);
        o.caption = Some("Pans <28 cm> & lids".into());
        o.caption_as_text = true;
        let s = String::from_utf8(render_any(URL, Format::Svg, &o).unwrap().bytes).unwrap();
        assert!(s.contains("Pans &lt;28 cm&gt; &amp; lids</text>"));
        assert!(s.contains("font-family=\"'Noto Sans', sans-serif\""));
        assert_eq!(s.matches("<path").count(), 1);
    }

    #[test]
    fn inverted_draws_light_marks_on_a_dark_ground() {
        let p = profile("laser-metal-inverted").unwrap();
        let s = String::from_utf8(render_any(URL, Format::Svg, &Options::new(p)).unwrap().bytes).unwrap();
        assert!(s.contains("fill=\"#000000\"/>"));
        assert!(s.contains("<path fill=\"#ffffff\""));
    }
}
