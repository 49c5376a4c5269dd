//! The languages public pages and mails speak, and how a visitor's language is chosen.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Locale {
    En,
    Ru,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Ru];

    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ru => "ru",
        }
    }

    /// Name of the language in itself, for the language switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Ru => "Русский",
        }
    }

    /// Accepts a bare or regional tag (`ru`, `ru-RU`, `EN_gb`).
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Locale::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// Picks the best supported language from an `Accept-Language` header (RFC 9110 q-values),
    /// falling back to English.
    pub fn negotiate(accept_language: Option<&str>) -> Locale {
        let Some(header) = accept_language else { return Locale::En };
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
        best.map_or(Locale::En, |(_, _, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(Locale::negotiate(Some("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7")), Locale::Ru);
        assert_eq!(Locale::negotiate(Some("de-DE,de;q=0.9,en;q=0.5,ru;q=0.4")), Locale::En);
        assert_eq!(Locale::negotiate(Some("en;q=0.3, ru")), Locale::Ru);
        assert_eq!(Locale::negotiate(Some("fr")), Locale::En);
        assert_eq!(Locale::negotiate(Some("ru;q=0")), Locale::En);
        assert_eq!(Locale::negotiate(None), Locale::En);
    }
}
