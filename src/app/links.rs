//! Links a manufacturer adds to a product line (instructions, recall status, product registration...),
//! which the GS1 Digital Link resolver offers next to the feedback page: add, list, delete.

use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{App, AppError};
use crate::domain::digital_link::{parse_context, parse_href, parse_lang, parse_media_type, parse_title};
use crate::domain::{LineId, LinkType, ManufacturerId};
use crate::store::{self, entities::line_link, links::NewLink};

/// A link as the API shows it. `lang` and `hreflang` are one value under two names: `lang` is the
/// name the API started with, `hreflang` the one RFC 8288 and GS1 linksets use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    pub id: Uuid,
    pub product_line_id: LineId,
    pub link_type: String,
    pub href: String,
    pub title: String,
    pub lang: Option<String>,
    pub hreflang: Option<String>,
    #[serde(rename = "type")]
    pub media_type: Option<String>,
    pub context: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<line_link::Model> for Link {
    fn from(m: line_link::Model) -> Link {
        Link {
            id: m.id,
            product_line_id: LineId(m.product_line_id),
            link_type: m.link_type,
            href: m.href,
            title: m.title,
            hreflang: m.lang.clone(),
            lang: m.lang,
            media_type: m.media_type,
            context: m.context,
            created_at: m.created_at,
        }
    }
}

/// What a manufacturer sends; every field is checked here.
#[derive(Clone, Debug, Default)]
pub struct LinkInput {
    pub link_type: String,
    pub href: String,
    pub title: String,
    pub lang: Option<String>,
    pub hreflang: Option<String>,
    pub media_type: Option<String>,
    pub context: Option<String>,
}

/// An optional text field: absent or blank is `None`, anything else must pass `parse`.
fn optional<E: ToString>(
    field: &'static str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Result<String, E>,
) -> Result<Option<String>, AppError> {
    // Blank is left out; anything else goes to the parser as sent (it trims, after checking the
    // length of what was sent against the documented maximum).
    match value.filter(|v| !v.trim().is_empty()) {
        None => Ok(None),
        Some(v) => parse(v).map(Some).map_err(|e| AppError::invalid(field, e.to_string())),
    }
}

fn validate(input: &LinkInput) -> Result<NewLink, AppError> {
    let link_type = LinkType::parse_for_manufacturer(&input.link_type)
        .map_err(|e| AppError::invalid("link_type", e.to_string()))?;
    let href = parse_href(&input.href).map_err(|e| AppError::invalid("href", e.to_string()))?;
    let title = parse_title(&input.title).map_err(|e| AppError::invalid("title", e.to_string()))?;
    let lang = optional("lang", input.lang.as_deref(), parse_lang)?;
    let hreflang = optional("hreflang", input.hreflang.as_deref(), parse_lang)?;
    // Two names for one value: either may be sent, or both when they agree.
    let lang = match (lang, hreflang) {
        (Some(a), Some(b)) if a != b => {
            return Err(AppError::invalid(
                "hreflang",
                format!("hreflang ({b}) and lang ({a}) name the same thing and must agree; send one of them"),
            ));
        }
        (a, b) => a.or(b),
    };
    let media_type = optional("type", input.media_type.as_deref(), parse_media_type)?;
    let context = optional("context", input.context.as_deref(), parse_context)?;
    Ok(NewLink { link_type, href, title, lang, media_type, context })
}

/// Adds a link to one of the manufacturer's lines. Links are served at the line's GS1 Digital Link,
/// so a line without a GTIN, which nobody could ever reach them through, takes none.
pub async fn create(app: &App, who: ManufacturerId, line_id: LineId, input: LinkInput) -> Result<Link, AppError> {
    let line = super::lines::get(app, who, line_id).await?;
    let link = validate(&input)?;
    if line.gtin.is_none() {
        return Err(AppError::Conflict(
            "this product line has no GTIN, so it has no GS1 Digital Link to serve links from".into(),
        ));
    }
    Ok(store::links::create(&app.db, who.get(), line.id.get(), link).await?.into())
}

/// The links of one of the manufacturer's lines, oldest first (the order the resolver offers them in).
pub async fn list(app: &App, who: ManufacturerId, line_id: LineId) -> Result<Vec<Link>, AppError> {
    let line = super::lines::get(app, who, line_id).await?;
    Ok(store::links::for_line(&app.db, line.id.get()).await?.into_iter().map(Link::from).collect())
}

pub async fn delete(app: &App, who: ManufacturerId, line_id: LineId, link_id: Uuid) -> Result<(), AppError> {
    let line = super::lines::get(app, who, line_id).await?;
    store::links::delete(&app.db, who.get(), line.id.get(), link_id).await.map_err(AppError::unless_missing("link"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> LinkInput {
        LinkInput {
            link_type: "gs1:instructions".into(),
            href: "https://acme.test/m".into(),
            title: "Manual".into(),
            ..LinkInput::default()
        }
    }

    fn field(r: Result<NewLink, AppError>) -> &'static str {
        match r {
            Err(AppError::Invalid { field, .. }) => field,
            Err(other) => panic!("{other}"),
            Ok(_) => panic!("accepted"),
        }
    }

    #[test]
    fn lang_and_hreflang_are_one_value_under_two_names() {
        let with = |lang: Option<&str>, hreflang: Option<&str>| LinkInput {
            lang: lang.map(str::to_owned),
            hreflang: hreflang.map(str::to_owned),
            ..input()
        };
        assert_eq!(validate(&with(Some("pt-br"), None)).unwrap().lang.as_deref(), Some("pt-BR"));
        assert_eq!(validate(&with(None, Some("ru"))).unwrap().lang.as_deref(), Some("ru"));
        assert_eq!(validate(&with(Some("RU"), Some("ru"))).unwrap().lang.as_deref(), Some("ru"));
        assert_eq!(validate(&with(Some(" "), None)).unwrap().lang, None);
        assert_eq!(field(validate(&with(Some("en"), Some("ru")))), "hreflang");
        assert_eq!(field(validate(&with(None, Some("english")))), "hreflang");
        assert_eq!(field(validate(&with(Some("english"), None))), "lang");
    }

    #[test]
    fn media_type_and_context_are_checked_and_optional() {
        let ok =
            validate(&LinkInput { media_type: Some("Application/PDF".into()), context: Some("DE".into()), ..input() })
                .unwrap();
        assert_eq!((ok.media_type.as_deref(), ok.context.as_deref()), (Some("application/pdf"), Some("DE")));
        let none = validate(&input()).unwrap();
        assert_eq!((none.media_type, none.context), (None, None));
        assert_eq!(field(validate(&LinkInput { media_type: Some("pdf".into()), ..input() })), "type");
        assert_eq!(field(validate(&LinkInput { context: Some("a b".into()), ..input() })), "context");
    }
}
