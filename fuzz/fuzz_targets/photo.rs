//! The photo path: format sniffing, decoding under limits, orientation, shrinking, re-encoding.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scanback::photos;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(p) = photos::process(bytes) {
        assert!(p.width.max(p.height) <= photos::DISPLAY_SIDE);
        assert!(!p.display.is_empty() && !p.thumb.is_empty());
    }
    let _ = photos::product_image(bytes);
});
