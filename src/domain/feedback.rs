//! What a customer reports, and the rules a report must satisfy before it is stored.

use std::collections::BTreeMap;
use std::fmt;

use super::form::{FormConfig, USAGE_PERIODS};

/// Longest comment accepted; the page states it, so it must stay in step with the templates.
pub const COMMENT_MAX_CHARS: usize = 2000;
pub const EMAIL_MAX_CHARS: usize = 254;
pub const LOT_MAX_CHARS: usize = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Defect,
    Usability,
    Praise,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Defect, Kind::Usability, Kind::Praise, Kind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Defect => "defect",
            Kind::Usability => "usability",
            Kind::Praise => "praise",
            Kind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a report is in the manufacturer's triage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportStatus {
    /// Nobody has handled it yet (every report arrives so).
    New,
    InProgress,
    Resolved,
    WontFix,
}

impl ReportStatus {
    /// Where a report moves when the team answers the customer, unless the editor picks another.
    pub const AFTER_REPLY: ReportStatus = ReportStatus::InProgress;

    pub const ALL: [ReportStatus; 4] =
        [ReportStatus::New, ReportStatus::InProgress, ReportStatus::Resolved, ReportStatus::WontFix];

    /// The triage states before the inbox, and what each became (the `inbox` migration applies this).
    pub const LEGACY: [(&'static str, ReportStatus); 3] = [
        ("triaged", ReportStatus::InProgress),
        ("answered", ReportStatus::InProgress),
        ("closed", ReportStatus::Resolved),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::New => "new",
            ReportStatus::InProgress => "in_progress",
            ReportStatus::Resolved => "resolved",
            ReportStatus::WontFix => "wont_fix",
        }
    }

