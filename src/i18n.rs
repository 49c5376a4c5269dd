//! Translations: Fluent files under `locales/`, compiled in, with plural rules per language. Shared
//! by the web pages and the mails.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

use crate::domain::Locale;
use crate::domain::locale::SUPPORTED;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Without this every interpolated value is wrapped in invisible U+2068/U+2069 marks.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// Parsed language identifiers of every supported locale, by index.
fn identifiers() -> &'static [LanguageIdentifier] {
    static IDS: OnceLock<Vec<LanguageIdentifier>> = OnceLock::new();
    IDS.get_or_init(|| SUPPORTED.iter().map(|t| t.parse().unwrap_or_else(|_| langid!("en"))).collect())
}

/// A translator bound to one language; templates call `tr.t("key")`.
#[derive(Clone, Copy, Debug)]
pub struct Tr(pub Locale);

impl Tr {
    fn id(self) -> &'static LanguageIdentifier {
        static EN: LanguageIdentifier = langid!("en");
        identifiers().get(self.0.index()).unwrap_or(&EN)
    }

    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    pub fn t_str(&self, key: &str, name: &'static str, value: &str) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert(Cow::Borrowed(name), FluentValue::from(value.to_owned()));
        LOCALES.lookup_with_args(self.id(), key, &args)
    }

    pub fn t_args(&self, key: &str, pairs: &[(&'static str, FluentValue<'static>)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> =
            pairs.iter().map(|(k, v)| (Cow::Borrowed(*k), v.clone())).collect();
        LOCALES.lookup_with_args(self.id(), key, &args)
    }

    /// Templates pass numbers by reference, code by value: both work.
    pub fn t_num(&self, key: &str, name: &'static str, n: impl std::borrow::Borrow<i64>) -> String {
        self.t_args(key, &[(name, FluentValue::from(*n.borrow()))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ru() -> Tr {
        Tr(Locale::parse("ru").unwrap())
    }

    /// Message ids of a Fluent file: an identifier at the start of a line, then ` = `.
    fn keys(file: &str) -> Vec<String> {
        file.lines()
            .filter_map(|l| l.split_once(" = ").map(|(k, _)| k))
            .filter(|k| {
                k.starts_with(|c: char| c.is_ascii_alphabetic())
                    && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            })
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_language_has_every_key_of_every_file_and_no_other() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let files: Vec<String> = std::fs::read_dir(dir.join("en"))
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".ftl"))
            .collect();
        assert!(files.contains(&"main.ftl".to_owned()) && files.len() >= 2, "{files:?}");
        let mut all = 0;
        for name in &files {
            let en = keys(&std::fs::read_to_string(dir.join("en").join(name)).unwrap());
            all += en.len();
            for tag in SUPPORTED {
                let other = keys(&std::fs::read_to_string(dir.join(tag).join(name)).unwrap());
                for key in &en {
                    assert!(other.contains(key), "{key} missing in {tag}/{name}");
                }
                for key in &other {
                    assert!(en.contains(key), "{key} in {tag}/{name} is not in en/{name}");
                }
            }
        }
        assert!(all > 150, "{all} keys");
    }

    #[test]
    fn a_key_is_defined_once_across_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/en");
        let mut seen = std::collections::HashSet::new();
        for entry in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
            for key in keys(&std::fs::read_to_string(entry.path()).unwrap()) {
                assert!(seen.insert(key.clone()), "{key} is defined twice");
            }
        }
    }

    #[test]
    fn russian_plurals_follow_one_few_many() {
        assert_eq!(ru().t_num("errors-heading", "count", 3), "Исправьте 3 поля:");
        assert_eq!(ru().t_num("errors-heading", "count", 5), "Исправьте 5 полей:");
        assert_eq!(ru().t_num("errors-heading", "count", 21), "Исправьте 21 поле:");
        assert_eq!(Tr(Locale::DEFAULT).t_num("errors-heading", "count", 1), "Please correct one field:");
    }
}
