//! Print artwork for durable QR codes: symbol matrix -> SVG, PNG, PDF, EPS, spec sheets, sheets of many
//! codes and ZIP bundles for print shops.
//!
//! The module is pure: text in, bytes out. It does no file or network I/O; the print profiles in
//! `printable/` are compiled in with `include_str!`.
//!
//! Geometry rules shared by every format:
//! - the quiet zone is part of the artwork (an explicit background in the light colour), so nobody
//!   places the code flush against other print;
//! - each row's horizontal runs of dark modules become one rectangle, all in one path/fill, so
//!   anti-aliasing rasterisers draw no hairline seams between neighbouring modules;
//! - inverted profiles draw the QR dark modules in the light colour on a dark surround that includes the
//!   quiet zone (see `printable/laser-metal-inverted.toml`).

mod bundle;
mod eps;
mod layout;
mod pdf;
mod png;
mod profile;
mod sheet;
mod spec_sheet;
mod svg;
mod symbol;
mod text;

use std::fmt;
use std::str::FromStr;

pub use bundle::{BundleItem, bundle};
pub use layout::{Layout, MAX_SIZE_MM};
pub use profile::{Colour, DEFAULT_PROFILE, ErrorCorrection, Profile, profile, profiles};
pub use sheet::{Paper, SheetItem, sheet};
pub use spec_sheet::spec_sheet;
pub use symbol::{Symbol, encode_digital_link, encode_line, encode_url, row_runs, symbol};

/// An artwork file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Svg,
    Png,
    Pdf,
    Eps,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Svg, Format::Png, Format::Pdf, Format::Eps];

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Svg => "image/svg+xml",
            Format::Png => "image/png",
            Format::Pdf => "application/pdf",
            Format::Eps => "application/postscript",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
            Format::Pdf => "pdf",
            Format::Eps => "eps",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for Format {
    type Err = ArtworkError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| ArtworkError::UnknownFormat { name: s.to_owned() })
    }
}

/// Everything that can go wrong making artwork. The messages are meant for the person who asked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ArtworkError {
    #[error(
        "{} mm is too small for {profile}: this code needs at least {} mm",
        text::num(*requested_mm, 3),
        text::num(*min_mm, 1)
    )]
    TooSmall { requested_mm: f64, profile: String, min_mm: f64 },
    #[error("unknown print profile \"{name}\"; valid profiles are: {valid}")]
    UnknownProfile { name: String, valid: String },
    #[error("unknown artwork format \"{name}\"; valid formats are: svg, png, pdf, eps")]
    UnknownFormat { name: String },
    #[error("the text is too long for a QR code ({len} bytes)")]
    DataTooLong { len: usize },
    #[error("invalid size: {0}")]
    InvalidSize(String),
    #[error("print profile {name} is invalid: {reason}")]
    InvalidProfile { name: String, reason: String },
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error(
        "this product line has no GTIN, so it cannot carry a lot: lots are encoded as a GS1 Digital Link \
         (/01/GTIN/10/LOT), which needs the line's GTIN"
    )]
    LotWithoutGtin,
    #[error("could not encode the artwork: {0}")]
    Encode(String),
}

/// What to make: the profile, and optionally a total size, a caption and inversion.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    pub profile: &'a Profile,
    /// Full symbol size in mm, quiet zone included. `None`: the profile's default module size.
    pub size_mm: Option<f64>,
    /// A line of text under the code (SVG, PDF, EPS; PNG has no text).
    pub caption: Option<String>,
    /// Ask for inverted artwork even if the profile is not inverted. An inverted profile stays inverted.
    pub invert: bool,
    /// PNG resolution; `None`: the profile's `png_dpi`.
    pub dpi: Option<f64>,
}

impl<'a> Options<'a> {
    pub fn new(profile: &'a Profile) -> Self {
        Options { profile, size_mm: None, caption: None, invert: false, dpi: None }
    }
}

/// The facts a print shop needs about one piece of artwork.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The exact text in the symbol.
    pub text: String,
    pub version: i16,
    pub ec_level: char,
    /// Modules per side, quiet zone excluded.
    pub modules: usize,
    pub module_mm: f64,
    pub quiet_zone_modules: u32,
    pub quiet_zone_mm: f64,
    /// Symbol plus quiet zone, per side.
    pub total_mm: f64,
    /// The smallest total size this code may be printed at with this profile.
    pub min_total_mm: f64,
    pub profile: String,
    pub profile_description: String,
    /// Minimum print contrast signal in percent.
    pub min_contrast_pcs: u8,
    pub inverted: bool,
    pub spot: Option<String>,
    pub printer_dpi: Option<f64>,
    pub printer_dots_per_module: Option<u32>,
    pub png_dpi: f64,
    pub png_px_per_module: u32,
    /// The module size the PNG really has at its dpi (whole pixels per module).
    pub png_module_mm: f64,
    pub png_size_px: u32,
}

