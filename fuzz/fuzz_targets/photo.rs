//! The photo path: format sniffing (JPEG, PNG, WebP, anything else refused), the header checks,
//! decoding under `image`'s limits, orientation, shrinking and JPEG re-encoding: the code of
//! `photos::process` (customer photos) and `photos::product_image` (product pictures), one of the two
//! per input, by the input's length being even or odd (they share the decode path and differ in the
//! shrinking and encoding after it).
//!
//! Both run under a small decoding budget, `FUZZ_BUDGET` (256 x 256 pixels, 256 KiB decoded; the
//! upload budget is 25 MP and 100 MiB). The parsing, header checks and decoding are the production
//! code; only the threshold at which a picture is refused from its header is lower. Without it the
//! fuzzer's small inputs declaring megapixel pictures spend each execution filling and re-encoding
//! big buffers (about 235 executions a second); the production limits themselves are covered by the
//! unit tests in `src/photos.rs` and `scripts/photo_memory.sh`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scanback::photos::{self, Budget};

const FUZZ_BUDGET: Budget = Budget { max_pixels: 256 * 256, max_decode_bytes: 256 * 1024 };

fuzz_target!(|bytes: &[u8]| {
    if bytes.len() % 2 == 0 {
        if let Ok(p) = photos::process_with(bytes, &FUZZ_BUDGET) {
            assert!(p.width.max(p.height) <= photos::DISPLAY_SIDE);
            assert!(!p.display.is_empty() && !p.thumb.is_empty());
        }
    } else if let Ok((jpeg, w, h)) = photos::product_image_with(bytes, &FUZZ_BUDGET) {
        assert!(w.max(h) <= photos::PRODUCT_SIDE);
        assert!(!jpeg.is_empty());
    }
});
