//! EPS (EPSF-3.0, PostScript level 2): CMYK ground and marks, merged row runs in one path, bounding box
//! in points. Spot-colour profiles write the marks as a Separation with the CMYK alternate.
//!
//! Captions are drawn as the glyph outlines of the print font (Noto Sans), filled in the mark colour:
//! nothing depends on the fonts of the RIP or the layout program, and any script the font covers
//! prints as written.

use super::font::{PathSink, font};
use super::text::{Caption, num, ps_string, push_uint};
use super::{ArtworkError, Colour, Layout, Profile, Symbol, row_runs};

const PT: f64 = 72.0 / 25.4;

fn cmyk(c: &Colour) -> String {
    let [a, b, cc, d] = c.cmyk;
    format!("{} {} {} {}", num(a, 4), num(b, 4), num(cc, 4), num(d, 4))
}

/// PostScript path operators from glyph outlines in em: `x = x0 + x_em * size`, `y = y0 + y_em *
/// size` (points). TrueType's quadratic segments become the equivalent cubic ones.
struct PsPath<'a> {
    out: &'a mut String,
    x0: f64,
    y0: f64,
    size: f64,
    last: (f64, f64),
}

impl PsPath<'_> {
    fn point(&mut self, x: f64, y: f64) {
        self.out.push_str(&num(self.x0 + x * self.size, 3));
        self.out.push(' ');
        self.out.push_str(&num(self.y0 + y * self.size, 3));
        self.out.push(' ');
    }
}

impl PathSink for PsPath<'_> {
    fn move_to(&mut self, x: f64, y: f64) {
        self.point(x, y);
        self.out.push_str("m\n");
        self.last = (x, y);
    }

    fn line_to(&mut self, x: f64, y: f64) {
        self.point(x, y);
        self.out.push_str("l\n");
        self.last = (x, y);
    }

    fn quad_to(&mut self, x1: f64, y1: f64, x: f64, y: f64) {
        let (x0, y0) = self.last;
        let c1 = (x0 + 2.0 / 3.0 * (x1 - x0), y0 + 2.0 / 3.0 * (y1 - y0));
        let c2 = (x + 2.0 / 3.0 * (x1 - x), y + 2.0 / 3.0 * (y1 - y));
        self.curve_to(c1.0, c1.1, c2.0, c2.1, x, y);
    }

    fn curve_to(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, x: f64, y: f64) {
        self.point(x1, y1);
        self.point(x2, y2);
        self.point(x, y);
        self.out.push_str("c\n");
        self.last = (x, y);
    }

    fn close(&mut self) {
        self.out.push_str("h\n");
    }
}

