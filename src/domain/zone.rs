//! Responsibility zones: a named team that owns some categories, on every line or on some. Which
//! reports a zone owns is decided here, once, so the inbox filter (in SQL) and the labels on each
//! report (in Rust) cannot disagree: the store builds its condition from [`Routing`] too.

use std::collections::BTreeSet;

use uuid::Uuid;

use super::Kind;
use super::product::is_invisible;

pub const NAME_MAX_CHARS: usize = 100;
/// Categories one zone may own: every category of every kind fits well under it.
pub const MAX_CATEGORIES: usize = 200;
/// Working days a manufacturer may set as the response target.
pub const TARGET_DAYS: std::ops::RangeInclusive<i32> = 1..=30;
/// The target when the manufacturer sets none: two working days, the usual promise of a service desk.
pub const DEFAULT_TARGET_DAYS: i32 = 2;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZoneError {
    #[error("give the zone a name of 1 to {NAME_MAX_CHARS} characters")]
    Name,
    #[error("the name must not contain control or invisible characters (U+{0:04X})")]
    NameCharacter(u32),
    #[error("`{0}` is not a category: write kind/key, e.g. defect/coating")]
    Category(String),
    #[error("a zone owns at least one category")]
    NoCategory,
    #[error("a zone owns at most {MAX_CATEGORIES} categories")]
    TooManyCategories,
}

/// A zone's name as people read it: trimmed, no control characters, nothing invisible.
pub fn parse_name(s: &str) -> Result<String, ZoneError> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > NAME_MAX_CHARS {
        return Err(ZoneError::Name);
    }
    if let Some(c) = s.chars().find(|c| c.is_control() || is_invisible(*c)) {
        return Err(ZoneError::NameCharacter(u32::from(c)));
    }
    Ok(s.to_owned())
}

/// One category a zone owns: a kind and a category key of that kind (keys repeat across kinds).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Category {
    pub kind: Kind,
    pub key: String,
}

impl Category {
    /// `kind/key`, as the API and the classifier write it. Whether the key is one of the
    /// manufacturer's categories is for the caller, who has the forms.
    pub fn parse(s: &str) -> Result<Category, ZoneError> {
        let bad = || ZoneError::Category(s.chars().take(80).collect());
        let (kind, key) = s.trim().split_once('/').ok_or_else(bad)?;
        let kind = Kind::parse(kind).ok_or_else(bad)?;
        let key_ok = !key.is_empty()
            && key.len() <= 40
            && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !key_ok {
            return Err(bad());
        }
        Ok(Category { kind, key: key.to_owned() })
    }

    pub fn as_string(&self) -> String {
        format!("{}/{}", self.kind.as_str(), self.key)
    }
}

/// Parses a zone's category list: at least one, each once, in a stable order.
pub fn parse_categories<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<Vec<Category>, ZoneError> {
    let set: BTreeSet<Category> = items.into_iter().map(Category::parse).collect::<Result<_, _>>()?;
    if set.is_empty() {
        return Err(ZoneError::NoCategory);
    }
    if set.len() > MAX_CATEGORIES {
        return Err(ZoneError::TooManyCategories);
    }
    Ok(set.into_iter().collect())
}

/// What a report shows of itself to routing.
#[derive(Clone, Copy, Debug)]
pub struct Routed<'a> {
    pub product_line: Uuid,
    pub kind: Kind,
    /// The category the customer picked or the team set; empty counts as none.
    pub category: Option<&'a str>,
    /// The classifier's suggestion, which routes only a report that has no category of its own.
    pub suggested: Option<&'a str>,
}

impl Routed<'_> {
    /// The key a report is routed by: its own category, else its suggestion.
    pub fn key(&self) -> Option<&str> {
        match self.category.filter(|c| !c.is_empty()) {
            Some(own) => Some(own),
            None => self.suggested.filter(|s| !s.is_empty()),
        }
    }
}

/// The reports one zone owns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routing {
    pub zone: Uuid,
    pub categories: Vec<Category>,
    /// None: every line, the ones made later included.
    pub product_lines: Option<Vec<Uuid>>,
}

impl Routing {
    pub fn owns(&self, r: &Routed<'_>) -> bool {
        if self.product_lines.as_ref().is_some_and(|lines| !lines.contains(&r.product_line)) {
            return false;
        }
        let Some(key) = r.key() else { return false };
        self.categories.iter().any(|c| c.kind == r.kind && c.key == key)
    }
}

