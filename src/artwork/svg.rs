//! SVG: physical size in mm, a viewBox in modules (quiet zone included), one background rectangle and
//! one path of merged row runs.

use super::text::{helvetica_width_em, num, push_uint, winansi, xml_escape};
use super::{Layout, Profile, Symbol, row_runs};

/// Caption band height in mm for a code of `total_mm`.
pub(super) fn caption_band_mm(total_mm: f64) -> f64 {
    (total_mm * 0.07).clamp(2.0, 12.0) * 1.8
}

/// Caption font size in mm: in proportion to the code, shrunk (down to 1 mm) so that the caption is no
/// wider than the code (measured in Helvetica; other sans-serif fonts are close).
pub(super) fn caption_font_mm(total_mm: f64, caption: &str) -> f64 {
    let font = (total_mm * 0.07).clamp(2.0, 12.0);
    let em = helvetica_width_em(&winansi(caption));
    if em > 0.0 { font.min(total_mm * 0.92 / em).max(1.0) } else { font }
}

pub(super) fn render(sym: &Symbol, lay: &Layout, p: &Profile, caption: Option<&str>) -> Vec<u8> {
    let (mark, ground) = p.mark_and_ground(lay.inverted);
    let span = lay.span();
    let quiet = lay.quiet_zone_modules as usize;
    let (font_mm, band_mm) =
        caption.map_or((0.0, 0.0), |c| (caption_font_mm(lay.total_mm, c), caption_band_mm(lay.total_mm)));
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
        let font = font_mm / lay.module_mm;
        out.push_str("<text x=\"");
        out.push_str(&num(span as f64 / 2.0, 4));
        out.push_str("\" y=\"");
        out.push_str(&num(span as f64 + band * 0.62, 4));
        out.push_str("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"");
        out.push_str(&num(font, 4));
        out.push_str("\" text-anchor=\"middle\" fill=\"");
        out.push_str(&mark.hex());
        out.push_str("\">");
        out.push_str(&xml_escape(c));
        out.push_str("</text>\n");
    }
    out.push_str("</svg>\n");
    out.into_bytes()
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
    fn caption_grows_the_viewbox_and_is_escaped() {
        let p = profile("pad-print").unwrap();
        let mut o = Options::new(p);
        o.caption = Some("Pans <28 cm> & lids".into());
        let a = render_any(URL, Format::Svg, &o).unwrap();
        let s = String::from_utf8(a.bytes).unwrap();
        assert!(s.contains("Pans &lt;28 cm&gt; &amp; lids</text>"));
        let span = a.spec.modules + 8;
        assert!(!s.contains(&format!("viewBox=\"0 0 {span} {span}\"")));
        assert!(s.contains(&format!("viewBox=\"0 0 {span} ")));
    }

    #[test]
    fn inverted_draws_light_marks_on_a_dark_ground() {
        let p = profile("laser-metal-inverted").unwrap();
        let s = String::from_utf8(render_any(URL, Format::Svg, &Options::new(p)).unwrap().bytes).unwrap();
        assert!(s.contains("fill=\"#000000\"/>"));
        assert!(s.contains("<path fill=\"#ffffff\""));
    }
}
