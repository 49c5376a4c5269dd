//! Artwork parameters as the API takes them (the query string of /product-lines/{id}/artwork):
//! profile, size, caption, inversion, lot; then planning and rendering SVG and EPS (PNG and PDF
//! are rendered for small sizes only, to keep the rate of executions up).
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
    let mut options = Options::new(profile);
    options.size_mm = q.size_mm;
    options.caption = q.caption;
    options.caption_as_text = q.caption_as_text;
    options.invert = q.invert;
    let Ok(plan) = artwork::plan(&text, &options) else { return };
    let _ = plan.render(Format::Svg);
    let _ = plan.render(Format::Eps);
    if plan.spec.total_mm <= 30.0 {
        let _ = plan.render(Format::Png);
    }
    if let Some(format) = q.format.as_deref().and_then(|f| f.parse::<Format>().ok()) {
        if plan.spec.total_mm <= 30.0 {
            let _ = plan.render(format);
        }
    }
});
