//! Text -> QR symbol matrix: the URL rule, version choice and error-correction boost.

use qrcode::bits::{Bits, encode_auto};
use qrcode::types::QrError;
use qrcode::{Color, QrCode, Version};

use super::{ArtworkError, ErrorCorrection, Profile};

/// The text a product line's symbol encodes: `https://HOST[:PORT][/PREFIX]/Q/CODE` with host, path and
/// code upper-cased so that everything after the scheme fits QR's alphanumeric mode (the encoder's
/// mixed-mode segmentation then gives a smaller symbol). The scheme stays lower case unless
/// `uppercase_scheme`: some phone scanners do not recognise `HTTPS://` as a link.
///
/// `base` is the public base URL (`https://scan.example.com`, `http://127.0.0.1:8080`); a base
/// without a scheme is taken as https. The server answers any case of path and code.
pub fn encode_url(base: &str, code: &str, uppercase_scheme: bool) -> String {
    let code = code.trim();
    let mut out = printed_base(base, uppercase_scheme);
    out.push_str("/Q/");
    out.push_str(&code.to_ascii_uppercase());
    out
}

/// The GS1 Digital Link a product line with a GTIN carries when a lot is printed on it:
/// `https://HOST[/PREFIX]/01/{gtin14}/10/{LOT}`, with the same case rule as [`encode_url`] (scheme
/// lower unless `uppercase_scheme`, host and path upper). `gtin14` is the 14-digit GTIN; `lot` is one
/// path segment, already percent-encoded where needed (`/` as `%2F`, see `domain::Lot`). Lots are
/// case-insensitive in scanback, so upper-casing them loses nothing and keeps them alphanumeric.
pub fn encode_digital_link(base: &str, gtin14: &str, lot: Option<&str>, uppercase_scheme: bool) -> String {
    let mut out = printed_base(base, uppercase_scheme);
    out.push_str("/01/");
    out.push_str(gtin14.trim());
    if let Some(lot) = lot.map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str("/10/");
        out.push_str(&lot.to_ascii_uppercase());
    }
    out
}

/// What a product line's symbol encodes: its `/Q/CODE` URL, or with a lot its GS1 Digital Link
/// `/01/{gtin14}/10/{LOT}` (see [`encode_digital_link`]). A lot without a GTIN is refused: the
/// `/Q/` URL has no place for one, and quietly dropping it would print codes that cannot tell lots
/// apart.
pub fn encode_line(
    base: &str,
    code: &str,
    gtin14: Option<&str>,
    lot: Option<&str>,
    uppercase_scheme: bool,
) -> Result<String, ArtworkError> {
    match (lot.map(str::trim).filter(|l| !l.is_empty()), gtin14) {
        (None, _) => Ok(encode_url(base, code, uppercase_scheme)),
        (Some(lot), Some(gtin)) => Ok(encode_digital_link(base, gtin, Some(lot), uppercase_scheme)),
        (Some(_), None) => Err(ArtworkError::LotWithoutGtin),
    }
}

/// `scheme://HOST[:PORT][/PREFIX]` of the public base URL, cased for printing, no trailing slash.
fn printed_base(base: &str, uppercase_scheme: bool) -> String {
    let base = base.trim();
    let (scheme, rest) = match base.split_once("://") {
        Some((s, r)) => (s, r),
        None => ("https", base),
    };
    let rest = rest.trim_end_matches('/');
    let mut out = String::with_capacity(scheme.len() + rest.len() + 32);
    if uppercase_scheme {
        out.push_str(&scheme.to_ascii_uppercase());
    } else {
        out.push_str(&scheme.to_ascii_lowercase());
    }
    out.push_str("://");
    out.push_str(&rest.to_ascii_uppercase());
    out
}

/// A QR symbol: the module matrix (quiet zone excluded) and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    width: usize,
    dark: Vec<bool>,
    version: i16,
    ec: ErrorCorrection,
}

impl Symbol {
    /// Modules per side, quiet zone excluded.
    pub fn width(&self) -> usize {
        self.width
    }

    pub fn version(&self) -> i16 {
        self.version
    }

    pub fn ec_level(&self) -> ErrorCorrection {
        self.ec
    }

