//! EPS (EPSF-3.0, PostScript level 2): CMYK ground and marks, merged row runs in one path, bounding box
//! in points. Spot-colour profiles write the marks as a Separation with the CMYK alternate.
//!
//! Captions use the printer's Helvetica re-encoded to ISOLatin1Encoding: ASCII and Latin-1 letters;
//! Cyrillic is romanised and dashes become hyphens; anything else (quotes, emoji...) is printed as '?'.

use super::text::{num, ps_string, push_uint};
use super::{Colour, Layout, Profile, Symbol, row_runs};

const PT: f64 = 72.0 / 25.4;

fn cmyk(c: &Colour) -> String {
    let [a, b, cc, d] = c.cmyk;
    format!("{} {} {} {}", num(a, 4), num(b, 4), num(cc, 4), num(d, 4))
}

pub(super) fn render(sym: &Symbol, lay: &Layout, p: &Profile, caption: Option<&str>, title: &str) -> Vec<u8> {
    let (mark, ground) = p.mark_and_ground(lay.inverted);
    let side = lay.total_mm * PT;
    let (font_mm, band_mm) = caption.map_or((0.0, 0.0), |c| {
        (super::svg::caption_font_mm(lay.total_mm, c), super::svg::caption_band_mm(lay.total_mm))
    });
    let band = band_mm * PT;
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
    if caption.is_some() {
        out.push_str("%%DocumentNeededResources: font Helvetica\n");
    }
    out.push_str("%%EndComments\n%%BeginProlog\n");
    out.push_str("/M { moveto } bind def\n/H { dup 0 rlineto 0 1 rlineto neg 0 rlineto closepath } bind def\n");
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
        let size = font_mm * PT;
        out.push_str(&format!(
            "/Helvetica findfont dup length dict begin {{ 1 index /FID ne {{ def }} {{ pop pop }} ifelse }} forall\n\
             /Encoding ISOLatin1Encoding def currentdict end /Helvetica-ISOLatin1 exch definefont\n\
             {} scalefont setfont\n{} {} moveto {} dup stringwidth pop 2 div neg 0 rmoveto show\n",
            num(size, 3),
            num(side / 2.0, 3),
            num(band * 0.38, 3),
            ps_string(cap)
        ));
    }
    out.push_str("grestore\nshowpage\n%%EOF\n");
    out.into_bytes()
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
    fn spot_eps_declares_the_custom_colour() {
        let p = profile("laser-metal-inverted").unwrap();
        let a = render_any("https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2", Format::Eps, &Options::new(p)).unwrap();
        let s = String::from_utf8(a.bytes).unwrap();
        assert!(s.contains("%%DocumentCustomColors: (Laser)"));
        assert!(s.contains("[/Separation /Laser /DeviceCMYK"));
    }
}
