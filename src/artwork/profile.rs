//! Print profiles: how big, how much error correction and which colours for one print process.
//! They are data (`printable/*.toml`), compiled in so that the artwork code stays free of I/O.

use std::sync::OnceLock;

use serde::Deserialize;

use super::ArtworkError;

/// The profile used when none is named: offset printing on packaging, the most common process.
pub const DEFAULT_PROFILE: &str = "packaging-offset";

/// QR error-correction level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum ErrorCorrection {
    L,
    M,
    Q,
    H,
}

impl ErrorCorrection {
    pub fn letter(self) -> char {
        match self {
            ErrorCorrection::L => 'L',
            ErrorCorrection::M => 'M',
            ErrorCorrection::Q => 'Q',
            ErrorCorrection::H => 'H',
        }
    }

    /// Share of codewords that can be restored, as the standard states it.
    pub fn recovery_percent(self) -> u8 {
        match self {
            ErrorCorrection::L => 7,
            ErrorCorrection::M => 15,
            ErrorCorrection::Q => 25,
            ErrorCorrection::H => 30,
        }
    }

    pub(super) fn to_qr(self) -> qrcode::EcLevel {
        match self {
            ErrorCorrection::L => qrcode::EcLevel::L,
            ErrorCorrection::M => qrcode::EcLevel::M,
            ErrorCorrection::Q => qrcode::EcLevel::Q,
            ErrorCorrection::H => qrcode::EcLevel::H,
        }
    }

    pub(super) fn from_qr(ec: qrcode::EcLevel) -> Self {
        match ec {
            qrcode::EcLevel::L => ErrorCorrection::L,
            qrcode::EcLevel::M => ErrorCorrection::M,
            qrcode::EcLevel::Q => ErrorCorrection::Q,
            qrcode::EcLevel::H => ErrorCorrection::H,
        }
    }
}

/// One colour, for vector (CMYK, 0..=1) and raster (sRGB) output.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colour {
    pub cmyk: [f64; 4],
    pub rgb: [u8; 3],
}

impl Colour {
    pub(super) fn hex(&self) -> String {
        let [r, g, b] = self.rgb;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    pub(super) fn cmyk_f32(&self) -> [f32; 4] {
        self.cmyk.map(|v| v as f32)
    }
}

/// A print profile (see `printable/*.toml`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub description: String,
    pub min_module_mm: f64,
    pub default_module_mm: f64,
    #[serde(default = "default_quiet_zone")]
    pub quiet_zone_modules: u32,
    /// The least error correction; raised while the symbol version stays the same.
    pub ec_level: ErrorCorrection,
    /// Encode `HTTPS://...` instead of `https://...` (one version smaller for short hosts; some
    /// phone scanners do not treat it as a link).
    #[serde(default)]
    pub uppercase_scheme: bool,
    /// Light modules on a dark surround (laser on dark coatings).
    #[serde(default)]
    pub invert: bool,
    /// Minimum print contrast signal, percent, stated on the spec sheet.
    pub min_contrast_pcs: u8,
    pub png_dpi: f64,
    /// Module sizes are snapped down to whole dots of this printer.
    #[serde(default)]
    pub printer_dpi: Option<f64>,
    /// Name of a spot colour for the marks in PDF and EPS (a Separation with the CMYK alternate).
    #[serde(default)]
    pub spot: Option<String>,
    pub dark: Colour,
    pub light: Colour,
}

fn default_quiet_zone() -> u32 {
    4
}

impl Profile {
    /// Parse and check a profile.
    pub fn from_toml(src: &str) -> Result<Profile, ArtworkError> {
        let p: Profile = toml::from_str(src)
            .map_err(|e| ArtworkError::InvalidProfile { name: "(unparsed)".into(), reason: e.message().to_owned() })?;
        p.check()?;
        Ok(p)
    }

    fn check(&self) -> Result<(), ArtworkError> {
        let bad =
            |reason: &str| Err(ArtworkError::InvalidProfile { name: self.name.clone(), reason: reason.to_owned() });
        let positive = |v: f64| v.is_finite() && v > 0.0;
        if !positive(self.min_module_mm) || !positive(self.default_module_mm) || !positive(self.png_dpi) {
            return bad("module sizes and png_dpi must be positive numbers");
        }
        if self.default_module_mm < self.min_module_mm {
            return bad("default_module_mm is below min_module_mm");
        }
        if self.quiet_zone_modules < 4 {
            return bad("a QR quiet zone is at least 4 modules");
        }
        if self.min_contrast_pcs > 100 {
            return bad("min_contrast_pcs is a percentage");
        }
        if let Some(dpi) = self.printer_dpi {
            if !positive(dpi) {
                return bad("printer_dpi must be positive");
            }
            let dot = 25.4 / dpi;
            if super::layout::snap_to_dots(self.default_module_mm, dot).0 < self.min_module_mm - 1e-9 {
                return bad("default_module_mm snapped to whole printer dots is below min_module_mm");
            }
        }
        if let Some(spot) = &self.spot {
            let ok = !spot.is_empty()
                && spot.len() <= 64
                && spot.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !ok {
                return bad("spot colour names are letters, digits, '-' and '_'");
            }
        }
        for c in [&self.dark, &self.light] {
            if c.cmyk.iter().any(|v| !(0.0..=1.0).contains(v)) {
                return bad("CMYK components are between 0 and 1");
            }
        }
        Ok(())
    }