    /// Row `y`, `true` = dark module. Empty past the last row.
    pub fn row(&self, y: usize) -> &[bool] {
        let start = y.saturating_mul(self.width);
        self.dark.get(start..start.saturating_add(self.width)).unwrap_or(&[])
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && self.row(y).get(x).copied().unwrap_or(false)
    }

    /// Every horizontal run of dark modules as `(x, y, len)`, row by row.
    pub fn runs(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        (0..self.width).flat_map(move |y| row_runs(self.row(y)).map(move |(x, len)| (x, y, len)))
    }

    /// Build a symbol from a raw matrix (tests and tools).
    pub fn from_matrix(width: usize, dark: Vec<bool>, version: i16, ec: ErrorCorrection) -> Option<Self> {
        (width > 0 && dark.len() == width * width).then_some(Symbol { width, dark, version, ec })
    }
}

/// The runs of `true` in a row as `(start, len)`.
pub fn row_runs(row: &[bool]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut x = 0;
    std::iter::from_fn(move || {
        while row.get(x).is_some_and(|d| !d) {
            x += 1;
        }
        if x >= row.len() {
            return None;
        }
        let start = x;
        while row.get(x).copied().unwrap_or(false) {
            x += 1;
        }
        Some((start, x - start))
    })
}

fn qr_error(e: QrError, len: usize) -> ArtworkError {
    match e {
        QrError::DataTooLong => ArtworkError::DataTooLong { len },
        other => ArtworkError::Encode(other.to_string()),
    }
}

