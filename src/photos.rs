//! Customer photos: decoded under strict limits, turned upright, and re-encoded, so that what is kept
//! carries no EXIF (no GPS position, no device serial) and no hostile payload. Pure: bytes in, bytes
//! out; the caller runs it off the async workers.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// Largest upload accepted per photo.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Largest decoded picture: 25 megapixels covers what phone cameras save by default (12 MP, or
/// 24 MP at 5712 x 4284); more is refused from the header, before a pixel is decoded. Browsers with
/// JavaScript shrink photos to 1600 px before sending, so this bites only large files sent as they are.
pub const MAX_PIXELS: u64 = 25_000_000;
pub const MAX_SIDE: u32 = 12_000;
/// Memory budget of one decode: the decoded buffer (width x height x bytes per pixel, from the
/// header) may not exceed this, so a 25 MP RGBA picture fits and a 16-bit one of that size does not.
/// With [`decode_jobs`] decodes at once, photo decoding needs at most `decode_jobs() x` this.
pub const MAX_DECODE_BYTES: u64 = 100 * 1024 * 1024;

/// How large a picture one decode may be: refused from the header when over. Production always
/// decodes under [`Budget::UPLOAD`] ([`process`], [`product_image`]); a smaller budget exists for the
/// fuzz target (`fuzz/fuzz_targets/photo.rs`), so that its executions do not spend their time filling
/// and re-encoding multi-megapixel buffers. The code path is the same whatever the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Largest decoded picture, width x height.
    pub max_pixels: u64,
    /// Largest decoded buffer in bytes (width x height x bytes per pixel, from the header).
    pub max_decode_bytes: u64,
}

impl Budget {
    /// What uploads and product pictures get: [`MAX_PIXELS`] and [`MAX_DECODE_BYTES`].
    pub const UPLOAD: Budget = Budget { max_pixels: MAX_PIXELS, max_decode_bytes: MAX_DECODE_BYTES };
}

/// How many photos may be decoded at once: one per core. More would not finish sooner, and each
/// holds up to [`MAX_DECODE_BYTES`].
pub fn decode_jobs() -> usize {
    std::thread::available_parallelism().map(std::num::NonZero::get).unwrap_or(2)
}
/// Long side of the kept photo and of its thumbnail.
pub const DISPLAY_SIDE: u32 = 1600;
pub const THUMB_SIDE: u32 = 320;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("not a JPEG, PNG or WebP image")]
    UnsupportedFormat,
    #[error("the file is larger than the limit")]
    TooLarge,
    #[error("the picture has too many pixels")]
    TooManyPixels,
    #[error("the image is damaged and cannot be read")]
    Corrupt,
    #[error("encoding failed: {0}")]
    Encode(String),
}

pub struct Processed {
    pub display: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Long side of a product picture on the scan page: sharp on a phone, a few tens of kilobytes.
pub const PRODUCT_SIDE: u32 = 480;

/// A product picture for the scan page: one small JPEG. Returns (bytes, width, height).
pub fn product_image(bytes: &[u8]) -> Result<(Vec<u8>, u32, u32), PhotoError> {
    product_image_with(bytes, &Budget::UPLOAD)
}

/// [`product_image`] under another decoding budget (the fuzz target's).
pub fn product_image_with(bytes: &[u8], budget: &Budget) -> Result<(Vec<u8>, u32, u32), PhotoError> {
    let small = decode_shrunk(bytes, PRODUCT_SIDE, budget)?;
    Ok((jpeg(&small, 80)?, small.width(), small.height()))
}

/// A customer photo: the display picture (long side at most [`DISPLAY_SIDE`]) and its thumbnail.
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    process_with(bytes, &Budget::UPLOAD)
}

/// [`process`] under another decoding budget (the fuzz target's).
pub fn process_with(bytes: &[u8], budget: &Budget) -> Result<Processed, PhotoError> {
    let display = decode_shrunk(bytes, DISPLAY_SIDE, budget)?;
    let thumb = shrink(&display, THUMB_SIDE);
    Ok(Processed {
        width: display.width(),
        height: display.height(),
        display: jpeg(&display, 82)?,
        thumb: jpeg(&thumb, 75)?,
    })
}

/// Decodes under the limits, shrinks to `side` and turns the picture upright. The full-size buffer
/// is the only large allocation: shrinking averages straight into the small picture, and turning
/// and the RGB conversion happen on that.
fn decode_shrunk(bytes: &[u8], side: u32, budget: &Budget) -> Result<DynamicImage, PhotoError> {
    let (img, orientation) = decode(bytes, budget)?;
    let mut small = shrink(&img, side);
    drop(img);
    if let Some(o) = orientation {
        small.apply_orientation(o);
    }
    Ok(DynamicImage::ImageRgb8(small.into_rgb8()))
}

