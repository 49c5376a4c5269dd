//! What the feedback form asks, per product line. Manufacturers may change it through the API; the
//! defaults fit durable consumer goods such as cookware.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::feedback::Kind;
use super::locale::Locale;

/// Text in several languages, by language tag; English is required and is the fallback.
pub type Translated = BTreeMap<String, String>;

fn pick(text: &Translated, locale: Locale) -> Option<&str> {
    text.get(locale.tag()).or_else(|| text.get("en")).map(String::as_str)
}

/// A category a customer can pick for one kind of report, with its label in every language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Stable key stored with the report, e.g. `coating`.
    pub key: String,
    pub labels: Translated,
}

impl Category {
    pub fn label(&self, locale: Locale) -> &str {
        pick(&self.labels, locale).unwrap_or(&self.key)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Categories {
    pub defect: Vec<Category>,
    pub usability: Vec<Category>,
    pub praise: Vec<Category>,
    pub other: Vec<Category>,
}

impl Categories {
    pub fn for_kind(&self, kind: Kind) -> &[Category] {
        match kind {
            Kind::Defect => &self.defect,
            Kind::Usability => &self.usability,
            Kind::Praise => &self.praise,
            Kind::Other => &self.other,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormConfig {
    pub categories: Categories,
    /// The 0–10 "would you recommend" question. Off by default: it adds a field and NPS alone is
    /// not a number teams act on.
    #[serde(default)]
    pub ask_recommend: bool,
    /// "When did you buy it / how long have you used it".
    #[serde(default = "yes")]
    pub ask_usage: bool,
    /// Photos allowed (up to [`MAX_PHOTOS`]).
    #[serde(default = "yes")]
    pub allow_photos: bool,
    /// Where the lot number is printed, shown as a hint when the code did not carry one.
    #[serde(default)]
    pub lot_hint: Translated,
}

fn yes() -> bool {
    true
}

pub const MAX_PHOTOS: usize = 3;
pub const MAX_CATEGORIES_PER_KIND: usize = 20;

/// How long the customer has used the product.
pub const USAGE_PERIODS: [&str; 5] = ["lt1m", "1to6m", "6to12m", "1to3y", "gt3y"];

fn cat(key: &str, en: &str, ru: &str) -> Category {
    Category {
        key: key.to_owned(),
        labels: BTreeMap::from([("en".to_owned(), en.to_owned()), ("ru".to_owned(), ru.to_owned())]),
    }
}

impl Default for FormConfig {
    fn default() -> Self {
        FormConfig {
            categories: Categories {
                defect: vec![
                    cat(
                        "coating",
                        "Coating (peeling, scratches, sticking)",
                        "Покрытие (отслаивается, царапины, пригорает)",
                    ),
                    cat("handle", "Handle (loose, broken, gets hot)", "Ручка (шатается, сломалась, нагревается)"),
                    cat("heat", "Heating (uneven, warped base)", "Нагрев (неравномерный, дно повело)"),
                    cat(
                        "fit-finish",
                        "Fit and finish (edges, marks, dents)",
                        "Качество изготовления (кромки, следы, вмятины)",
                    ),
                    cat("lid", "Lid", "Крышка"),
                    cat("packaging", "Arrived damaged or incomplete", "Пришло повреждённым или неполным"),
                    cat("other", "Something else", "Другое"),
                ],
                usability: vec![
                    cat("cleaning", "Hard to clean", "Трудно мыть"),
                    cat("weight", "Weight or balance", "Вес или баланс"),
                    cat("handle", "Handle comfort", "Удобство ручки"),
                    cat("size", "Size or fit on the stove", "Размер или совместимость с плитой"),
                    cat("instructions", "Instructions unclear", "Непонятная инструкция"),
                    cat("other", "Something else", "Другое"),
                ],
                praise: vec![
                    cat("cooking", "Cooks well", "Хорошо готовит"),
                    cat("coating", "Coating", "Покрытие"),
                    cat("design", "Design", "Дизайн"),
                    cat("durability", "Lasts well", "Долговечность"),
                    cat("value", "Good value", "Хорошая цена"),
                    cat("other", "Something else", "Другое"),
                ],
                other: vec![
                    cat("question", "A question", "Вопрос"),
                    cat("packaging", "Packaging", "Упаковка"),
                    cat("instructions", "Instructions", "Инструкция"),
                    cat("other", "Something else", "Другое"),
                ],
            },
            ask_recommend: false,
            ask_usage: true,
            allow_photos: true,
            lot_hint: Translated::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormConfigError {
    #[error("every kind needs at least one category")]
    EmptyKind,
    #[error("at most {MAX_CATEGORIES_PER_KIND} categories per kind")]
    TooMany,
    #[error("category key `{0}` must be 1–40 lower-case letters, digits or hyphens, unique within its kind")]
    BadKey(String),
    #[error(
        "category labels need an English (`en`) label; each label is 1–100 characters under a supported language tag"
    )]
    BadLabel,
    #[error("a lot hint is at most 200 characters")]
    BadHint,
}

impl FormConfig {
    pub fn validate(&self) -> Result<(), FormConfigError> {
        for kind in Kind::ALL {
            let cats = self.categories.for_kind(kind);
            if cats.is_empty() {
                return Err(FormConfigError::EmptyKind);
            }
            if cats.len() > MAX_CATEGORIES_PER_KIND {
                return Err(FormConfigError::TooMany);
            }
            let mut seen = std::collections::HashSet::new();
            for c in cats {
                let key_ok = !c.key.is_empty()
                    && c.key.len() <= 40
                    && c.key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                if !key_ok || !seen.insert(c.key.as_str()) {
                    return Err(FormConfigError::BadKey(c.key.clone()));
                }
                if !c.labels.contains_key("en") {
                    return Err(FormConfigError::BadLabel);
                }
                for (lang, label) in &c.labels {
                    let n = label.trim().chars().count();
                    if n == 0 || n > 100 || Locale::parse(lang).is_none_or(|l| l.tag() != lang) {
                        return Err(FormConfigError::BadLabel);
                    }
                }
            }
        }
        for hint in self.lot_hint.values() {
            if hint.chars().count() > 200 {
                return Err(FormConfigError::BadHint);
            }
        }
        Ok(())
    }

    pub fn lot_hint(&self, locale: Locale) -> Option<&str> {
        pick(&self.lot_hint, locale)
    }

    /// From the stored JSON; a NULL or unreadable value falls back to the defaults.
    pub fn from_stored(json: Option<&str>) -> FormConfig {
        json.and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_round_trip_through_json() {
        let d = FormConfig::default();
        d.validate().unwrap();
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(FormConfig::from_stored(Some(&json)), d);
        assert_eq!(FormConfig::from_stored(None), d);
    }

    #[test]
    fn bad_configs_are_refused() {
        let mut c = FormConfig::default();
        c.categories.praise.clear();
        assert_eq!(c.validate(), Err(FormConfigError::EmptyKind));
        let mut c = FormConfig::default();
        c.categories.defect[0].key = "Bad Key".into();
        assert!(matches!(c.validate(), Err(FormConfigError::BadKey(_))));
        let mut c = FormConfig::default();
        let dup = c.categories.defect[0].clone();
        c.categories.defect.push(dup);
        assert!(matches!(c.validate(), Err(FormConfigError::BadKey(_))));
    }
}
