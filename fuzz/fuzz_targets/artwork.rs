//! Artwork parameters as the API takes them (the query string of /product-lines/{id}/artwork):
//! format, profile, size, caption, caption as text, inversion, lot (plus `text`, the string to
//! encode, which the API derives from the line). Every input that parses goes through
//! `artwork::plan` (QR encoding, the size checks and layout, caption fitting) at the size asked for,
//! whatever its format.
//!
//! Then, like the API, one format is rendered per input: the one `format=` names (SVG when there is
//! none; nothing when it names no format, which the API refuses). SVG and EPS are rendered at the
//! size asked for. PNG and PDF are rendered from a second plan at the profile's smallest size for
//! this code (`min_total_mm`, same text, caption and inversion): the raster's cost grows with the
//! square of its size, and the rendering code (run lengths, bit packing, palette, pHYs; the PDF's
//! content, font subset and ToUnicode map) is the same at any size. The layout's size checks
//! (`max_total_mm`, the PNG width) run in the plan for every requested size; the PNG renderer's own
//! refusal of rasters over 20,000 px is not reached here (nor was it with the earlier 30 mm
//! cut-off): unit tests in `src/artwork/layout.rs` cover that limit.
//!
//! The QR encoder (the qrcode crate) runs on every plan but is built without coverage
//! instrumentation (scripts/fuzz-rustc.sh): instrumented, its mask scoring took about 3 ms per input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scanback::artwork::{self, Format, Options};
use scanback::domain::Lot;

#[derive(serde::Deserialize)]
struct Query {
    format: Option<String>,
    size_mm: Option<f64>,
    profile: Option<String>,
    caption: Option<String>,
    #[serde(default)]
    caption_as_text: bool,
    #[serde(default)]
    invert: bool,
    lot: Option<String>,
    text: Option<String>,
}

fuzz_target!(|query: &str| {
    let Ok(q) = serde_urlencoded::from_str::<Query>(query) else { return };
    let Ok(profile) = artwork::profile(q.profile.as_deref().unwrap_or(artwork::DEFAULT_PROFILE)) else { return };
    let mut text = q.text.unwrap_or_else(|| "https://scanback.example/q/ABCDEFGH".to_owned());
    if let Some(lot) = q.lot.as_deref().and_then(|l| Lot::parse(l).ok()) {
        text = format!("https://scanback.example/01/09506000134352/10/{}", lot.path_segment());
    }
    let format = q.format.as_deref().map(str::parse::<Format>);
    let mut options = Options::new(profile);
    options.size_mm = q.size_mm;
    options.caption = q.caption;
    options.caption_as_text = q.caption_as_text;
    options.invert = q.invert;
    let Ok(plan) = artwork::plan(&text, &options) else { return };
    match format.unwrap_or(Ok(Format::Svg)) {
        Ok(f @ (Format::Svg | Format::Eps)) => {
            let _ = plan.render(f);
        }
        Ok(f @ (Format::Png | Format::Pdf)) => {
            let mut smallest = options.clone();
            smallest.size_mm = Some(plan.spec.min_total_mm);
            if let Ok(small) = artwork::plan(&text, &smallest) {
                let _ = small.render(f);
            }
        }
        Err(_) => {}
    }
});
