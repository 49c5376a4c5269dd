//! A position in a newest-first list: the `(created_at, id)` of the last row a client has seen.
//!
//! On the wire it is opaque (URL-safe base64 of the creation instant in microseconds and the id), so
//! clients pass it back unchanged and the encoding can change without breaking anyone who does.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use time::OffsetDateTime;
use uuid::Uuid;

/// Continue after this row: the next page holds rows strictly older than `(created_at, id)`, ties on
/// `created_at` broken by `id`, both descending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: OffsetDateTime,
    pub id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a cursor this API issued; take it unchanged from the previous page, or start without one")]
pub struct CursorError(String);

/// 8 bytes of microseconds since the Unix epoch (big-endian, signed) and 16 bytes of id.
const LEN: usize = 24;

impl Cursor {
    /// Microsecond precision is what both databases keep, so a cursor made from a row read back
    /// compares equal to that row.
    pub fn new(created_at: OffsetDateTime, id: Uuid) -> Cursor {
        let utc = created_at.to_offset(time::UtcOffset::UTC);
        let created_at = utc.replace_nanosecond(utc.nanosecond() / 1000 * 1000).unwrap_or(utc);
        Cursor { created_at, id }
    }

    pub fn encode(&self) -> String {
        let micros = (self.created_at.unix_timestamp_nanos() / 1000) as i64;
        let mut bytes = [0u8; LEN];
        bytes[..8].copy_from_slice(&micros.to_be_bytes());
        bytes[8..].copy_from_slice(self.id.as_bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    pub fn parse(input: &str) -> Result<Cursor, CursorError> {
        let invalid = || CursorError(input.chars().take(64).collect());
        let bytes = URL_SAFE_NO_PAD.decode(input.trim()).map_err(|_| invalid())?;
        let bytes: [u8; LEN] = bytes.try_into().map_err(|_| invalid())?;
        let (micros, id) = bytes.split_at(8);
        let micros = i64::from_be_bytes(micros.try_into().map_err(|_| invalid())?);
        let id = Uuid::from_slice(id).map_err(|_| invalid())?;
        let created_at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000).map_err(|_| invalid())?;
        Ok(Cursor { created_at, id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_survives_the_round_trip_at_microsecond_precision() {
        let at = time::macros::datetime!(2026-11-29 12:34:56.123456789 +03:00);
        let id = Uuid::now_v7();
        let cursor = Cursor::new(at, id);
        let back = Cursor::parse(&cursor.encode()).unwrap();
        assert_eq!(back, cursor);
        assert_eq!(back.created_at, time::macros::datetime!(2026-11-29 09:34:56.123456 UTC));
        assert_eq!(back.id, id);
        assert!(cursor.encode().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }

    #[test]
    fn anything_but_an_issued_cursor_is_refused() {
        let good = Cursor::new(time::macros::datetime!(2026-01-01 0:00 UTC), Uuid::nil()).encode();
        for bad in
            ["", "garbage!", "AAAA", &good[..good.len() - 1], &format!("{good}AA"), "////////////////////////////////"]
        {
            assert!(Cursor::parse(bad).is_err(), "{bad:?} was accepted");
        }
        // Decodes to 24 bytes, but the instant is out of range.
        let huge = URL_SAFE_NO_PAD.encode([0x7f; LEN]);
        assert!(Cursor::parse(&huge).is_err());
    }
}
