//! The languages public pages and mails speak, and how a visitor's language is chosen. The set is
//! whatever `locales/` holds (see build.rs): adding a language is adding a folder.

mod generated {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

pub use generated::SUPPORTED;

/// One of [`SUPPORTED`], by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Locale(usize);

impl Locale {
    /// English: the fallback for visitors whose languages we do not speak.
    pub const DEFAULT: Locale = Locale(0);

    pub fn all() -> impl Iterator<Item = Locale> {
        (0..SUPPORTED.len()).map(Locale)
    }

    pub fn tag(self) -> &'static str {
        SUPPORTED.get(self.0).copied().unwrap_or("en")
    }

    /// Position in [`SUPPORTED`], for per-language slots.
    pub fn index(self) -> usize {
        self.0
    }

    /// Accepts a bare or regional tag (`ru`, `ru-RU`, `EN_gb`).
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        SUPPORTED.iter().position(|t| *t == primary).map(Locale)
    }

    /// Picks the best supported language from an `Accept-Language` header (RFC 9110 q-values),
    /// falling back to English.
    pub fn negotiate(accept_language: Option<&str>) -> Locale {
        let Some(header) = accept_language else { return Locale::DEFAULT };
        let mut best: Option<(f32, usize, Locale)> = None;
        for (index, item) in header.split(',').enumerate() {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let Some(locale) = Locale::parse(tag) else { continue };
            if q <= 0.0 {
                continue;
            }
            // Higher q wins; on a tie the earlier entry wins.
            let better = match best {
                None => true,
                Some((bq, bi, _)) => q > bq || (q == bq && index < bi),
            };
            if better {
                best = Some((q, index, locale));
            }
        }
        best.map_or(Locale::DEFAULT, |(_, _, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ru() -> Locale {
        Locale::parse("ru").unwrap()
    }

    #[test]
    fn english_and_russian_are_supported_and_english_is_the_default() {
        assert_eq!(Locale::DEFAULT.tag(), "en");
        assert_eq!(ru().tag(), "ru");
        assert_eq!(Locale::parse("ru_RU"), Some(ru()));
    }

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(Locale::negotiate(Some("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7")), ru());
        assert_eq!(Locale::negotiate(Some("de-DE,de;q=0.9,en;q=0.5,ru;q=0.4")), Locale::DEFAULT);
        assert_eq!(Locale::negotiate(Some("en;q=0.3, ru")), ru());
        assert_eq!(Locale::negotiate(Some("xx")), Locale::DEFAULT);
        assert_eq!(Locale::negotiate(Some("ru;q=0")), Locale::DEFAULT);
        assert_eq!(Locale::negotiate(None), Locale::DEFAULT);
    }
}
