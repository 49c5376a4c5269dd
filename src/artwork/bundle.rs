//! Share bundles: a ZIP, built in memory, with every format and the spec sheet for one or more codes.

use std::collections::HashSet;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::text::num;
use super::{ArtworkError, Format, Options, plan};

/// One code in a bundle.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleItem {
    /// File name without extension: letters, digits, '-', '_' and '.', not starting with '.'.
    pub stem: String,
    /// The final text to encode.
    pub text: String,
    pub caption: Option<String>,
    /// The product's name, for the heading of its spec sheet.
    pub product: Option<String>,
    /// This code's total size in mm; `None`: the size the bundle's options give.
    pub size_mm: Option<f64>,
}

/// Most codes in one bundle.
pub const MAX_BUNDLE_ITEMS: usize = 500;

fn zip_err(e: impl std::fmt::Display) -> ArtworkError {
    ArtworkError::Encode(format!("ZIP: {e}"))
}

fn check_stem(stem: &str) -> Result<(), ArtworkError> {
    let ok = !stem.is_empty()
        && stem.len() <= 100
        && !stem.starts_with('.')
        && stem.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(ArtworkError::InvalidInput(format!(
            "\"{stem}\" is not a usable file name: use letters, digits, '-', '_' and '.'"
        )))
    }
}

/// A ZIP with `STEM.svg`, `STEM.png`, `STEM.pdf`, `STEM.eps` and `STEM-spec.pdf` for every item, and a
/// `README.txt` that lists them, all made per `opts` (each item brings its own caption).
pub fn bundle(items: &[BundleItem], opts: &Options<'_>) -> Result<Vec<u8>, ArtworkError> {
    if items.is_empty() {
        return Err(ArtworkError::InvalidInput("a bundle needs at least one code".into()));
    }
    if items.len() > MAX_BUNDLE_ITEMS {
        return Err(ArtworkError::InvalidInput(format!("at most {MAX_BUNDLE_ITEMS} codes per bundle")));
    }
    let mut seen = HashSet::new();
    for it in items {
        check_stem(&it.stem)?;
        if !seen.insert(it.stem.to_ascii_lowercase()) {
            return Err(ArtworkError::InvalidInput(format!("the file name \"{}\" is used twice", it.stem)));
        }
    }

    // Fixed timestamps (the zip default, 1980-01-01) keep bundles byte-identical for the same input.
    let deflate = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let p = opts.profile;
    let mut readme = format!(
        "QR code artwork from scanback\r\n\r\nProfile: {}\r\n{}\r\n\r\nKeep the quiet zone (the margin inside each file) free of print and do not \
         scale below the smallest size.\r\n\r\n",
        p.name, p.description
    );
    for it in items {
        let o = Options {
            caption: it.caption.clone(),
            product: it.product.clone(),
            size_mm: it.size_mm.or(opts.size_mm),
            ..opts.clone()
        };
        let pl = plan(&it.text, &o)?;
        for f in Format::ALL {
            let bytes = pl.render(f)?;
            // PNG is already deflated; compressing it again only costs time.
            let fo = if f == Format::Png { stored } else { deflate };
            zip.start_file(format!("{}.{}", it.stem, f.extension()), fo).map_err(zip_err)?;
            zip.write_all(&bytes).map_err(zip_err)?;
        }
        let spec = super::spec_sheet::render_plan(&pl)?;
        zip.start_file(format!("{}-spec.pdf", it.stem), deflate).map_err(zip_err)?;
        zip.write_all(&spec).map_err(zip_err)?;
        let s = &pl.spec;
        readme.push_str(&format!(
            "{}: {}\r\n  QR version {}, EC {}, module {} mm, quiet zone {} modules, total {} mm (smallest {} mm)\r\n\r\n",
            it.stem,
            s.text,
            s.version,
            s.ec_level,
            num(s.module_mm, 4),
            s.quiet_zone_modules,
            num(s.total_mm, 2),
            num(s.min_total_mm, 1)
        ));
    }
    zip.start_file("README.txt", deflate).map_err(zip_err)?;
    zip.write_all(readme.as_bytes()).map_err(zip_err)?;
    Ok(zip.finish().map_err(zip_err)?.into_inner())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::super::profile;
    use super::*;

    #[test]
    fn bundle_holds_every_format_and_the_spec_sheet() {
        let p = profile("laser-metal").unwrap();
        let items = vec![
            BundleItem {
                stem: "pan-28".into(),
                text: "https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2".into(),
                caption: None,
                product: Some("Сковорода 28 см".into()),
                size_mm: Some(40.0),
            },
            BundleItem {
                stem: "lid".into(),
                text: "https://SCAN.EXAMPLE.COM/Q/AB12CD34".into(),
                caption: Some("Lid".into()),
                product: None,
                size_mm: None,
            },
        ];
        let z = bundle(&items, &Options::new(p)).unwrap();
        let mut a = zip::ZipArchive::new(Cursor::new(z.clone())).unwrap();
        let mut names: Vec<String> = a.file_names().map(|n| n.unwrap().into_owned()).collect();
        names.sort();
        assert_eq!(
            names,
            vec![
                "README.txt",
                "lid-spec.pdf",
                "lid.eps",
                "lid.pdf",
                "lid.png",
                "lid.svg",
                "pan-28-spec.pdf",
                "pan-28.eps",
                "pan-28.pdf",
                "pan-28.png",
                "pan-28.svg"
            ]
        );
        let mut svg = String::new();
        std::io::Read::read_to_string(&mut a.by_name("lid.svg").unwrap(), &mut svg).unwrap();
        assert!(svg.contains("<title>Lid</title></path>"), "caption outlines");
        let mut spec = Vec::new();
        std::io::Read::read_to_end(&mut a.by_name("pan-28-spec.pdf").unwrap(), &mut spec).unwrap();
        assert!(super::super::pdf::has_text(&spec, "Сковорода 28 см"), "the spec sheet names the product");
        assert_eq!(bundle(&items, &Options::new(p)).unwrap(), z, "deterministic");
        let mut readme = String::new();
        std::io::Read::read_to_string(&mut a.by_name("README.txt").unwrap(), &mut readme).unwrap();
        assert!(readme.contains("total 40 mm"), "an item's own size: {readme}");
    }

    #[test]
    fn bad_or_duplicate_names_are_refused() {
        let p = profile("laser-metal").unwrap();
        let it = |s: &str| BundleItem { stem: s.into(), text: "X".into(), caption: None, product: None, size_mm: None };
        for bad in ["../x", "", ".hidden", "a b", "a/b"] {
            assert!(bundle(&[it(bad)], &Options::new(p)).is_err(), "{bad}");
        }
        assert!(bundle(&[it("a"), it("A")], &Options::new(p)).is_err());
    }
}
