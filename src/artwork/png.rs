//! PNG: one bit per pixel (greyscale for black/white, a two-entry palette for other colours), a whole
//! number of pixels per module, and the resolution in the pHYs chunk so that layout programs place it
//! at its true size.

use ::png::{BitDepth, ColorType, Compression, Encoder, Filter, PixelDimensions, Unit};

use super::layout::MAX_PNG_PX;
use super::{ArtworkError, Layout, Profile, Symbol, row_runs};

fn encode_err(e: ::png::EncodingError) -> ArtworkError {
    ArtworkError::Encode(format!("PNG: {e}"))
}

pub(super) fn render(sym: &Symbol, lay: &Layout, p: &Profile) -> Result<Vec<u8>, ArtworkError> {
    let size = lay.png_size_px();
    if size > MAX_PNG_PX {
        return Err(ArtworkError::InvalidSize(format!(
            "the PNG would be {size} pixels wide (more than {MAX_PNG_PX}); ask for a smaller size or \
             resolution, or use a vector format"
        )));
    }
    let (mark, ground) = p.mark_and_ground(lay.inverted);
    let px = lay.png_px_per_module as usize;
    let quiet = lay.quiet_zone_modules as usize;
    let size_us = size as usize;
    let row_bytes = size_us.div_ceil(8);

    // Bit value of a mark pixel and of a ground pixel.
    let black_white = |c: &super::Colour| c.rgb == [0, 0, 0] || c.rgb == [255, 255, 255];
    let grey = black_white(&mark) && black_white(&ground) && mark.rgb != ground.rgb;
    let (mark_bit, ground_bit) = if grey {
        (mark.rgb == [255, 255, 255], ground.rgb == [255, 255, 255])
    } else {
        (true, false) // palette: 0 = ground, 1 = mark
    };

    let ground_byte = if ground_bit { 0xFF } else { 0x00 };
    let mut data = vec![ground_byte; row_bytes * size_us];
    let mut line = vec![ground_byte; row_bytes];
    for y in 0..sym.width() {
        line.fill(ground_byte);
        for (x, len) in row_runs(sym.row(y)) {
            let start = (x + quiet) * px;
            set_bits(&mut line, start, start + len * px, mark_bit);
        }
        let top = (y + quiet) * px;
        for r in top..top + px {
            if let Some(dst) = data.get_mut(r * row_bytes..(r + 1) * row_bytes) {
                dst.copy_from_slice(&line);
            }
        }
    }

    let mut out = Vec::with_capacity(data.len() / 8 + 256);
    let mut enc = Encoder::new(&mut out, size, size);
    if grey {
        enc.set_color(ColorType::Grayscale);
    } else {
        enc.set_color(ColorType::Indexed);
        let [gr, gg, gb] = ground.rgb;
        let [mr, mg, mb] = mark.rgb;
        enc.set_palette(vec![gr, gg, gb, mr, mg, mb]);
    }
    enc.set_depth(BitDepth::One);
    // Up makes every repeated pixel row all zeros; fdeflate's fast mode then shrinks them to nothing.
    enc.set_filter(Filter::Up);
    enc.set_compression(Compression::Fast);
    let ppm = (lay.png_dpi / 0.0254).round();
    let ppm = if ppm > f64::from(u32::MAX) { u32::MAX } else { ppm as u32 };
    enc.set_pixel_dims(Some(PixelDimensions { xppu: ppm, yppu: ppm, unit: Unit::Meter }));
    let mut w = enc.write_header().map_err(encode_err)?;
    w.write_image_data(&data).map_err(encode_err)?;
    w.finish().map_err(encode_err)?;
    Ok(out)
}

