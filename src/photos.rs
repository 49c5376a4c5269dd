//! Customer photos: decoded under strict limits, turned upright, and re-encoded, so that what is kept
//! carries no EXIF (no GPS position, no device serial) and no hostile payload. Pure: bytes in, bytes
//! out; the caller runs it off the async workers.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// Largest upload accepted per photo.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Largest decoded picture: 40 megapixels covers every phone camera; more is a decompression bomb.
pub const MAX_PIXELS: u64 = 40_000_000;
pub const MAX_SIDE: u32 = 12_000;
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
    let img = decode(bytes)?;
    let small = shrink(&img, PRODUCT_SIDE);
    Ok((jpeg(&small, 80)?, small.width(), small.height()))
}

pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    let img = decode(bytes)?;
    let display = shrink(&img, DISPLAY_SIDE);
    let thumb = shrink(&img, THUMB_SIDE);
    Ok(Processed {
        width: display.width(),
        height: display.height(),
        display: jpeg(&display, 82)?,
        thumb: jpeg(&thumb, 75)?,
    })
}

/// Decodes under the limits and turns the picture upright.
fn decode(bytes: &[u8]) -> Result<DynamicImage, PhotoError> {
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
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(map_decode)?;
    let (w, h) = decoder.dimensions();
    // Checked before a single pixel is decoded.
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels);
    }
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(map_decode)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    Ok(DynamicImage::ImageRgb8(img.to_rgb8()))
}

fn map_decode(e: image::ImageError) -> PhotoError {
    match e {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        image::ImageError::Unsupported(_) => PhotoError::UnsupportedFormat,
        _ => PhotoError::Corrupt,
    }
}

fn shrink(img: &DynamicImage, side: u32) -> DynamicImage {
    if img.width() <= side && img.height() <= side { img.clone() } else { img.resize(side, side, FilterType::Triangle) }
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
}
