//! A multipart feedback body as the server streams it: the boundary comes from the first line of
//! the input, the body is the rest, delivered in chunks of varying size.
#![no_main]
use std::sync::LazyLock;

use actix_web::error::PayloadError;
use actix_web::http::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use actix_web::web::Bytes;
use libfuzzer_sys::fuzz_target;
use scanback::domain::FormConfig;
use scanback::web::submission::read_multipart_stream;

static RUNTIME: LazyLock<tokio::runtime::Runtime> =
    LazyLock::new(|| tokio::runtime::Builder::new_current_thread().build().unwrap_or_else(|e| panic!("runtime: {e}")));

fuzz_target!(|data: &[u8]| {
    let (head, body) = match data.iter().position(|b| *b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&b"b"[..], data),
    };
    let Ok(boundary) = std::str::from_utf8(head) else { return };
    let Ok(value) = HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}")) else { return };
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, value);
    // Chunk sizes vary with the input so the parser sees boundaries split across chunks.
    let step = 1 + body.first().map_or(0, |b| usize::from(*b % 64));
    let chunks: Vec<Result<Bytes, PayloadError>> = body.chunks(step).map(|c| Ok(Bytes::copy_from_slice(c))).collect();
    let stream = futures_util::stream::iter(chunks);
    if let Ok(submission) = RUNTIME.block_on(read_multipart_stream(&headers, stream)) {
        assert!(submission.photos.len() <= scanback::domain::form::MAX_PHOTOS);
        let _ = submission.input.validate(&FormConfig::default());
    }
});