fn decode(bytes: &[u8], budget: &Budget) -> Result<(DynamicImage, Option<image::metadata::Orientation>), PhotoError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| PhotoError::UnsupportedFormat)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(PhotoError::UnsupportedFormat);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(budget.max_decode_bytes);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(map_decode)?;
    let (w, h) = decoder.dimensions();
    // Checked from the header, before a single pixel is decoded (not every codec honours max_alloc).
    if u64::from(w) * u64::from(h) > budget.max_pixels || decoder.total_bytes() > budget.max_decode_bytes {
        return Err(PhotoError::TooManyPixels);
    }
    let orientation = decoder.orientation().ok();
    let img = DynamicImage::from_decoder(decoder).map_err(map_decode)?;
    Ok((img, orientation))
}

fn map_decode(e: image::ImageError) -> PhotoError {
    match e {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        image::ImageError::Unsupported(_) => PhotoError::UnsupportedFormat,
        _ => PhotoError::Corrupt,
    }
}

/// Area averaging (`thumbnail`) writes straight into the small picture; a filtered resize would
/// first build a full-height floating-point copy, several times the decoded size.
fn shrink(img: &DynamicImage, side: u32) -> DynamicImage {
    if img.width() <= side && img.height() <= side { img.clone() } else { img.thumbnail(side, side) }
}

fn jpeg(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .map_err(|e| PhotoError::Encode(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn a_large_photo_is_shrunk_and_reencoded_as_jpeg() {
        let p = process(&png(3200, 1600)).unwrap();
        assert_eq!((p.width, p.height), (1600, 800));
        assert_eq!(image::guess_format(&p.display).unwrap(), ImageFormat::Jpeg);
        let thumb = image::load_from_memory(&p.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (320, 160));
    }

    #[test]
    fn text_files_and_truncated_images_are_refused() {
        assert_eq!(process(b"hello, this is not a picture").err(), Some(PhotoError::UnsupportedFormat));
        let mut broken = png(100, 100);
        broken.truncate(60);
        assert!(matches!(process(&broken), Err(PhotoError::Corrupt | PhotoError::UnsupportedFormat)));
    }

    #[test]
    fn pictures_over_the_pixel_limit_or_the_decode_budget_are_refused_from_the_header() {
        // 6000 x 4200 = 25.2 MP: one row too many; refused before decoding.
        assert_eq!(process(&png(6000, 4200)).err(), Some(PhotoError::TooManyPixels));
        // 16-bit RGBA at 4000 x 3500 (14 MP) decodes to 112 MB, over the budget.
        let img = image::ImageBuffer::<image::Rgba<u16>, _>::from_pixel(4000, 3500, image::Rgba([1, 2, 3, 4]));
        let mut deep = Vec::new();
        DynamicImage::ImageRgba16(img).write_to(&mut Cursor::new(&mut deep), ImageFormat::Png).unwrap();
        assert_eq!(process(&deep).err(), Some(PhotoError::TooManyPixels));
        // At the limit it is accepted and shrunk.
        let p = process(&png(5000, 5000)).unwrap();
        assert_eq!((p.width, p.height), (1600, 1600));
    }

    #[test]
    fn the_upload_budget_is_the_production_limits_and_a_smaller_budget_refuses_from_the_header() {
        assert_eq!(Budget::UPLOAD, Budget { max_pixels: MAX_PIXELS, max_decode_bytes: MAX_DECODE_BYTES });
        let small = Budget { max_pixels: 512 * 512, max_decode_bytes: 1024 * 1024 };
        // 640 x 480 is nothing for an upload but over the small budget's pixels; the same file.
        let picture = png(640, 480);
        assert!(process_with(&picture, &Budget::UPLOAD).is_ok());
        assert_eq!(process_with(&picture, &small).err(), Some(PhotoError::TooManyPixels));
        assert_eq!(product_image_with(&picture, &small).err(), Some(PhotoError::TooManyPixels));
        // At the small budget's limit it is accepted and goes through the same steps.
        let p = process_with(&png(512, 512), &small).unwrap();
        assert_eq!((p.width, p.height), (512, 512));
        let (jpeg, w, h) = product_image_with(&png(512, 512), &small).unwrap();
        assert_eq!((w, h), (PRODUCT_SIDE, PRODUCT_SIDE));
        assert_eq!(image::guess_format(&jpeg).unwrap(), ImageFormat::Jpeg);
        // The byte budget bites on its own: 16-bit RGBA at 400 x 400 is 1.28 MB decoded.
        let img = image::ImageBuffer::<image::Rgba<u16>, _>::from_pixel(400, 400, image::Rgba([1, 2, 3, 4]));
        let mut deep = Vec::new();
        DynamicImage::ImageRgba16(img).write_to(&mut Cursor::new(&mut deep), ImageFormat::Png).unwrap();
        assert_eq!(process_with(&deep, &small).err(), Some(PhotoError::TooManyPixels));
        assert!(process_with(&deep, &Budget::UPLOAD).is_ok());
    }
}
