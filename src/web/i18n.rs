//! The visitor's language on public pages: how it is chosen and the visible switch.

use actix_web::HttpRequest;

use crate::domain::Locale;
pub use crate::i18n::Tr;

/// `?lang=` wins (it is what the language switch sets), then `Accept-Language`, then English.
pub fn request_locale(req: &HttpRequest) -> Locale {
    let from_query =
        req.query_string().split('&').filter_map(|pair| pair.strip_prefix("lang=")).find_map(Locale::parse);
    from_query.unwrap_or_else(|| {
        Locale::negotiate(req.headers().get(actix_web::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
    })
}

/// One entry of the visible language switch.
pub struct LangLink {
    pub tag: &'static str,
    pub name: String,
    pub href: String,
    pub current: bool,
    /// The page, without the query: where the signed-in switch (a form) comes back to.
    pub path: String,
}

pub fn switch_links(path: &str, current: Locale) -> Vec<LangLink> {
    Locale::all()
        .map(|l| LangLink {
            tag: l.tag(),
            // Each language names itself, from its own file.
            name: Tr(l).t("language-name"),
            href: format!("{path}?lang={}", l.tag()),
            current: l == current,
            path: path.to_owned(),
        })
        .collect()
}