/// Encode `text` for `profile`: the smallest version that holds the data at the profile's error
/// correction, then the highest error correction that still fits that same version (free robustness).
pub fn symbol(text: &str, profile: &Profile) -> Result<Symbol, ArtworkError> {
    let data = text.as_bytes();
    if data.is_empty() {
        return Err(ArtworkError::InvalidInput("nothing to encode".into()));
    }
    let floor = profile.ec_level;
    let version = encode_auto(data, floor.to_qr()).map_err(|e| qr_error(e, data.len()))?.version();

    // Segments for this version (mixed-mode optimised), then see which EC levels still have room.
    let mut bits = Bits::new(version);
    bits.push_optimal_data(data).map_err(|e| qr_error(e, data.len()))?;
    let used = bits.len();
    let mut ec = floor;
    for candidate in [ErrorCorrection::M, ErrorCorrection::Q, ErrorCorrection::H] {
        if candidate > ec && bits.max_len(candidate.to_qr()).is_ok_and(|max| used <= max) {
            ec = candidate;
        }
    }
    bits.push_terminator(ec.to_qr()).map_err(|e| qr_error(e, data.len()))?;
    let code = QrCode::with_bits(bits, ec.to_qr()).map_err(|e| qr_error(e, data.len()))?;
    let version = match code.version() {
        Version::Normal(v) | Version::Micro(v) => v,
    };
    Ok(Symbol {
        width: code.width(),
        version,
        ec: ErrorCorrection::from_qr(code.error_correction_level()),
        dark: code.into_colors().into_iter().map(|c| c == Color::Dark).collect(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::super::profile;
    use super::*;

    #[test]
    fn url_rule_uppercases_host_path_and_code_but_not_the_scheme() {
        assert_eq!(encode_url("https://scan.example.com", "7k3m9xq2", false), "https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2");
        assert_eq!(encode_url("http://127.0.0.1:8080/", "ab", false), "http://127.0.0.1:8080/Q/AB");
        assert_eq!(encode_url("HTTPS://Scan.Example.com/fb", "ab", false), "https://SCAN.EXAMPLE.COM/FB/Q/AB");
        assert_eq!(encode_url("https://scan.example.com", "ab", true), "HTTPS://SCAN.EXAMPLE.COM/Q/AB");
        assert_eq!(encode_url("scan.example.com:8443", "ab", false), "https://SCAN.EXAMPLE.COM:8443/Q/AB");
    }

    #[test]
    fn digital_link_follows_the_same_case_rule() {
        assert_eq!(
            encode_digital_link("https://scan.example.com/", "04006381333931", Some("a12-b"), false),
            "https://SCAN.EXAMPLE.COM/01/04006381333931/10/A12-B"
        );
        assert_eq!(
            encode_digital_link("HTTP://Scan.Example.com/fb", "04006381333931", Some("2026%2F11"), true),
            "HTTP://SCAN.EXAMPLE.COM/FB/01/04006381333931/10/2026%2F11"
        );
        assert_eq!(
            encode_digital_link("scan.example.com", "04006381333931", None, false),
            "https://SCAN.EXAMPLE.COM/01/04006381333931"
        );
        assert_eq!(
            encode_line("https://s.example", "ab", Some("04006381333931"), Some("l1"), false),
            Ok("https://S.EXAMPLE/01/04006381333931/10/L1".to_owned())
        );
        assert_eq!(
            encode_line("https://s.example", "ab", Some("04006381333931"), None, false),
            Ok("https://S.EXAMPLE/Q/AB".to_owned())
        );
        assert_eq!(encode_line("https://s.example", "ab", None, Some("l1"), false), Err(ArtworkError::LotWithoutGtin));
        // Everything after the scheme stays in QR's alphanumeric set: same version as the /Q/ URL.
        let p = profile("laser-metal").unwrap();
        let dl = symbol(&encode_digital_link("https://scan.example.com", "04006381333931", Some("L2611-07"), false), p)
            .unwrap();
        assert!(dl.version() <= 5, "version {}", dl.version());
    }

    #[test]
    fn runs_merge_neighbouring_dark_modules() {
        let row = [true, true, false, true, false, false, true, true, true];
        assert_eq!(row_runs(&row).collect::<Vec<_>>(), vec![(0, 2), (3, 1), (6, 3)]);
        assert_eq!(row_runs(&[false, false]).count(), 0);
        assert_eq!(row_runs(&[true; 5]).collect::<Vec<_>>(), vec![(0, 5)]);
        // Runs cover exactly the dark modules.
        let s = symbol("https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2", profile("pad-print").unwrap()).unwrap();
        let covered: usize = s.runs().map(|(_, _, l)| l).sum();
        let dark = (0..s.width()).flat_map(|y| (0..s.width()).map(move |x| (x, y))).filter(|&(x, y)| s.is_dark(x, y));
        assert_eq!(covered, dark.count());
    }

    #[test]
    fn ec_is_boosted_while_the_version_stays_the_same() {
        let offset = profile("packaging-offset").unwrap(); // floor Q
        let text = "https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2";
        let s = symbol(text, offset).unwrap();
        let plain = QrCode::with_error_correction_level(text, qrcode::EcLevel::Q).unwrap();
        let plain_v = match plain.version() {
            Version::Normal(v) | Version::Micro(v) => v,
        };
        assert_eq!(s.version(), plain_v, "boost never grows the symbol");
        assert!(s.ec_level() >= ErrorCorrection::Q);
        // This text at Q needs version 3 (29 modules), where H does not fit but... check both ways:
        let h_fits_same = QrCode::with_version(text, plain.version(), qrcode::EcLevel::H).is_ok();
        assert_eq!(s.ec_level() == ErrorCorrection::H, h_fits_same);

        // A short text has room to spare: boosted to H at version 1.
        let mut low = offset.clone();
        low.ec_level = ErrorCorrection::L;
        let s = symbol("HELLO", &low).unwrap();
        assert_eq!((s.version(), s.ec_level()), (1, ErrorCorrection::H));
        // Longer data at L keeps a lower level rather than growing.
        let long = "https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2?lot=1234567890abcdef";
        let s = symbol(long, &low).unwrap();
        let at_l = QrCode::with_error_correction_level(long, qrcode::EcLevel::L).unwrap();
        assert_eq!(s.width(), at_l.width());
    }

    #[test]
    fn mark_profiles_encode_at_h() {
        let s = symbol("https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2", profile("laser-metal").unwrap()).unwrap();
        assert_eq!(s.ec_level(), ErrorCorrection::H);
        assert_eq!(s.width(), 17 + 4 * s.version() as usize);
    }

    #[test]
    fn too_much_data_is_a_typed_error() {
        let text = "x".repeat(3000);
        assert_eq!(symbol(&text, profile("laser-metal").unwrap()), Err(ArtworkError::DataTooLong { len: 3000 }));
        assert!(matches!(symbol("", profile("laser-metal").unwrap()), Err(ArtworkError::InvalidInput(_))));
    }
}
