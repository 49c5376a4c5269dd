//! Physical size of a symbol: module size from the request and profile, refusals for sizes that would
//! not scan, and the whole-pixel PNG raster.

use super::{ArtworkError, Options, Symbol};

/// Larger requests are refused: nobody prints a metre-wide QR code through this service by accident.
pub const MAX_SIZE_MM: f64 = 1000.0;

/// PNGs wider than this are refused (memory, and nobody needs them: use a vector format).
pub const MAX_PNG_PX: u32 = 20_000;

/// How a symbol is laid out on the substrate.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Modules per side, quiet zone excluded.
    pub modules: usize,
    pub quiet_zone_modules: u32,
    pub module_mm: f64,
    /// Symbol plus quiet zone, per side.
    pub total_mm: f64,
    /// Module size in printer dots, for profiles with a printer resolution.
    pub printer_dots_per_module: Option<u32>,
    pub png_dpi: f64,
    /// Whole pixels per module (at least 1).
    pub png_px_per_module: u32,
    pub inverted: bool,
    /// The smallest total size this code may have with this profile (rounded up to 0.1 mm).
    pub min_total_mm: f64,
    /// The largest total size at which every format can be made (rounded down to 0.1 mm): the
    /// service's limit, or less where the PNG at the profile's resolution would be too wide.
    pub max_total_mm: f64,
}

/// Largest whole number of dots not above `module_mm` (with a hair of tolerance for float noise), as
/// (module size in mm, dots).
pub(super) fn snap_to_dots(module_mm: f64, dot_mm: f64) -> (f64, u32) {
    let dots = (module_mm / dot_mm + 1e-6).floor().max(0.0);
    let dots = if dots > f64::from(u32::MAX) { u32::MAX } else { dots as u32 };
    (f64::from(dots) * dot_mm, dots)
}

/// Round up to 0.1 mm, ignoring float noise below a micrometre.
fn ceil_tenth(mm: f64) -> f64 {
    (mm * 10.0 - 1e-6).ceil() / 10.0
}

/// Round down to 0.1 mm, ignoring float noise below a micrometre.
fn floor_tenth(mm: f64) -> f64 {
    (mm * 10.0 + 1e-6).floor() / 10.0
}

impl Layout {
    /// Modules per side including the quiet zone on both sides.
    pub fn span(&self) -> usize {
        self.modules + 2 * self.quiet_zone_modules as usize
    }

    pub fn quiet_zone_mm(&self) -> f64 {
        f64::from(self.quiet_zone_modules) * self.module_mm
    }

    /// The module size the PNG really has.
    pub fn png_module_mm(&self) -> f64 {
        f64::from(self.png_px_per_module) * 25.4 / self.png_dpi
    }

    pub fn png_size_px(&self) -> u32 {
        u32::try_from(self.span()).unwrap_or(u32::MAX).saturating_mul(self.png_px_per_module)
    }