    /// Only the current names: an old one is refused, so a client learns the new ones.
    pub fn parse(s: &str) -> Option<ReportStatus> {
        ReportStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A stored status, old names included (rows written before the migration, a downgrade).
    pub fn from_stored(s: &str) -> Option<ReportStatus> {
        ReportStatus::parse(s)
            .or_else(|| ReportStatus::LEGACY.into_iter().find(|(old, _)| *old == s).map(|(_, new)| new))
    }

    /// Whether the report still needs someone: what the inbox shows first.
    pub fn is_open(self) -> bool {
        matches!(self, ReportStatus::New | ReportStatus::InProgress)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rating(u8);

impl Rating {
    pub fn parse(s: &str) -> Option<Rating> {
        match s.trim().parse::<u8>() {
            Ok(n @ 1..=5) => Some(Rating(n)),
            _ => None,
        }
    }
    pub fn new(n: u8) -> Option<Rating> {
        (1..=5).contains(&n).then_some(Rating(n))
    }
    pub fn get(self) -> u8 {
        self.0
    }
}

/// An email address as far as a web form can tell: one `@`, a dotted domain, no spaces. Whether it
/// receives mail is only known when an answer is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Option<Email> {
        let s = s.trim();
        if s.chars().count() > EMAIL_MAX_CHARS || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return None;
        }
        let (local, domain) = s.rsplit_once('@')?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || local.contains('@') || !domain_ok {
            return None;
        }
        // The address grammar itself (RFC 5321/5322 dot-atoms, hostnames) is lettre's: the mails go
        // out through it, so an address it refuses could never be answered.
        s.parse::<lettre::Address>().ok()?;
        Some(Email(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The form exactly as typed. Every field is kept as text so that an invalid submission can be shown
/// back to the customer unchanged.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct FeedbackInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub rating: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub email: String,
    /// Present only when the box is ticked (HTML sends nothing for an unticked checkbox).
    #[serde(default)]
    pub consent: Option<String>,
    #[serde(default)]
    pub lot: String,
    #[serde(default)]
    pub category: String,
    /// 0–10 "would you recommend", when the line asks it.
    #[serde(default)]
    pub recommend: String,
    #[serde(default)]
    pub usage: String,
    /// Carried from a GS1 Digital Link (`/21/...`); not typed by people.
    #[serde(default)]
    pub serial: String,
    /// Honeypot: hidden from people, filled in by form-spamming bots.
    #[serde(default)]
    pub website: String,
}

/// A validated report, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFeedback {
    pub kind: Kind,
    pub rating: Rating,
    pub comment: String,
    pub email: Option<Email>,
    pub lot: Option<String>,
    pub category: Option<String>,
    pub recommend: Option<u8>,
    pub usage: Option<&'static str>,
    pub serial: Option<String>,
}

/// Which field is wrong and why, as a message key the web layer translates.
pub type FieldErrors = BTreeMap<&'static str, &'static str>;

/// GS1 AI 10 and 21 values: up to 20 characters; we accept the common, unambiguous subset.
/// Whether a serial number from a code's link can be kept with a report: what GS1 allows in AI 21
/// (1 to 20 characters of character set 82), since serials are printed by whoever makes the item.
pub fn is_valid_serial(s: &str) -> bool {
    let s = s.trim();
    (1..=SERIAL_MAX_CHARS).contains(&s.chars().count()) && s.chars().all(super::digital_link::is_cset82)
}

/// GS1 AI 21.
pub const SERIAL_MAX_CHARS: usize = 20;

impl FeedbackInput {
    pub fn validate(&self, config: &FormConfig) -> Result<NewFeedback, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = Kind::parse(self.kind.trim());
        if kind.is_none() {
            errors.insert("kind", "error-kind-required");
        }
        let rating = if self.rating.trim().is_empty() {
            errors.insert("rating", "error-rating-required");
            None
        } else {
            let r = Rating::parse(&self.rating);
            if r.is_none() {
                errors.insert("rating", "error-rating-range");
            }
            r
        };
        // Normalise line endings so the limit counts what the customer sees.
        let comment = self.comment.replace("\r\n", "\n").trim().to_owned();
        if comment.chars().count() > COMMENT_MAX_CHARS {
            errors.insert("comment", "error-comment-too-long");
        }
        if comment.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            errors.insert("comment", "error-comment-invalid");
        }
        let email_text = self.email.trim();
        let consent = self.consent.as_deref().is_some_and(|v| !v.is_empty());
        let email = if email_text.is_empty() {
            None
        } else {
            let e = Email::parse(email_text);
            if e.is_none() {
                errors.insert("email", "error-email-invalid");
            } else if !consent {
                errors.insert("consent", "error-consent-required");
            }
            e
        };
        let lot_text = self.lot.trim();
        // One lot rule everywhere (`Lot`). Printed lots are upper case (the QR URL is upper-cased to
        // fit alphanumeric mode), so a typed lot is too: `l2411` and `L2411` are one lot.
        let lot = if lot_text.is_empty() {
            None
        } else {
            match super::Lot::parse(lot_text) {
                Ok(lot) => Some(lot.as_str().to_owned()),
                Err(_) => {
                    errors.insert("lot", "error-lot-invalid");
                    None
                }
            }
        };
        let category_text = self.category.trim();
        let category = match (kind, category_text.is_empty()) {
            (_, true) | (None, _) => None,
            (Some(k), false) => {
                if config.categories.for_kind(k).iter().any(|c| c.key == category_text) {
                    Some(category_text.to_owned())
                } else {
                    errors.insert("category", "error-category-invalid");
                    None
                }
            }
        };
        let recommend = match self.recommend.trim() {
            "" => None,
            text if config.ask_recommend => match text.parse::<u8>() {
                Ok(n @ 0..=10) => Some(n),
                _ => {
                    errors.insert("recommend", "error-recommend-range");
                    None
                }
            },
            // A score the form never asked for is not stored.
            _ => None,
        };
        let usage = match self.usage.trim() {
            "" => None,
            text => match USAGE_PERIODS.iter().find(|p| **p == text) {
                Some(p) => Some(*p),
                None => {
                    errors.insert("usage", "error-usage-invalid");
                    None
                }
            },
        };
        let serial_text = self.serial.trim();
        let serial = if serial_text.is_empty() {
            None
        } else if is_valid_serial(serial_text) {
            Some(serial_text.to_owned())
        } else {
            errors.insert("serial", "error-serial-invalid");
            None
        };
        match (kind, rating) {
            (Some(kind), Some(rating)) if errors.is_empty() => {
                Ok(NewFeedback { kind, rating, comment, email, lot, category, recommend, usage, serial })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_triage_states_map_to_the_new_statuses_and_are_no_longer_accepted_as_input() {
        assert_eq!(ReportStatus::from_stored("triaged"), Some(ReportStatus::InProgress));
        assert_eq!(ReportStatus::from_stored("answered"), Some(ReportStatus::InProgress));
        assert_eq!(ReportStatus::from_stored("closed"), Some(ReportStatus::Resolved));
        assert_eq!(ReportStatus::from_stored("wont_fix"), Some(ReportStatus::WontFix));
        for (old, _) in ReportStatus::LEGACY {
            assert_eq!(ReportStatus::parse(old), None, "{old}");
        }
        for s in ReportStatus::ALL {
            assert_eq!(ReportStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReportStatus::parse("done"), None);
    }

    fn input() -> FeedbackInput {
        FeedbackInput {
            kind: "defect".into(),
            rating: "2".into(),
            comment: "Handle gets hot".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_form_is_accepted() {
        let ok = input().validate(&FormConfig::default()).unwrap();
        assert_eq!(ok.kind, Kind::Defect);
        assert_eq!(ok.rating.get(), 2);
        assert_eq!(ok.email, None);
    }

    #[test]
    fn each_wrong_field_is_named() {
        let bad = FeedbackInput {
            kind: "spam".into(),
            rating: "9".into(),
            comment: "x".repeat(COMMENT_MAX_CHARS + 1),
            email: "not-an-email".into(),
            consent: None,
            lot: "lot with spaces".into(),
            category: "no-such".into(),
            ..Default::default()
        };
        let errors = bad.validate(&FormConfig::default()).unwrap_err();
        assert_eq!(errors.get("kind"), Some(&"error-kind-required"));
        assert_eq!(errors.get("rating"), Some(&"error-rating-range"));
        assert_eq!(errors.get("comment"), Some(&"error-comment-too-long"));
        assert_eq!(errors.get("email"), Some(&"error-email-invalid"));
        assert_eq!(errors.get("lot"), Some(&"error-lot-invalid"));
        assert_eq!(errors.get("category"), None, "no category check without a valid kind");
    }

    #[test]
    fn a_category_must_belong_to_the_chosen_kind() {
        let mut f = input();
        f.category = "coating".into();
        assert_eq!(f.validate(&FormConfig::default()).unwrap().category.as_deref(), Some("coating"));
        f.category = "cooking".into();
        assert_eq!(f.validate(&FormConfig::default()).unwrap_err().get("category"), Some(&"error-category-invalid"));
    }

    #[test]
    fn the_recommend_score_is_kept_only_when_asked() {
        let mut f = input();
        f.recommend = "9".into();
        assert_eq!(f.validate(&FormConfig::default()).unwrap().recommend, None);
        let asking = FormConfig { ask_recommend: true, ..FormConfig::default() };
        assert_eq!(f.validate(&asking).unwrap().recommend, Some(9));
        f.recommend = "11".into();
        assert_eq!(f.validate(&asking).unwrap_err().get("recommend"), Some(&"error-recommend-range"));
    }

    #[test]
    fn an_email_needs_explicit_consent() {
        let mut f = input();
        f.email = "anna@example.com".into();
        assert_eq!(f.validate(&FormConfig::default()).unwrap_err().get("consent"), Some(&"error-consent-required"));
        f.consent = Some("yes".into());
        assert_eq!(f.validate(&FormConfig::default()).unwrap().email.unwrap().as_str(), "anna@example.com");
    }

    #[test]
    fn the_comment_limit_counts_characters_not_bytes() {
        let mut f = input();
        f.comment = "ж".repeat(COMMENT_MAX_CHARS);
        assert!(f.validate(&FormConfig::default()).is_ok());
    }

    #[test]
    fn emails_are_checked_for_shape() {
        for good in ["a@b.co", "first.last+tag@example.com", "иван@пример.рф"] {
            assert!(Email::parse(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "@b.co",
            "a@.co",
            "a b@c.co",
            "a@b..co",
            "a@b.co.",
            "a@b<script>.co",
            "a@\"b\".co",
            "a@b>c.co",
            "a<b@c.co",
            "a@-b.co",
            "a@b_c!.co",
        ] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
    }
}
