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
        Ok(ProductName(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_inner(self) -> String {
        self.0
    }
}

pub fn parse_sku(s: &str) -> Result<String, ProductError> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > SKU_MAX_CHARS || s.chars().any(char::is_control) {
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
}
