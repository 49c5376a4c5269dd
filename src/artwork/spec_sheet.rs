//! The spec sheet: one A4 page that tells a print shop what the code is and how it must be printed,
//! with the code itself at its true size.

use pdf_writer::{Content, Rect};

use super::font::TextRole;
use super::pdf::{Doc, PT, Weight, draw_code, fill_cmyk, text};
use super::text::{num, set_line, wrap};
use super::{ArtworkError, Colour, Options, Plan, plan};

const A4: (f32, f32) = (210.0 * PT, 297.0 * PT);
const MARGIN: f32 = 20.0 * PT;

/// The spec sheet PDF for `text` rendered per `opts`.
pub fn spec_sheet(text: &str, opts: &Options<'_>) -> Result<Vec<u8>, ArtworkError> {
    let plan = plan(text, opts)?;
    render(&plan)
}

fn colour_words(c: &Colour) -> String {
    let [cy, m, y, k] = c.cmyk.map(|v| num(v * 100.0, 1));
    let [r, g, b] = c.rgb;
    format!("C{cy} M{m} Y{y} K{k} (screen/PNG: RGB {r} {g} {b})")
}

fn rows(plan: &Plan<'_>) -> Vec<(&'static str, String, TextRole)> {
    let s = &plan.spec;
    let p = plan.options.profile;
    let (mark, ground) = p.mark_and_ground(s.inverted);
    let mut module = format!("{} mm", num(s.module_mm, 4));
    if let (Some(dots), Some(dpi)) = (s.printer_dots_per_module, s.printer_dpi) {
        module.push_str(&format!(" = {dots} printer dots at {} dpi", num(dpi, 1)));
    }
    let ec = plan.symbol.ec_level();
    let mut out = vec![
        ("Encoded text", s.text.clone()),
        ("Profile", s.profile.clone()),
        ("Process", s.profile_description.clone()),
        ("Symbol", format!("QR Code, version {} ({} \u{d7} {} modules)", s.version, s.modules, s.modules)),
        ("Error correction", format!("{} (restores about {} % of the codewords)", s.ec_level, ec.recovery_percent())),
        ("Module size", module),
        (
            "Quiet zone",
            format!(
                "{} modules = {} mm on every side; keep it free of any print",
                s.quiet_zone_modules,
                num(s.quiet_zone_mm, 3)
            ),
        ),
        (
            "Total size",
            format!(
                "{0} \u{d7} {0} mm (symbol and quiet zone); smallest allowed: {1} mm",
                num(s.total_mm, 2),
                num(s.min_total_mm, 1)
            ),
        ),
        ("Minimum contrast", format!("print contrast signal >= {} %", s.min_contrast_pcs)),
    ];
    if s.inverted {
        out.push((
            "Polarity",
            "inverted: the QR dark modules are the marks, light on a dark surround; the quiet zone stays dark".into(),
        ));
    } else {
        out.push(("Polarity", "dark modules on a light ground, quiet zone light".into()));
    }
    let marks = match &s.spot {
        Some(spot) => format!("spot colour \"{spot}\" (alternate {})", colour_words(&mark)),
        None => colour_words(&mark),
    };
    out.push(("Marks", marks));
    out.push(("Ground", colour_words(&ground)));
    out.push((
        "PNG",
        format!(
            "{} dpi, {} px per module ({} mm), {} \u{d7} {} px, 1 bit",
            num(s.png_dpi, 1),
            s.png_px_per_module,
            num(s.png_module_mm, 4),
            s.png_size_px,
            s.png_size_px
        ),
    ));
    let mut out: Vec<(&'static str, String, TextRole)> = out.into_iter().map(|(l, v)| (l, v, TextRole::Text)).collect();
    if let Some(c) = plan.options.caption.as_deref().filter(|_| plan.caption.is_some()) {
        // As typed: its own line breaks as " / ", not where the artwork happened to wrap it.
        let parts: Vec<&str> = c.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        out.insert(1, ("Caption", parts.join(" / "), TextRole::Caption));
    }
    out
}

fn render(plan: &Plan<'_>) -> Result<Vec<u8>, ArtworkError> {
    let p = plan.options.profile;
    let (mark, _) = p.mark_and_ground(plan.layout.inverted);
    let mut doc = Doc::new(p.spot.as_deref(), &mark, false);
    let mut c = Content::new();
    let (w, h) = A4;
    let mut y = h - MARGIN - 16.0;
    // Black text; bold labels are stroked in black too.
    c.set_fill_cmyk(0.0, 0.0, 0.0, 1.0).set_stroke_cmyk(0.0, 0.0, 0.0, 1.0);
    let heading = set_line("QR code artwork specification", TextRole::Text)?;
    text(&mut c, &mut doc, &heading, MARGIN, y, 16.0, Weight::Bold);
    y -= 22.0;
    // The product, as it is named: which code this is, in its own script.
    if let Some(name) = plan.options.product.as_deref().filter(|n| !n.trim().is_empty()) {
        for line in wrap(name, f64::from((w - 2.0 * MARGIN) / 13.0), TextRole::ProductName)? {
            text(&mut c, &mut doc, &line, MARGIN, y, 13.0, Weight::Regular);
            y -= 16.0;
        }
    }
    y -= 6.0;

    let size = 10.0;
    let leading = 13.5;
    let label_w = 110.0;
    let value_w = w - 2.0 * MARGIN - label_w;
    for (label, value, role) in rows(plan) {
        text(&mut c, &mut doc, &set_line(label, TextRole::Text)?, MARGIN, y, size, Weight::Bold);
        for line in wrap(&value, f64::from(value_w / size), role)? {
            text(&mut c, &mut doc, &line, MARGIN + label_w, y, size, Weight::Regular);
            y -= leading;
        }
        y -= 3.0;
    }

    // The code at its true size, if it fits on the page; otherwise scaled, and said so.
    y -= 12.0;
    let true_side = plan.layout.total_mm as f32 * PT;
    let room_h = y - MARGIN - 30.0;
    let room_w = w - 2.0 * MARGIN;
    let side = true_side.min(room_h).min(room_w).max(1.0);
    let note = if side >= true_side {
        "Below: the code at its true size (100 %). The thin frame is the outer edge of the quiet zone.".to_owned()
    } else {
        format!(
            "Below: the code at {} % of its true size (too large for this page). Use the artwork files.",
            num(f64::from(side / true_side * 100.0), 1)
        )
    };
    text(&mut c, &mut doc, &set_line(&note, TextRole::Text)?, MARGIN, y, 9.0, Weight::Regular);
    y -= 12.0;
    let x = MARGIN;
    let bottom = y - side;
    draw_code(&mut c, &doc, &plan.symbol, &plan.layout, p, x, bottom, side, true);
    // Hairline frame just outside the quiet zone so white ground is visible on white paper.
    c.save_state();
    c.set_line_width(0.25).set_stroke_cmyk(0.0, 0.0, 0.0, 0.5);
    c.rect(x - 0.5, bottom - 0.5, side + 1.0, side + 1.0).stroke();
    c.restore_state();

    let footer = set_line(&format!("scanback \u{b7} profile {} \u{b7} {}", p.name, plan.spec.text), TextRole::Text)?;
    let fsize = 7.0;
    let fw = footer.width as f32 * fsize;
    fill_cmyk(&mut c, &p.dark);
    text(&mut c, &mut doc, &footer, (w - fw).max(2.0 * MARGIN) / 2.0, MARGIN / 2.0, fsize, Weight::Regular);

    doc.page(Rect::new(0.0, 0.0, w, h), None, c);
    doc.finish(&format!("QR artwork specification: {}", plan.spec.text))
}

pub(super) fn render_plan(plan: &Plan<'_>) -> Result<Vec<u8>, ArtworkError> {
    render(plan)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::super::profile;
    use super::*;

    #[test]
    fn spec_sheet_names_the_facts() {
        let p = profile("label-thermal-203dpi").unwrap();
        let pdf = spec_sheet("https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2", &Options::new(p)).unwrap();
        let s = String::from_utf8_lossy(&pdf);
        assert!(s.contains("/MediaBox [0 0 595.27563 841.8898]"), "{s}");
        for needle in [
            "https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2",
            "version 3 (29 \u{d7} 29 modules)",
            "0.5 mm = 4 printer dots at 203.2 dpi",
            "4 modules = 2 mm",
            "print contrast signal >= 70 %",
            "label-thermal-203dpi",
            "true size (100 %)",
        ] {
            assert!(super::super::pdf::has_text(&pdf, needle), "missing {needle}");
        }
    }

    #[test]
    fn the_product_name_and_caption_are_set_as_written_and_unprintable_names_are_refused() {
        let p = profile("laser-metal").unwrap();
        let mut o = Options::new(p);
        o.product = Some("Сковорода 28 см".into());
        o.caption = Some("Скажите нам".into());
        let pdf = spec_sheet("https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2", &o).unwrap();
        let text = super::super::pdf::shown_text(&pdf);
        assert!(text.contains("Сковорода 28 см"), "{text}");
        assert!(text.contains("Caption\nСкажите нам"), "{text}");
        o.product = Some("Сковорода 🍳".into());
        let err = spec_sheet("https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2", &o).unwrap_err();
        assert_eq!(err.to_string(), "the product name contains 🍳 (U+1F373), which the print font cannot draw");
    }

    #[test]
    fn very_large_codes_are_shown_scaled_and_say_so() {
        let p = profile("laser-metal").unwrap();
        let mut o = Options::new(p);
        o.size_mm = Some(400.0);
        let pdf = spec_sheet("https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2", &o).unwrap();
        assert!(super::super::pdf::has_text(&pdf, "of its true size (too large for this page)"));
    }
}