impl Spec {
    fn new(text: &str, sym: &Symbol, lay: &Layout, p: &Profile) -> Self {
        Spec {
            text: text.to_owned(),
            version: sym.version(),
            ec_level: sym.ec_level().letter(),
            modules: sym.width(),
            module_mm: lay.module_mm,
            quiet_zone_modules: lay.quiet_zone_modules,
            quiet_zone_mm: lay.quiet_zone_mm(),
            total_mm: lay.total_mm,
            min_total_mm: lay.min_total_mm,
            profile: p.name.clone(),
            profile_description: p.description.clone(),
            min_contrast_pcs: p.min_contrast_pcs,
            inverted: lay.inverted,
            spot: p.spot.clone(),
            printer_dpi: p.printer_dpi,
            printer_dots_per_module: lay.printer_dots_per_module,
            png_dpi: lay.png_dpi,
            png_px_per_module: lay.png_px_per_module,
            png_module_mm: lay.png_module_mm(),
            png_size_px: lay.png_size_px(),
        }
    }
}

/// One rendered file.
#[derive(Debug, Clone)]
pub struct Artwork {
    pub bytes: Vec<u8>,
    pub format: Format,
    pub spec: Spec,
}

/// A symbol with its layout: compute once, render in several formats.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub symbol: Symbol,
    pub layout: Layout,
    pub spec: Spec,
    pub options: &'a Options<'a>,
}

/// Encode `text` and size it per `opts`, refusing sizes the profile cannot print.
pub fn plan<'a>(text: &str, opts: &'a Options<'a>) -> Result<Plan<'a>, ArtworkError> {
    let sym = symbol(text, opts.profile)?;
    let layout = Layout::new(&sym, opts)?;
    let spec = Spec::new(text, &sym, &layout, opts.profile);
    Ok(Plan { symbol: sym, layout, spec, options: opts })
}

impl Plan<'_> {
    /// The spec sheet PDF of this plan (see [`spec_sheet`]).
    pub fn spec_sheet(&self) -> Vec<u8> {
        spec_sheet::render_plan(self)
    }

    pub fn render(&self, format: Format) -> Result<Vec<u8>, ArtworkError> {
        let caption = self.options.caption.as_deref().filter(|c| !c.trim().is_empty());
        let p = self.options.profile;
        match format {
            Format::Svg => Ok(svg::render(&self.symbol, &self.layout, p, caption)),
            Format::Png => png::render(&self.symbol, &self.layout, p),
            Format::Pdf => Ok(pdf::render(&self.symbol, &self.layout, p, caption, &self.spec.text)),
            Format::Eps => Ok(eps::render(&self.symbol, &self.layout, p, caption, &self.spec.text)),
        }
    }
}

/// Render `text` (the final string to encode, see [`encode_url`]) in one format.
pub fn render(text: &str, format: Format, opts: &Options<'_>) -> Result<Artwork, ArtworkError> {
    let plan = plan(text, opts)?;
    let bytes = plan.render(format)?;
    Ok(Artwork { bytes, format, spec: plan.spec })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn format_parses_case_insensitively_and_names_the_valid_ones() {
        assert_eq!("SVG".parse::<Format>(), Ok(Format::Svg));
        assert_eq!("eps".parse::<Format>(), Ok(Format::Eps));
        let err = "gif".parse::<Format>().unwrap_err();
        assert_eq!(err.to_string(), "unknown artwork format \"gif\"; valid formats are: svg, png, pdf, eps");
        assert_eq!(Format::Pdf.content_type(), "application/pdf");
    }

    #[test]
    fn every_format_renders_for_every_profile() {
        for p in profiles() {
            let mut opts = Options::new(p);
            opts.caption = Some("Tell us: Frying pan 28 cm".into());
            for f in Format::ALL {
                let a = render("https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2", f, &opts).unwrap();
                assert!(a.bytes.len() > 100, "{} {f}", p.name);
            }
        }
    }
}