    /// The colour the marks (the QR dark modules) are drawn in, and the colour of the surround.
    pub(super) fn mark_and_ground(&self, inverted: bool) -> (Colour, Colour) {
        if inverted { (self.light, self.dark) } else { (self.dark, self.light) }
    }
}

const SOURCES: [(&str, &str); 6] = [
    ("packaging-offset", include_str!("../../printable/packaging-offset.toml")),
    ("label-thermal-203dpi", include_str!("../../printable/label-thermal-203dpi.toml")),
    ("label-thermal-300dpi", include_str!("../../printable/label-thermal-300dpi.toml")),
    ("laser-metal", include_str!("../../printable/laser-metal.toml")),
    ("laser-metal-inverted", include_str!("../../printable/laser-metal-inverted.toml")),
    ("pad-print", include_str!("../../printable/pad-print.toml")),
];

struct Loaded {
    ok: Vec<Profile>,
    failed: Vec<(&'static str, ArtworkError)>,
}

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let mut ok = Vec::new();
        let mut failed = Vec::new();
        for (file, src) in SOURCES {
            match Profile::from_toml(src) {
                Ok(p) if p.name == file => ok.push(p),
                Ok(p) => failed.push((
                    file,
                    ArtworkError::InvalidProfile {
                        name: file.to_owned(),
                        reason: format!("the file declares name = \"{}\"", p.name),
                    },
                )),
                Err(ArtworkError::InvalidProfile { reason, .. }) => {
                    failed.push((file, ArtworkError::InvalidProfile { name: file.to_owned(), reason }))
                }
                Err(e) => failed.push((file, e)),
            }
        }
        Loaded { ok, failed }
    })
}

/// All built-in profiles (a profile whose file does not parse is left out; a unit test keeps them valid).
pub fn profiles() -> &'static [Profile] {
    &loaded().ok
}

/// A built-in profile by name (case-insensitive).
pub fn profile(name: &str) -> Result<&'static Profile, ArtworkError> {
    let l = loaded();
    let name = name.trim();
    if let Some(p) = l.ok.iter().find(|p| p.name.eq_ignore_ascii_case(name)) {
        return Ok(p);
    }
    if let Some((_, e)) = l.failed.iter().find(|(f, _)| f.eq_ignore_ascii_case(name)) {
        return Err(e.clone());
    }
    Err(ArtworkError::UnknownProfile {
        name: name.to_owned(),
        valid: l.ok.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_profile_is_valid() {
        assert!(loaded().failed.is_empty(), "{:?}", loaded().failed);
        assert_eq!(profiles().len(), SOURCES.len());
    }

    #[test]
    fn marks_on_the_product_default_to_ec_h() {
        for name in ["laser-metal", "laser-metal-inverted", "pad-print"] {
            assert_eq!(profile(name).unwrap().ec_level, ErrorCorrection::H);
        }
        assert_eq!(profile("packaging-offset").unwrap().ec_level, ErrorCorrection::Q);
        assert!(profile("laser-metal-inverted").unwrap().invert);
        assert_eq!(profile("LASER-METAL").unwrap().min_module_mm, 0.6);
    }

    #[test]
    fn unknown_profile_lists_the_valid_names() {
        let err = profile("inkjet").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown print profile \"inkjet\"; valid profiles are: packaging-offset, \
             label-thermal-203dpi, label-thermal-300dpi, laser-metal, laser-metal-inverted, pad-print"
        );
    }

    #[test]
    fn bad_profiles_are_refused() {
        let base = SOURCES[3].1;
        let small_quiet = base.replace("quiet_zone_modules = 4", "quiet_zone_modules = 2");
        assert!(matches!(Profile::from_toml(&small_quiet), Err(ArtworkError::InvalidProfile { .. })));
        let bad_spot = base.replace("spot = \"Laser\"", "spot = \"La ser\"");
        assert!(Profile::from_toml(&bad_spot).is_err());
        assert!(Profile::from_toml("name = 1").is_err());
    }
}