pub(super) fn render(
    sym: &Symbol,
    lay: &Layout,
    p: &Profile,
    caption: Option<&Caption>,
    title: &str,
) -> Result<Vec<u8>, ArtworkError> {
    let (mark, ground) = p.mark_and_ground(lay.inverted);
    let side = lay.total_mm * PT;
    let band = caption.map_or(0.0, |c| c.band_mm) * PT;
    let height = side + band;
    let m = side / lay.span() as f64;
    let quiet = lay.quiet_zone_modules as usize;

    let mut out = String::with_capacity(1500 + sym.width() * sym.width() * 7);
    out.push_str("%!PS-Adobe-3.0 EPSF-3.0\n%%Creator: scanback\n%%Title: ");
    out.push_str(&ps_string(title));
    out.push_str(&format!(
        "\n%%BoundingBox: 0 0 {} {}\n%%HiResBoundingBox: 0 0 {} {}\n",
        side.ceil(),
        height.ceil(),
        num(side, 4),
        num(height, 4)
    ));
    out.push_str("%%LanguageLevel: 2\n%%DocumentData: Clean7Bit\n");
    if let Some(spot) = &p.spot {
        out.push_str(&format!("%%DocumentCustomColors: ({spot})\n%%CMYKCustomColor: {} ({spot})\n", cmyk(&mark)));
    }
    out.push_str("%%EndComments\n%%BeginProlog\n");
    out.push_str("/M { moveto } bind def\n/H { dup 0 rlineto 0 1 rlineto neg 0 rlineto closepath } bind def\n");
    if caption.is_some() {
        out.push_str(
            "/m { moveto } bind def\n/l { lineto } bind def\n/c { curveto } bind def\n/h { closepath } bind def\n",
        );
    }
    out.push_str("%%EndProlog\n%%BeginSetup\n%%EndSetup\n");
    out.push_str("gsave\n");
    // Ground: the whole box, quiet zone included.
    out.push_str(&cmyk(&ground));
    out.push_str(" setcmykcolor\n0 0 ");
    out.push_str(&num(side, 4));
    out.push(' ');
    out.push_str(&num(height, 4));
    out.push_str(" rectfill\n");
    let mark_colour = match &p.spot {
        Some(spot) => {
            let [c, mm, y, k] = mark.cmyk.map(|v| num(v, 4));
            format!(
                "[/Separation /{spot} /DeviceCMYK {{ dup {c} mul exch dup {mm} mul exch dup {y} mul exch {k} mul }}] \
                 setcolorspace 1 setcolor\n"
            )
        }
        None => format!("{} setcmykcolor\n", cmyk(&mark)),
    };
    out.push_str(&mark_colour);
    // Module units, y downwards from the top edge of the code.
    out.push_str("gsave\n0 ");
    out.push_str(&num(height, 4));
    out.push_str(" translate\n");
    out.push_str(&num(m, 6));
    out.push(' ');
    out.push_str(&num(-m, 6));
    out.push_str(" scale\nnewpath\n");
    for y in 0..sym.width() {
        for (x, len) in row_runs(sym.row(y)) {
            push_uint(&mut out, x + quiet);
            out.push(' ');
            push_uint(&mut out, y + quiet);
            out.push_str(" M ");
            push_uint(&mut out, len);
            out.push_str(" H\n");
        }
    }
    out.push_str("fill\ngrestore\n");
    if let Some(cap) = caption {
        // The caption's glyphs, filled in the mark colour (still current) with the nonzero rule
        // TrueType outlines are drawn for.
        let f = font()?;
        let size = cap.font_mm * PT;
        out.push_str("newpath\n");
        for l in &cap.lines {
            let mut sink =
                PsPath { out: &mut out, x0: l.x_mm * PT, y0: band - l.baseline_mm * PT, size, last: (0.0, 0.0) };
            let mut x_em = 0.0;
            for g in &l.line.glyphs {
                f.outline(g.id, x_em, &mut sink);
                x_em += g.advance;
            }
        }
        out.push_str("fill\n");
    }
    out.push_str("grestore\nshowpage\n%%EOF\n");
    Ok(out.into_bytes())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::super::{Format, Options, profile, render as render_any};

    #[test]
    fn eps_has_bounding_boxes_and_cmyk() {
        let p = profile("pad-print").unwrap();
        let a = render_any("https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2", Format::Eps, &Options::new(p)).unwrap();
        let s = String::from_utf8(a.bytes).unwrap();
        assert!(s.starts_with("%!PS-Adobe-3.0 EPSF-3.0\n"));
        let side = a.spec.total_mm * 72.0 / 25.4;
        assert!(s.contains(&format!("%%BoundingBox: 0 0 {} {}\n", side.ceil(), side.ceil())));
        assert!(s.contains(&format!("%%HiResBoundingBox: 0 0 {} {}\n", super::num(side, 4), super::num(side, 4))));
        assert!(s.contains("0 0 0 1 setcmykcolor"));
        assert!(s.contains("\n4 4 M 7 H\n"));
    }

    #[test]
    fn captions_are_outlines_inside_the_band_and_need_no_font() {
        let p = profile("pad-print").unwrap();
        let mut o = Options::new(p);
        o.caption = Some("Сковорода 28 см".into());
        let a = render_any("https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2", Format::Eps, &o).unwrap();
        let s = String::from_utf8(a.bytes).unwrap();
        assert!(!s.contains("findfont") && !s.contains("DocumentNeededResources"), "no font needed");
        assert!(s.matches(" c\n").count() > 50, "curves of the glyphs");
        // Every caption point is inside the artwork's width and below the code (y < band).
        let side = a.spec.total_mm * 72.0 / 25.4;
        let code_bottom: f64 = s
            .split("%%HiResBoundingBox: 0 0 ")
            .nth(1)
            .and_then(|r| r.split_whitespace().nth(1))
            .map(|h| h.parse::<f64>().unwrap() - side)
            .unwrap();
        assert!(code_bottom > 0.0);
        let caption = s.split("newpath\n").last().unwrap();
        for line in caption.lines().filter(|l| l.ends_with(" m") || l.ends_with(" l") || l.ends_with(" c")) {
            let nums: Vec<f64> = line.split_whitespace().filter_map(|t| t.parse().ok()).collect();
            for xy in nums.chunks(2) {
                assert!(xy[0] > 0.0 && xy[0] < side, "{line}");
                assert!(xy[1] > 0.0 && xy[1] < code_bottom, "{line}");
            }
        }
    }

    #[test]
    fn spot_eps_declares_the_custom_colour() {
        let p = profile("laser-metal-inverted").unwrap();
        let a = render_any("https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2", Format::Eps, &Options::new(p)).unwrap();
        let s = String::from_utf8(a.bytes).unwrap();
        assert!(s.contains("%%DocumentCustomColors: (Laser)"));
        assert!(s.contains("[/Separation /Laser /DeviceCMYK"));
    }
}
