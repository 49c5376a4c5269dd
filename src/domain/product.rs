//! Product lines as the manufacturer describes them.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductName(String);

pub const NAME_MAX_CHARS: usize = 200;
pub const SKU_MAX_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProductError {
    #[error("the name must not be empty")]
    NameEmpty,
    #[error("the name is longer than {NAME_MAX_CHARS} characters")]
    NameTooLong,
    #[error("the name must not contain control characters such as line breaks or tabs")]
    NameControl,
    /// Direction overrides and invisible characters make a name read differently from what it holds.
    #[error("the name must not contain invisible characters such as direction overrides (U+{0:04X})")]
    NameInvisible(u32),
    #[error("the SKU must be 1 to {SKU_MAX_CHARS} printable characters")]
    SkuInvalid,
}

impl ProductName {
    pub fn parse(s: &str) -> Result<ProductName, ProductError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ProductError::NameEmpty);
        }
        if s.chars().count() > NAME_MAX_CHARS {
            return Err(ProductError::NameTooLong);
        }
        if s.chars().any(char::is_control) {
            return Err(ProductError::NameControl);
        }
        if let Some(c) = s.chars().find(|c| is_invisible(*c)) {
            return Err(ProductError::NameInvisible(u32::from(c)));
        }
        Ok(ProductName(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Zero-width characters, bidirectional embeddings, overrides and isolates, and the byte-order mark:
/// format characters (Unicode category Cf) that change how text around them reads without showing.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

pub fn parse_sku(s: &str) -> Result<String, ProductError> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > SKU_MAX_CHARS || s.chars().any(|c| c.is_control() || is_invisible(c)) {
        return Err(ProductError::SkuInvalid);
    }
    Ok(s.to_owned())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineStatus {
    Active,
    Retired,
}

impl LineStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LineStatus::Active => "active",
            LineStatus::Retired => "retired",
        }
    }
    pub fn parse(s: &str) -> Option<LineStatus> {
        match s {
            "active" => Some(LineStatus::Active),
            "retired" => Some(LineStatus::Retired),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_must_not_be_blank() {
        assert_eq!(ProductName::parse("  Pan 28 cm ").unwrap().as_str(), "Pan 28 cm");
        assert_eq!(ProductName::parse("   "), Err(ProductError::NameEmpty));
        assert_eq!(ProductName::parse(&"x".repeat(201)), Err(ProductError::NameTooLong));
        assert_eq!(ProductName::parse("Pan\u{17}28"), Err(ProductError::NameControl));
    }

    #[test]
    fn names_and_skus_refuse_invisible_characters() {
        assert_eq!(ProductName::parse("Pan \u{202E}diL"), Err(ProductError::NameInvisible(0x202E)));
        assert_eq!(ProductName::parse("Pan\u{200B}"), Err(ProductError::NameInvisible(0x200B)));
        assert_eq!(ProductName::parse("Сковорода 28 см").unwrap().as_str(), "Сковорода 28 см");
        assert!(parse_sku("SKU\u{2066}1").is_err());
        assert_eq!(parse_sku(" SKU-1 ").unwrap(), "SKU-1");
    }
}
