//! `scanback mail ingest`: a raw RFC 5322 message read for its reply tokens, the Message-IDs it
//! answers and its own text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scanback::app::replies::read_message;

fuzz_target!(|raw: &[u8]| {
    if let Ok(message) = read_message(raw, Some("reply.scanback.example")) {
        for token in &message.reply_tokens {
            assert!(token.len() <= 64 && !token.is_empty());
        }
    }
});