/// Whether a member of the zones `mine` gets what is about `r` (a spike alert), given every zone
/// of the manufacturer in `all`: a member of no zone gets everything, as before zones; a member of
/// some gets their zones' part, and anything no zone owns, so that nothing goes to nobody.
pub fn concerns(all: &[Routing], mine: &[Routing], r: &Routed<'_>) -> bool {
    mine.is_empty() || mine.iter().any(|z| z.owns(r)) || !all.iter().any(|z| z.owns(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(cats: &[&str], lines: Option<Vec<Uuid>>) -> Routing {
        Routing { zone: Uuid::nil(), categories: parse_categories(cats.iter().copied()).unwrap(), product_lines: lines }
    }

    fn report(
        line: Uuid,
        kind: Kind,
        category: Option<&'static str>,
        suggested: Option<&'static str>,
    ) -> Routed<'static> {
        Routed { product_line: line, kind, category, suggested }
    }

    #[test]
    fn a_report_is_routed_by_its_category_and_by_its_suggestion_only_when_it_has_none() {
        let line = Uuid::from_u128(1);
        let coatings = zone(&["defect/coating"], None);
        assert!(coatings.owns(&report(line, Kind::Defect, Some("coating"), None)));
        assert!(coatings.owns(&report(line, Kind::Defect, None, Some("coating"))));
        assert!(coatings.owns(&report(line, Kind::Defect, Some(""), Some("coating"))), "empty is none");
        // The customer's own pick wins over what the comment suggests.
        assert!(!coatings.owns(&report(line, Kind::Defect, Some("handle"), Some("coating"))));
        assert!(!coatings.owns(&report(line, Kind::Defect, None, None)));
    }

    #[test]
    fn the_kind_is_part_of_the_category() {
        let line = Uuid::from_u128(1);
        let handles = zone(&["defect/handle"], None);
        assert!(handles.owns(&report(line, Kind::Defect, Some("handle"), None)));
        assert!(!handles.owns(&report(line, Kind::Usability, Some("handle"), None)));
    }

    #[test]
    fn a_zone_on_some_lines_owns_nothing_on_the_others() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let z = zone(&["defect/coating"], Some(vec![a]));
        assert!(z.owns(&report(a, Kind::Defect, Some("coating"), None)));
        assert!(!z.owns(&report(b, Kind::Defect, Some("coating"), None)));
    }

    #[test]
    fn a_member_of_no_zone_gets_everything_and_a_member_of_some_their_part_and_what_nobody_owns() {
        let line = Uuid::from_u128(1);
        let coating = report(line, Kind::Defect, Some("coating"), None);
        let (coatings, handles) = (zone(&["defect/coating"], None), zone(&["defect/handle"], None));
        let all = [coatings.clone(), handles.clone()];
        assert!(concerns(&all, &[], &coating), "in no zone: everything");
        assert!(concerns(&all, std::slice::from_ref(&coatings), &coating));
        assert!(!concerns(&all, std::slice::from_ref(&handles), &coating), "another zone's part");
        assert!(concerns(&all, &all, &coating));
        // What no zone owns reaches the zones' members too: it must not go to nobody.
        let lid = report(line, Kind::Defect, Some("lid"), None);
        assert!(concerns(&all, std::slice::from_ref(&handles), &lid));
    }

    #[test]
    fn categories_are_kind_slash_key_and_names_are_readable() {
        assert_eq!(Category::parse("defect/coating").unwrap().as_string(), "defect/coating");
        for bad in ["coating", "nope/coating", "defect/", "defect/Coating", "defect/a b", "/x"] {
            assert!(matches!(Category::parse(bad), Err(ZoneError::Category(_))), "{bad}");
        }
        assert_eq!(parse_categories(["praise/taste", "praise/taste"]).unwrap().len(), 1);
        assert_eq!(parse_categories([]), Err(ZoneError::NoCategory));
        assert_eq!(parse_name("  Coatings QA "), Ok("Coatings QA".into()));
        assert_eq!(parse_name(" "), Err(ZoneError::Name));
        assert_eq!(parse_name("QA\u{202E}"), Err(ZoneError::NameCharacter(0x202E)));
        assert_eq!(parse_name("a\nb"), Err(ZoneError::NameCharacter(0x0A)));
    }
}
