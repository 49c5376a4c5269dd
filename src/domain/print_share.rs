//! Rules for print-share links (the link a manufacturer sends a print shop).

/// A link lives this long unless the manufacturer says otherwise.
pub const DEFAULT_EXPIRY_DAYS: i64 = 30;
/// Longest life of a link: a year covers a packaging reprint cycle; after that, send a new link.
pub const MAX_EXPIRY_DAYS: i64 = 365;
/// Most product lines on one link (a share's ZIP bundle holds them all).
pub const MAX_LINES: usize = 500;
pub const NOTE_MAX_CHARS: usize = 500;

/// `None` is the default; anything outside 1..=365 is refused with a sentence a person can act on.
pub fn expiry_days(requested: Option<i64>) -> Result<i64, String> {
    match requested {
        None => Ok(DEFAULT_EXPIRY_DAYS),
        Some(d) if (1..=MAX_EXPIRY_DAYS).contains(&d) => Ok(d),
        Some(d) => Err(format!("a link expires after 1 to {MAX_EXPIRY_DAYS} days; {d} is outside that range")),
    }
}

/// A note is optional free text for the manufacturer's own records (blank means none).
pub fn note(input: Option<&str>) -> Result<Option<String>, String> {
    match input.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(None),
        Some(n) if n.chars().count() > NOTE_MAX_CHARS => {
            Err(format!("the note has more than {NOTE_MAX_CHARS} characters"))
        }
        Some(n) if n.chars().any(|c| c.is_control() && c != '\n') => {
            Err("the note contains control characters".to_owned())
        }
        Some(n) => Ok(Some(n.to_owned())),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn expiry_defaults_to_30_days_and_stays_within_a_year() {
        assert_eq!(expiry_days(None), Ok(30));
        assert_eq!(expiry_days(Some(1)), Ok(1));
        assert_eq!(expiry_days(Some(365)), Ok(365));
        assert!(expiry_days(Some(0)).is_err());
        assert!(expiry_days(Some(366)).unwrap_err().contains("1 to 365"));
        assert!(expiry_days(Some(-3)).is_err());
    }

    #[test]
    fn notes_are_trimmed_and_bounded() {
        assert_eq!(note(None), Ok(None));
        assert_eq!(note(Some("  ")), Ok(None));
        assert_eq!(note(Some(" for Druckerei Nord ")), Ok(Some("for Druckerei Nord".into())));
        assert!(note(Some(&"x".repeat(501))).is_err());
        assert!(note(Some("a\u{7}b")).is_err());
    }
}