/// Set bits `from..to` (MSB first, as PNG packs them) to `on`.
fn set_bits(line: &mut [u8], from: usize, to: usize, on: bool) {
    let mut i = from;
    while i < to {
        let byte = i / 8;
        let bit = i % 8;
        if bit == 0 && to - i >= 8 {
            // Whole bytes at once.
            let n = (to - i) / 8;
            if let Some(s) = line.get_mut(byte..byte + n) {
                s.fill(if on { 0xFF } else { 0x00 });
            }
            i += n * 8;
            continue;
        }
        let mask = 0x80u8 >> bit;
        if let Some(b) = line.get_mut(byte) {
            if on { *b |= mask } else { *b &= !mask }
        }
        i += 1;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::super::{Format, Options, profile, render as render_any};
    use super::*;

    const URL: &str = "https://SCAN.EXAMPLE.COM/Q/7K3M9XQ2";

    fn decode(bytes: &[u8]) -> (::png::Info<'static>, Vec<u8>) {
        let dec = ::png::Decoder::new(std::io::Cursor::new(bytes.to_vec()));
        let mut r = dec.read_info().unwrap();
        let info = r.info().clone();
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        r.next_frame(&mut buf).unwrap();
        (info, buf)
    }

    #[test]
    fn bits_are_packed_msb_first() {
        let mut l = vec![0u8; 3];
        set_bits(&mut l, 3, 21, true);
        assert_eq!(l, vec![0b0001_1111, 0xFF, 0b1111_1000]);
        set_bits(&mut l, 0, 24, false);
        assert_eq!(l, vec![0, 0, 0]);
    }

    #[test]
    fn png_is_one_bit_grey_with_dpi_in_phys() {
        let p = profile("laser-metal").unwrap();
        let a = render_any(URL, Format::Png, &Options::new(p)).unwrap();
        let (info, pixels) = decode(&a.bytes);
        assert_eq!(info.bit_depth, BitDepth::One);
        assert_eq!(info.color_type, ColorType::Grayscale);
        let dims = info.pixel_dims.unwrap();
        assert_eq!(dims.unit, Unit::Meter);
        assert_eq!(dims.xppu, 40_000); // 1016 dpi = 40 px/mm
        assert_eq!(info.width, a.spec.png_size_px);
        assert_eq!(a.spec.png_px_per_module, 30);
        assert_eq!(info.width, (a.spec.modules as u32 + 8) * 30);
        // Quiet zone white, first finder module black (0 = black in 1-bit greyscale).
        let row_bytes = (info.width as usize).div_ceil(8);
        let px = |x: usize, y: usize| pixels[y * row_bytes + x / 8] >> (7 - x % 8) & 1;
        assert_eq!(px(0, 0), 1);
        assert_eq!(px(4 * 30, 4 * 30), 0);
        assert_eq!(px(4 * 30 - 1, 4 * 30), 1);
    }

    #[test]
    fn png_dpi_override_and_actual_module_size() {
        let p = profile("packaging-offset").unwrap();
        let mut o = Options::new(p);
        o.dpi = Some(300.0);
        let a = render_any(URL, Format::Png, &o).unwrap();
        // 0.495 mm at 300 dpi = 5.85 px -> 6 px = 0.508 mm.
        assert_eq!(a.spec.png_px_per_module, 6);
        assert!((a.spec.png_module_mm - 0.508).abs() < 1e-9);
        let (info, _) = decode(&a.bytes);
        assert_eq!(info.pixel_dims.unwrap().xppu, 11_811);
    }

    #[test]
    fn inverted_png_has_a_black_quiet_zone() {
        let p = profile("laser-metal-inverted").unwrap();
        let a = render_any(URL, Format::Png, &Options::new(p)).unwrap();
        let (info, pixels) = decode(&a.bytes);
        assert_eq!(info.color_type, ColorType::Grayscale);
        assert_eq!(pixels[0] >> 7, 0);
        let row_bytes = (info.width as usize).div_ceil(8);
        assert_eq!((pixels[120 * row_bytes + 15] >> 7) & 1, 1, "first finder module is white");
    }

    #[test]
    fn coloured_profiles_use_a_two_colour_palette() {
        let mut p = profile("pad-print").unwrap().clone();
        p.dark.rgb = [0, 40, 120];
        let a = render_any(URL, Format::Png, &Options::new(&p)).unwrap();
        let (info, _) = decode(&a.bytes);
        assert_eq!((info.color_type, info.bit_depth), (ColorType::Indexed, BitDepth::One));
        assert_eq!(info.palette.as_deref(), Some(&[255, 255, 255, 0, 40, 120][..]));
    }

    #[test]
    fn huge_pngs_are_refused() {
        let p = profile("packaging-offset").unwrap();
        let mut o = Options::new(p);
        o.size_mm = Some(900.0);
        assert!(matches!(render_any(URL, Format::Png, &o), Err(ArtworkError::InvalidSize(_))));
    }
}
