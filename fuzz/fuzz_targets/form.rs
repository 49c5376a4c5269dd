//! The feedback form body (urlencoded), its validation, and the stored form configuration.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scanback::domain::FormConfig;
use scanback::web::submission::decode_urlencoded;

fuzz_target!(|body: &[u8]| {
    let submission = decode_urlencoded(body);
    let _ = submission.input.validate(&FormConfig::default());
    if let Ok(text) = std::str::from_utf8(body) {
        let config = FormConfig::from_stored(Some(text));
        let _ = config.validate();
        let _ = submission.input.validate(&config);
    }
});