    /// Size `sym` per `opts`: the requested total size or the profile's default module size, snapped
    /// to printer dots where the profile has a printer resolution.
    pub fn new(sym: &Symbol, opts: &Options<'_>) -> Result<Layout, ArtworkError> {
        let p = opts.profile;
        let quiet = p.quiet_zone_modules;
        let modules = sym.width();
        let span = (modules + 2 * quiet as usize) as f64;
        let dot_mm = p.printer_dpi.map(|dpi| 25.4 / dpi);

        // The smallest total size this code may have with this profile.
        let min_module = match dot_mm {
            Some(dot) => (p.min_module_mm / dot - 1e-6).ceil() * dot,
            None => p.min_module_mm,
        };
        let min_total = ceil_tenth(span * min_module);

        let requested = match opts.size_mm {
            None => None,
            Some(s) if !s.is_finite() => {
                return Err(ArtworkError::InvalidSize("the size must be a finite number of mm".into()));
            }
            Some(s) if s <= 0.0 => {
                return Err(ArtworkError::InvalidSize("the size must be more than 0 mm".into()));
            }
            Some(s) if s > MAX_SIZE_MM => {
                return Err(ArtworkError::InvalidSize(format!(
                    "{} mm is more than the largest artwork this service makes ({} mm)",
                    super::text::num(s, 3),
                    MAX_SIZE_MM
                )));
            }
            Some(s) => Some(s),
        };
        let wanted_module = requested.map_or(p.default_module_mm, |s| s / span);
        let (module_mm, dots) = match dot_mm {
            Some(dot) => {
                let (m, d) = snap_to_dots(wanted_module, dot);
                (m, Some(d))
            }
            None => (wanted_module, None),
        };
        if module_mm <= 0.0 || module_mm < p.min_module_mm - 1e-9 {
            return Err(ArtworkError::TooSmall {
                requested_mm: requested.unwrap_or(span * wanted_module),
                profile: p.name.clone(),
                min_mm: min_total,
            });
        }

        let png_dpi = opts.dpi.unwrap_or(p.png_dpi);
        if !png_dpi.is_finite() || !(10.0..=10_000.0).contains(&png_dpi) {
            return Err(ArtworkError::InvalidSize("the PNG resolution must be 10 to 10000 dpi".into()));
        }
        // Whole pixels per module that keep the PNG within its limit, as a module size.
        let png_px_max = (f64::from(MAX_PNG_PX) / span).floor();
        let max_total = floor_tenth((span * png_px_max * 25.4 / png_dpi).min(MAX_SIZE_MM)).max(min_total);
        let px = (module_mm * png_dpi / 25.4).round().max(1.0);
        let png_px_per_module = if px > f64::from(u32::MAX) { u32::MAX } else { px as u32 };

        Ok(Layout {
            modules,
            quiet_zone_modules: quiet,
            module_mm,
            total_mm: span * module_mm,
            printer_dots_per_module: dots,
            png_dpi,
            png_px_per_module,
            inverted: p.invert || opts.invert,
            min_total_mm: min_total,
            max_total_mm: max_total,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::super::{profile, symbol};
    use super::*;

    const URL: &str = "https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2";

    fn layout(name: &str, size: Option<f64>) -> Result<Layout, ArtworkError> {
        let p = profile(name).unwrap();
        let s = symbol(URL, p).unwrap();
        let mut o = Options::new(p);
        o.size_mm = size;
        Layout::new(&s, &o)
    }

    #[test]
    fn default_size_uses_the_default_module() {
        let l = layout("laser-metal", None).unwrap();
        assert_eq!(l.module_mm, 0.75);
        assert_eq!(l.total_mm, l.span() as f64 * 0.75);
        assert_eq!(l.quiet_zone_modules, 4);
        assert_eq!(l.png_px_per_module, 30); // 0.75 mm at 1016 dpi (40 px/mm)
    }

    #[test]
    fn requested_size_sets_the_module() {
        let l = layout("laser-metal", Some(40.0)).unwrap();
        assert!((l.total_mm - 40.0).abs() < 1e-9);
        assert!((l.module_mm - 40.0 / l.span() as f64).abs() < 1e-12);
    }

    #[test]
    fn too_small_is_refused_with_the_smallest_size() {
        let l = layout("laser-metal", None).unwrap();
        // This URL is version 4 at H: 33 modules + 8 quiet = 41 modules * 0.6 mm = 24.6 mm.
        assert_eq!(l.span(), 41);
        let err = layout("laser-metal", Some(12.0)).unwrap_err();
        assert_eq!(err.to_string(), "12 mm is too small for laser-metal: this code needs at least 24.6 mm");
        let err = layout("laser-metal", Some(24.5)).unwrap_err();
        assert_eq!(err.to_string(), "24.5 mm is too small for laser-metal: this code needs at least 24.6 mm");
        assert!(layout("laser-metal", Some(24.6)).is_ok());
        // Offset: 0.396 mm modules -> rounded up to 0.1 mm.
        let l = layout("packaging-offset", None).unwrap();
        let min = (l.span() as f64 * 0.396 * 10.0).ceil() / 10.0;
        let err = layout("packaging-offset", Some(5.0)).unwrap_err();
        assert_eq!(err, ArtworkError::TooSmall { requested_mm: 5.0, profile: "packaging-offset".into(), min_mm: min });
    }

    #[test]
    fn thermal_modules_are_whole_printer_dots() {
        let l = layout("label-thermal-203dpi", None).unwrap();
        assert_eq!(l.printer_dots_per_module, Some(4));
        assert!((l.module_mm - 0.5).abs() < 1e-12);
        assert_eq!(l.png_px_per_module, 4, "one PNG pixel per printer dot");
        // 20 mm over this span: snapped down to whole 0.125 mm dots.
        let l = layout("label-thermal-203dpi", Some(20.0)).unwrap();
        let dots = (20.0 / l.span() as f64 / 0.125).floor();
        assert_eq!(l.printer_dots_per_module, Some(dots as u32));
        assert!((l.module_mm - dots * 0.125).abs() < 1e-12);
        assert!(l.total_mm <= 20.0);
        // Below 3 dots is refused; the smallest size is 3 whole dots per module.
        let span = l.span() as f64;
        let err = layout("label-thermal-203dpi", Some(span * 0.37)).unwrap_err();
        let ArtworkError::TooSmall { min_mm, .. } = err else { panic!("{err:?}") };
        assert_eq!(min_mm, (span * 0.375 * 10.0 - 1e-6).ceil() / 10.0);
        let l = layout("label-thermal-300dpi", None).unwrap();
        assert_eq!(l.printer_dots_per_module, Some(5));
        assert_eq!(l.png_px_per_module, 5);
    }

    #[test]
    fn the_largest_size_keeps_the_png_within_its_limit() {
        // laser-metal: 1016 dpi = 40 px/mm, 41 modules: 487 whole px per module fit in 20,000 px.
        let l = layout("laser-metal", None).unwrap();
        assert_eq!(l.max_total_mm, (41.0 * 487.0 * 25.4 / 1016.0 * 10.0_f64).floor() / 10.0);
        let at_max = layout("laser-metal", Some(l.max_total_mm)).unwrap();
        assert!(at_max.png_size_px() <= MAX_PNG_PX);
        let over = layout("laser-metal", Some(l.max_total_mm + 1.0)).unwrap();
        assert!(over.png_size_px() > MAX_PNG_PX, "the limit is within a millimetre");
        // Low-resolution profiles reach the service's own limit.
        assert_eq!(layout("label-thermal-203dpi", None).unwrap().max_total_mm, MAX_SIZE_MM);
    }

    #[test]
    fn absurd_sizes_are_refused() {
        for bad in [f64::NAN, f64::INFINITY, -3.0, 0.0, 1000.5] {
            assert!(matches!(layout("laser-metal", Some(bad)), Err(ArtworkError::InvalidSize(_))), "{bad}");
        }
        assert_eq!(
            layout("laser-metal", Some(2000.0)).unwrap_err().to_string(),
            "invalid size: 2000 mm is more than the largest artwork this service makes (1000 mm)"
        );
    }
}
