//! Translations (Fluent files under `locales/`, compiled in) and the visitor's language.

use std::borrow::Cow;
use std::collections::HashMap;

use actix_web::HttpRequest;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

use crate::domain::Locale;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Without this every interpolated value is wrapped in invisible U+2068/U+2069 marks.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static EN: LanguageIdentifier = langid!("en");
static RU: LanguageIdentifier = langid!("ru");

/// A translator bound to one language; templates call `tr.t("key")`.
#[derive(Clone, Copy, Debug)]
pub struct Tr(pub Locale);

impl Tr {
    fn id(self) -> &'static LanguageIdentifier {
        match self.0 {
            Locale::En => &EN,
            Locale::Ru => &RU,
        }
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

    pub fn t_num(&self, key: &str, name: &'static str, n: i64) -> String {
        self.t_args(key, &[(name, FluentValue::from(n))])
    }
}

/// `?lang=` wins (it is what the language switch sets), then `Accept-Language`, then English.
pub fn request_locale(req: &HttpRequest) -> Locale {
    let from_query = req
        .query_string()
        .split('&')
        .filter_map(|pair| pair.strip_prefix("lang="))
        .find_map(Locale::parse);
    from_query.unwrap_or_else(|| {
        Locale::negotiate(req.headers().get(actix_web::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
    })
}

/// One entry of the visible language switch.
pub struct LangLink {
    pub tag: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

pub fn switch_links(path: &str, current: Locale) -> Vec<LangLink> {
    Locale::ALL
        .into_iter()
        .map(|l| LangLink { tag: l.tag(), name: l.endonym(), href: format!("{path}?lang={}", l.tag()), current: l == current })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_of_english_exists_in_russian_and_plurals_work() {
        let en = include_str!("../../locales/en/main.ftl");
        for line in en.lines() {
            if let Some((key, _)) = line.split_once(" = ") {
                if key.starts_with(' ') {
                    continue;
                }
                let ru = Tr(Locale::Ru).t_args(
                    key,
                    &[
                        ("count", 1.into()),
                        ("max", 2000.into()),
                        ("product", "x".into()),
                        ("manufacturer", "y".into()),
                        ("code", "z".into()),
                        // The print page's facts.
                        ("date", "2026-12-01".into()),
                        ("version", 4.into()),
                        ("modules", 4.into()),
                        ("level", "H".into()),
                        ("percent", 30.into()),
                        ("mm", "0.75".into()),
                        ("total", "30.75".into()),
                        ("min", "24.6".into()),
                        ("pcs", 40.into()),
                    ],
                );
                assert!(!ru.contains("Unknown localization"), "{key} missing in ru");
            }
        }
        assert_eq!(Tr(Locale::Ru).t_num("errors-heading", "count", 3), "Исправьте 3 поля:");
        assert_eq!(Tr(Locale::Ru).t_num("errors-heading", "count", 5), "Исправьте 5 полей:");
        assert_eq!(Tr(Locale::Ru).t_num("errors-heading", "count", 21), "Исправьте 21 поле:");
        assert_eq!(Tr(Locale::En).t_num("errors-heading", "count", 1), "Please correct one field:");
    }
}
