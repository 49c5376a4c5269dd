//! GS1 Digital Link: the `/01/{gtin}[/22/{cpv}][/10/{lot}][/21/{serial}]` paths a GS1 QR code or a
//! printed Digital Link URI carries, and the GS1 link types a resolver answers with.
//!
//! Only GTIN (AI 01) is a primary key here: product lines are trade items. Its key qualifiers are
//! consumer product variant (AI 22), lot (AI 10) and serial (AI 21), in that order, each optional; the
//! conformance criteria ask a resolver to support every qualifier of the keys it supports, so AI 22 is
//! parsed too even though nothing is linked to a variant.

use std::fmt;

use crate::domain::Gtin;
use crate::domain::gtin::GtinError;

/// Longest value of AI 10, 21 and 22 (GS1 General Specifications: X..20).
pub const QUALIFIER_MAX_LEN: usize = 20;

/// The namespace link types are written in when they are URIs (linkset relation names, `Link` headers).
pub const GS1_VOC: &str = "https://gs1.org/voc/";

/// A key qualifier of the GTIN, in the order GS1 Digital Link requires them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Qualifier {
    Cpv,
    Lot,
    Serial,
}

impl Qualifier {
    pub fn ai(self) -> &'static str {
        match self {
            Qualifier::Cpv => "22",
            Qualifier::Lot => "10",
            Qualifier::Serial => "21",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Qualifier::Cpv => "consumer product variant",
            Qualifier::Lot => "lot",
            Qualifier::Serial => "serial number",
        }
    }

    fn from_ai(ai: &str) -> Option<Qualifier> {
        match ai {
            "22" => Some(Qualifier::Cpv),
            "10" => Some(Qualifier::Lot),
            "21" => Some(Qualifier::Serial),
            _ => None,
        }
    }
}

impl fmt::Display for Qualifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (AI {})", self.name(), self.ai())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigitalLinkError {
    #[error("not a GS1 Digital Link path: it must start with /01/ followed by a GTIN")]
    NotDigitalLink,
    #[error("the GTIN is missing after /01/")]
    MissingGtin,
    #[error("{0}")]
    Gtin(#[from] GtinError),
    #[error("AI {0} is not a key qualifier of a GTIN (use /22/, /10/ or /21/, in that order)")]
    UnknownQualifier(String),
    #[error("the {later} must come after the {earlier}: GS1 Digital Link fixes the order /22/, /10/, /21/")]
    OutOfOrder { earlier: Qualifier, later: Qualifier },
    #[error("the {0} appears twice")]
    Repeated(Qualifier),
    #[error("the {0} has no value")]
    MissingValue(Qualifier),
    #[error("the {0} is not valid percent-encoding")]
    BadEncoding(Qualifier),
    #[error("the {qualifier} is longer than {max} characters", max = QUALIFIER_MAX_LEN)]
    TooLong { qualifier: Qualifier },
    #[error("the {qualifier} contains {found:?}, which is not in the GS1 character set 82")]
    BadCharacter { qualifier: Qualifier, found: char },
}

/// A parsed GS1 Digital Link path for a GTIN. Once parsed, every value is valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DigitalLink {
    gtin: Gtin,
    cpv: Option<String>,
    lot: Option<String>,
    serial: Option<String>,
}

impl DigitalLink {
    /// Parses a request path (still percent-encoded, without the query string) such as
    /// `/01/09506000134352/10/ABC%2F1`. A single trailing slash is tolerated, as resolvers should.
    pub fn parse(path: &str) -> Result<DigitalLink, DigitalLinkError> {
        let path = path.strip_suffix('/').unwrap_or(path);
        let rest = if path == "/01" {
            return Err(DigitalLinkError::MissingGtin);
        } else {
            path.strip_prefix("/01/").ok_or(DigitalLinkError::NotDigitalLink)?
        };
        let mut segments = rest.split('/');
        let gtin = match segments.next() {
            None | Some("") => return Err(DigitalLinkError::MissingGtin),
            Some(g) => Gtin::parse(g)?,
        };
        let mut link = DigitalLink { gtin, cpv: None, lot: None, serial: None };
        let mut last: Option<Qualifier> = None;
        while let Some(ai) = segments.next() {
            let qualifier = Qualifier::from_ai(ai).ok_or_else(|| DigitalLinkError::UnknownQualifier(shorten(ai)))?;
            if let Some(previous) = last {
                if previous == qualifier {
                    return Err(DigitalLinkError::Repeated(qualifier));
                }
                if previous > qualifier {
                    return Err(DigitalLinkError::OutOfOrder { earlier: qualifier, later: previous });
                }
            }
            let raw = segments.next().ok_or(DigitalLinkError::MissingValue(qualifier))?;
            let value = parse_qualifier_value(qualifier, raw)?;
            match qualifier {
                Qualifier::Cpv => link.cpv = Some(value),
                Qualifier::Lot => link.lot = Some(value),
                Qualifier::Serial => link.serial = Some(value),
            }
            last = Some(qualifier);
        }
        Ok(link)
    }

    pub fn gtin(&self) -> &Gtin {
        &self.gtin
    }

    pub fn cpv(&self) -> Option<&str> {
        self.cpv.as_deref()
    }

    pub fn lot(&self) -> Option<&str> {
        self.lot.as_deref()
    }

    pub fn serial(&self) -> Option<&str> {
        self.serial.as_deref()
    }

    /// The canonical path: the 14-digit GTIN and every qualifier value percent-encoded except for
    /// RFC 3986 unreserved characters, so that the same item always gets the same anchor.
    pub fn path(&self) -> String {
        let mut path = format!("/01/{}", self.gtin.as_str());
        for (qualifier, value) in self.qualifiers() {
            path.push('/');
            path.push_str(qualifier.ai());
            path.push('/');
            path.push_str(&percent_encode(value));
        }
        path
    }

    /// This link and every less specific one up to the bare GTIN, most specific first: the levels a
    /// resolver walks up when it looks for links.
    pub fn levels(&self) -> Vec<DigitalLink> {
        let mut levels = vec![self.clone()];
        let mut current = self.clone();
        while let Some(parent) = current.parent() {
            levels.push(parent.clone());
            current = parent;
        }
        levels
    }

    fn parent(&self) -> Option<DigitalLink> {
        let mut parent = self.clone();
        if parent.serial.take().is_some() || parent.lot.take().is_some() || parent.cpv.take().is_some() {
            Some(parent)
        } else {
            None
        }
    }

    fn qualifiers(&self) -> impl Iterator<Item = (Qualifier, &str)> {
        [(Qualifier::Cpv, &self.cpv), (Qualifier::Lot, &self.lot), (Qualifier::Serial, &self.serial)]
            .into_iter()
            .filter_map(|(q, v)| v.as_deref().map(|v| (q, v)))
    }
}

/// Error messages quote what was sent, but never an unbounded amount of it.
fn shorten(s: &str) -> String {
    s.chars().take(24).collect()
}

fn parse_qualifier_value(qualifier: Qualifier, raw: &str) -> Result<String, DigitalLinkError> {
    let bytes = percent_decode(raw).ok_or(DigitalLinkError::BadEncoding(qualifier))?;
    let value = String::from_utf8(bytes).map_err(|_| DigitalLinkError::BadEncoding(qualifier))?;
    if value.is_empty() {
        return Err(DigitalLinkError::MissingValue(qualifier));
    }
    if let Some(found) = value.chars().find(|c| !is_cset82(*c)) {
        return Err(DigitalLinkError::BadCharacter { qualifier, found });
    }
    if value.len() > QUALIFIER_MAX_LEN {
        return Err(DigitalLinkError::TooLong { qualifier });
    }
    Ok(value)
}

/// GS1 AI encodable character set 82: the characters lots and serial numbers are made of.
pub fn is_cset82(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!\"%&'()*+,-./:;<=>?_".contains(c)
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hi = bytes.get(i + 1).and_then(|h| (*h as char).to_digit(16))?;
            let lo = bytes.get(i + 2).and_then(|l| (*l as char).to_digit(16))?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    Some(out)
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The GS1 Web Vocabulary link types (https://ref.gs1.org/voc/, version 1.19), by local name.
const LINK_TYPES: &[&str] = &[
    "activityIdeas",
    "allergenInfo",
    "appDownload",
    "backgroundInfo",
    "brandHomepageClinical",
    "brandHomepagePatient",
    "careersInfo",
    "certificationInfo",
    "consumerHandlingStorageInfo",
    "defaultLink",
    "defaultLinkMulti",
    "dpp",
    "eifu",
    "epcis",
    "epil",
    "eventsInfo",
    "faqs",
    "handledBy",
    "hasRetailers",
    "homepage",
    "ingredientsInfo",
    "instructions",
    "jws",
    "leaveReview",
    "locationInfo",
    "logisticsInfo",
    "loyaltyProgram",
    "masterData",
    "menuInfo",
    "nutritionalInfo",
    "openingHoursInfo",
    "paymentLink",
    "pip",
    "productSustainabilityInfo",
    "promotion",
    "purchaseSuppliesOrAccessories",
    "quickStartGuide",
    "recallStatus",
    "recipeInfo",
    "registerProduct",
    "registryEntry",
    "relatedImage",
    "relatedVideo",
    "reportFound",
    "review",
    "safetyInfo",
    "scheduleTime",
    "serviceInfo",
    "smartLabel",
    "smpc",
    "socialMedia",
    "statisticInfo",
    "subscribe",
    "support",
    "sustainabilityInfo",
    "traceability",
    "tutorial",
    "userAgreement",
    "verificationService",
    "whatsInTheBox",
];

/// The spellings of the GS1 Web Vocabulary namespace a client may use for a link type.
const GS1_NAMESPACES: &[&str] = &[
    "gs1:",
    "https://gs1.org/voc/",
    "https://ref.gs1.org/voc/",
    "https://www.gs1.org/voc/",
    "http://gs1.org/voc/",
    "http://www.gs1.org/voc/",
];

/// A GS1 link type, such as `gs1:instructions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LinkType(&'static str);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkTypeError {
    #[error("not a GS1 link type: write it as gs1:name (for example gs1:instructions) from https://ref.gs1.org/voc/")]
    Unknown,
    #[error("gs1:defaultLink is the product line's feedback page and cannot be replaced")]
    Reserved,
}

impl LinkType {
    pub const DEFAULT_LINK: LinkType = LinkType("defaultLink");
    /// The descriptive type of the feedback page, which is also the default link: customer support
    /// is what it is for, whether the customer reports a defect, a usability problem or praise.
    pub const SUPPORT: LinkType = LinkType("support");

    /// Any GS1 link type, as a CURIE (`gs1:pip`) or a URI in one of the GS1 namespaces.
    pub fn parse(input: &str) -> Result<LinkType, LinkTypeError> {
        let input = input.trim();
        let local =
            GS1_NAMESPACES.iter().find_map(|ns| strip_prefix_ignore_case(input, ns)).ok_or(LinkTypeError::Unknown)?;
        LINK_TYPES.iter().find(|t| **t == local).map(|t| LinkType(t)).ok_or(LinkTypeError::Unknown)
    }

    /// A link type a manufacturer may add to a line: any GS1 type except the default-link ones,
    /// because the default link is always the line's feedback page.
    pub fn parse_for_manufacturer(input: &str) -> Result<LinkType, LinkTypeError> {
        let t = LinkType::parse(input)?;
        if t.is_default() { Err(LinkTypeError::Reserved) } else { Ok(t) }
    }

    pub fn is_default(self) -> bool {
        self.0 == "defaultLink" || self.0 == "defaultLinkMulti"
    }

    /// `gs1:instructions`: how it is stored and shown in the API.
    pub fn curie(self) -> String {
        format!("gs1:{}", self.0)
    }

    /// `https://gs1.org/voc/instructions`: the relation name in a linkset.
    pub fn uri(self) -> String {
        format!("{GS1_VOC}{}", self.0)
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) { s.get(prefix.len()..) } else { None }
}

/// What a client asked for with `?linkType=`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestedLinkType {
    /// `linkset`, or `all` (its name before version 1.0 of the resolver standard).
    Linkset,
    Type(LinkType),
    /// Something that is not a GS1 link type: no item has a link of that type.
    Unknown(String),
}

impl RequestedLinkType {
    pub fn parse(value: &str) -> RequestedLinkType {
        let v = value.trim();
        if v.eq_ignore_ascii_case("linkset") || v.eq_ignore_ascii_case("all") {
            return RequestedLinkType::Linkset;
        }
        match LinkType::parse(v) {
            Ok(t) => RequestedLinkType::Type(t),
            Err(_) => RequestedLinkType::Unknown(shorten(v)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkTargetError {
    #[error("the link must be an absolute http or https URL")]
    Href,
    #[error("the link is longer than {max} characters", max = HREF_MAX_LEN)]
    HrefTooLong,
    #[error("the title must be 1 to {max} characters", max = TITLE_MAX_LEN)]
    Title,
    #[error("the language must be a BCP 47 language tag such as en, pt-BR or zh-Hant-TW")]
    Lang,
    #[error("the media type must look like text/html or application/pdf, without parameters")]
    MediaType,
    #[error("the context must be 1 to {max} letters, digits or - . _ ~", max = CONTEXT_MAX_LEN)]
    Context,
}

pub const HREF_MAX_LEN: usize = 2048;
pub const TITLE_MAX_LEN: usize = 200;

/// An absolute http(s) URL, normalised the way browsers would send it.
pub fn parse_href(input: &str) -> Result<String, LinkTargetError> {
    // Limits hold for what was sent, before trimming: the documented maxLength is of the value.
    if input.len() > HREF_MAX_LEN {
        return Err(LinkTargetError::HrefTooLong);
    }
    let input = input.trim();
    if input.len() > HREF_MAX_LEN {
        return Err(LinkTargetError::HrefTooLong);
    }
    let url = url::Url::parse(input).map_err(|_| LinkTargetError::Href)?;
    let has_host = url.host_str().is_some_and(|h| !h.is_empty());
    if !matches!(url.scheme(), "http" | "https") || !has_host {
        return Err(LinkTargetError::Href);
    }
    Ok(url.to_string())
}

/// A title shown to people choosing among links: trimmed, 1..=200 characters, no control characters.
pub fn parse_title(input: &str) -> Result<String, LinkTargetError> {
    if input.chars().count() > TITLE_MAX_LEN {
        return Err(LinkTargetError::Title);
    }
    let t = input.trim();
    let len = t.chars().count();
    if len == 0 || len > TITLE_MAX_LEN || t.chars().any(char::is_control) {
        return Err(LinkTargetError::Title);
    }
    Ok(t.to_owned())
}

/// A BCP 47 language tag (RFC 5646), checked for well-formedness and written in its canonical case:
/// `en`, `pt-BR`, `zh-Hant-TW`, `sr-Latn-RS`, `de-CH-1996`, `en-US-x-twain`. Grandfathered tags and
/// private-use-only tags (`x-...`) are refused: a customer's browser never asks for them.
pub fn parse_lang(input: &str) -> Result<String, LinkTargetError> {
    if input.len() > 35 {
        return Err(LinkTargetError::Lang);
    }
    let t = input.trim();
    if t.is_empty() || t.len() > 35 {
        return Err(LinkTargetError::Lang);
    }
    let subtags: Vec<&str> = t.split('-').collect();
    let alpha = |s: &str, range: std::ops::RangeInclusive<usize>| {
        range.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
    };
    let alnum = |s: &str, range: std::ops::RangeInclusive<usize>| {
        range.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    let mut out: Vec<String> = Vec::with_capacity(subtags.len());
    let mut i = 0;
    // language: an ISO 639 code of 2-3 letters, with up to three 3-letter extlangs. (RFC 5646 also
    // reserves 4-8 letter language subtags, but none is registered: `english` is a mistake.)
    let Some(language) = subtags.first().copied().filter(|l| alpha(l, 2..=3)) else {
        return Err(LinkTargetError::Lang);
    };
    out.push(language.to_ascii_lowercase());
    i += 1;
    let mut extlangs = 0;
    while let Some(e) = subtags.get(i).filter(|e| alpha(e, 3..=3) && extlangs < 3) {
        out.push(e.to_ascii_lowercase());
        extlangs += 1;
        i += 1;
    }
    // script: 4 letters, title case.
    if let Some(script) = subtags.get(i).filter(|s| alpha(s, 4..=4)) {
        let (first, rest) = script.split_at(1);
        out.push(format!("{}{}", first.to_ascii_uppercase(), rest.to_ascii_lowercase()));
        i += 1;
    }
    // region: 2 letters (upper case) or 3 digits.
    if let Some(region) =
        subtags.get(i).filter(|r| alpha(r, 2..=2) || (r.len() == 3 && r.bytes().all(|b| b.is_ascii_digit())))
    {
        out.push(region.to_ascii_uppercase());
        i += 1;
    }
    // variants: 5-8 alphanumerics, or a digit and 3 alphanumerics; none twice.
    while let Some(v) = subtags
        .get(i)
        .filter(|v| alnum(v, 5..=8) || (v.len() == 4 && v.starts_with(|c: char| c.is_ascii_digit()) && alnum(v, 4..=4)))
    {
        let v = v.to_ascii_lowercase();
        if out.contains(&v) {
            return Err(LinkTargetError::Lang);
        }
        out.push(v);
        i += 1;
    }
    // extensions: a singleton other than x, then one or more 2-8 alphanumerics; each singleton once.
    let mut singletons: Vec<String> = Vec::new();
    while let Some(s) = subtags.get(i).filter(|s| alnum(s, 1..=1) && !s.eq_ignore_ascii_case("x")) {
        let s = s.to_ascii_lowercase();
        if singletons.contains(&s) {
            return Err(LinkTargetError::Lang);
        }
        out.push(s.clone());
        singletons.push(s);
        i += 1;
        let start = i;
        while let Some(e) = subtags.get(i).filter(|e| alnum(e, 2..=8)) {
            out.push(e.to_ascii_lowercase());
            i += 1;
        }
        if i == start {
            return Err(LinkTargetError::Lang);
        }
    }
    // private use: x followed by one or more 1-8 alphanumerics.
    if subtags.get(i).is_some_and(|x| x.eq_ignore_ascii_case("x")) {
        out.push("x".to_owned());
        i += 1;
        let start = i;
        while let Some(p) = subtags.get(i).filter(|p| alnum(p, 1..=8)) {
            out.push(p.to_ascii_lowercase());
            i += 1;
        }
        if i == start {
            return Err(LinkTargetError::Lang);
        }
    }
    if i != subtags.len() {
        return Err(LinkTargetError::Lang);
    }
    Ok(out.join("-"))
}

pub const MEDIA_TYPE_MAX_LEN: usize = 127;
pub const CONTEXT_MAX_LEN: usize = 64;

/// A media type such as `text/html` or `application/pdf` (RFC 6838 names, no parameters), lower case.
pub fn parse_media_type(input: &str) -> Result<String, LinkTargetError> {
    let t = input.trim();
    let name_ok = |s: &str| {
        (1..=MEDIA_TYPE_MAX_LEN).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
    };
    match t.split_once('/') {
        Some((kind, sub)) if name_ok(kind) && name_ok(sub) => Ok(t.to_ascii_lowercase()),
        _ => Err(LinkTargetError::MediaType),
    }
}

/// A GS1 resolver context value (`?context=`): 1 to 64 URI-unreserved characters, kept as written;
/// the resolver compares contexts without regard to case.
pub fn parse_context(input: &str) -> Result<String, LinkTargetError> {
    if input.len() > CONTEXT_MAX_LEN {
        return Err(LinkTargetError::Context);
    }
    let t = input.trim();
    if (1..=CONTEXT_MAX_LEN).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    {
        Ok(t.to_owned())
    } else {
        Err(LinkTargetError::Context)
    }
}

/// What the resolver knows of one link when several of the requested type are candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Candidate<'a> {
    pub hreflang: Option<&'a str>,
    pub context: Option<&'a str>,
}

/// The resolver's decision among the candidates, by position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// One link fits best: redirect to it (307).
    One(usize),
    /// Several fit equally, or none fits better than the others: let the visitor choose (300).
    Several(Vec<usize>),
}

/// Language ranges of an `Accept-Language` header (RFC 9110) with their weights, best first; equal
/// weights keep the client's order. Ranges with `q=0` (not acceptable) and malformed items are left
/// out.
pub fn accept_language(header: Option<&str>) -> Vec<(String, f32)> {
    let Some(header) = header else { return Vec::new() };
    let mut ranges: Vec<(String, f32)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let range = pieces.next()?.trim().to_ascii_lowercase();
            let q = match pieces.find_map(|p| p.trim().strip_prefix("q=")) {
                None => 1.0,
                Some(q) => q.trim().parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q))?,
            };
            let well_formed = range == "*"
                || (!range.is_empty()
                    && range
                        .split('-')
                        .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())));
            (well_formed && q > 0.0).then_some((range, q))
        })
        .collect();
    ranges.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranges
}

/// How well a link's language answers one language range: 4 the same tag, 3 the range is a prefix of
/// the tag (`en` for `en-GB`, RFC 4647 basic filtering), 2 the tag is a prefix of the range (`en` for
/// `en-GB`), 1 only the primary language agrees (`en-US` for `en-GB`), 0 the wildcard `*`.
fn language_fit(range: &str, tag: &str) -> Option<u8> {
    let tag = tag.to_ascii_lowercase();
    let primary = |s: &str| s.split('-').next().map(str::to_owned);
    if range == "*" {
        Some(0)
    } else if tag == range {
        Some(4)
    } else if tag.strip_prefix(range).is_some_and(|rest| rest.starts_with('-')) {
        Some(3)
    } else if range.strip_prefix(tag.as_str()).is_some_and(|rest| rest.starts_with('-')) {
        Some(2)
    } else if primary(range) == primary(&tag) {
        Some(1)
    } else {
        None
    }
}

/// Chooses among links of one type, as the GS1-Conformant Resolver standard asks:
/// 1. a requested `context` narrows the candidates to the links with that context (compared without
///    regard to case), if any has it; an unknown context changes nothing;
/// 2. among what is left, the language: each link is weighed by the best `Accept-Language` range its
///    `hreflang` answers (weight first, then closeness of the match); a single best link wins;
/// 3. a link without a language is the fallback only when no link with a language answers;
/// 4. a single candidate is always the answer, whatever its language.
///
/// Anything else (several equally good, or several and none answering) is for the visitor to choose.
pub fn choose(candidates: &[Candidate<'_>], languages: &[(String, f32)], context: Option<&str>) -> Choice {
    let mut pool: Vec<usize> = (0..candidates.len()).collect();
    if let Some(wanted) = context {
        let with_context: Vec<usize> = pool
            .iter()
            .copied()
            .filter(|i| candidates.get(*i).and_then(|c| c.context).is_some_and(|c| c.eq_ignore_ascii_case(wanted)))
            .collect();
        if !with_context.is_empty() {
            pool = with_context;
        }
    }
    if let [only] = pool.as_slice() {
        return Choice::One(*only);
    }
    let score = |i: usize| -> Option<(f32, u8)> {
        let tag = candidates.get(i)?.hreflang?;
        languages
            .iter()
            .filter_map(|(range, q)| language_fit(range, tag).map(|fit| (*q, fit)))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
    };
    let scored: Vec<(usize, (f32, u8))> = pool.iter().filter_map(|i| score(*i).map(|s| (*i, s))).collect();
    let best = scored.iter().map(|(_, s)| *s).max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let chosen: Vec<usize> = match best {
        Some(best) => scored.iter().filter(|(_, s)| *s == best).map(|(i, _)| *i).collect(),
        None => {
            let untagged: Vec<usize> =
                pool.iter().copied().filter(|i| candidates.get(*i).is_some_and(|c| c.hreflang.is_none())).collect();
            if untagged.is_empty() { pool } else { untagged }
        }
    };
    match chosen.as_slice() {
        [only] => Choice::One(*only),
        _ => Choice::Several(chosen),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(p: &str) -> Result<DigitalLink, DigitalLinkError> {
        DigitalLink::parse(p)
    }

    #[test]
    fn every_path_form_parses_and_short_gtins_are_padded() {
        let dl = parse("/01/09506000134352").unwrap();
        assert_eq!(dl.gtin().as_str(), "09506000134352");
        assert_eq!((dl.lot(), dl.serial()), (None, None));

        let dl = parse("/01/4006381333931/10/L1").unwrap();
        assert_eq!(dl.gtin().as_str(), "04006381333931");
        assert_eq!(dl.lot(), Some("L1"));

        let dl = parse("/01/96385074/10/L1/21/S-9").unwrap();
        assert_eq!(dl.gtin().as_str(), "00000096385074");
        assert_eq!((dl.lot(), dl.serial()), (Some("L1"), Some("S-9")));

        let dl = parse("/01/036000291452/21/S1").unwrap();
        assert_eq!((dl.lot(), dl.serial()), (None, Some("S1")));

        let dl = parse("/01/09506000134352/22/V1/10/L1/21/S1/").unwrap();
        assert_eq!(dl.cpv(), Some("V1"));
        assert_eq!(dl.path(), "/01/09506000134352/22/V1/10/L1/21/S1");
    }

    #[test]
    fn qualifier_values_are_percent_decoded_and_encoded_back() {
        let dl = parse("/01/09506000134352/10/AB%2F12%25").unwrap();
        assert_eq!(dl.lot(), Some("AB/12%"));
        assert_eq!(dl.path(), "/01/09506000134352/10/AB%2F12%25");
    }

    #[test]
    fn bad_syntax_is_refused_with_a_reason() {
        use DigitalLinkError::*;
        assert_eq!(parse("/01"), Err(MissingGtin));
        assert_eq!(parse("/01/"), Err(MissingGtin));
        assert_eq!(parse("/02/09506000134352"), Err(NotDigitalLink));
        assert!(matches!(parse("/01/09506000134353"), Err(Gtin(GtinError::CheckDigit { .. }))));
        assert!(matches!(parse("/01/abc"), Err(Gtin(GtinError::NotDigits))));
        assert_eq!(parse("/01/09506000134352/foo"), Err(UnknownQualifier("foo".into())));
        assert_eq!(parse("/01/09506000134352/10"), Err(MissingValue(Qualifier::Lot)));
        assert_eq!(
            parse("/01/09506000134352/21/S/10/L"),
            Err(OutOfOrder { earlier: Qualifier::Lot, later: Qualifier::Serial })
        );
        assert_eq!(parse("/01/09506000134352/10/a/10/b"), Err(Repeated(Qualifier::Lot)));
        assert_eq!(parse("/01/09506000134352/10/%zz"), Err(BadEncoding(Qualifier::Lot)));
        assert_eq!(parse("/01/09506000134352/10/L%20O"), Err(BadCharacter { qualifier: Qualifier::Lot, found: ' ' }));
        assert!(matches!(parse("/01/09506000134352/10/L%C3%A9"), Err(BadCharacter { found: 'é', .. })));
        assert_eq!(
            parse(&format!("/01/09506000134352/21/{}", "9".repeat(21))),
            Err(TooLong { qualifier: Qualifier::Serial })
        );
        assert!(parse(&format!("/01/09506000134352/21/{}", "9".repeat(20))).is_ok());
    }

    #[test]
    fn levels_walk_up_to_the_gtin() {
        let dl = parse("/01/09506000134352/10/L1/21/S1").unwrap();
        let paths: Vec<String> = dl.levels().iter().map(DigitalLink::path).collect();
        assert_eq!(paths, ["/01/09506000134352/10/L1/21/S1", "/01/09506000134352/10/L1", "/01/09506000134352"]);
    }

    #[test]
    fn link_types_are_read_in_every_spelling() {
        for s in [
            "gs1:instructions",
            "https://gs1.org/voc/instructions",
            "https://ref.gs1.org/voc/instructions",
            "GS1:instructions",
        ] {
            assert_eq!(LinkType::parse(s).unwrap().curie(), "gs1:instructions", "{s}");
        }
        assert_eq!(LinkType::parse("gs1:Instructions"), Err(LinkTypeError::Unknown));
        assert_eq!(LinkType::parse("instructions"), Err(LinkTypeError::Unknown));
        assert_eq!(LinkType::parse("gs1:nosuch"), Err(LinkTypeError::Unknown));
        assert_eq!(LinkType::parse_for_manufacturer("gs1:defaultLink"), Err(LinkTypeError::Reserved));
        assert_eq!(LinkType::parse("gs1:recallStatus").unwrap().uri(), "https://gs1.org/voc/recallStatus");
        assert_eq!(RequestedLinkType::parse("all"), RequestedLinkType::Linkset);
        assert_eq!(RequestedLinkType::parse("linkset"), RequestedLinkType::Linkset);
        assert_eq!(RequestedLinkType::parse("gs1:nosuchlt"), RequestedLinkType::Unknown("gs1:nosuchlt".into()));
    }

    #[test]
    fn link_targets_are_checked() {
        assert_eq!(parse_href("https://acme.test/manual").unwrap(), "https://acme.test/manual");
        for bad in ["/manual", "ftp://acme.test/x", "javascript:alert(1)", "https://", "mailto:a@b.test"] {
            assert!(parse_href(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_title("  Manual "), Ok("Manual".into()));
        assert!(parse_title(" ").is_err());
        assert!(parse_title(&"x".repeat(201)).is_err());
        assert!(parse_title(&"я".repeat(200)).is_ok());
        assert_eq!(parse_lang("pt-BR"), Ok("pt-BR".into()));
        assert!(parse_lang("e").is_err());
    }

    #[test]
    fn language_tags_are_checked_against_bcp_47_and_written_in_canonical_case() {
        for (input, canonical) in [
            ("en", "en"),
            ("RU", "ru"),
            ("pt-br", "pt-BR"),
            ("zh-hant-tw", "zh-Hant-TW"),
            ("sr-Latn-RS", "sr-Latn-RS"),
            ("es-419", "es-419"),
            ("de-CH-1996", "de-CH-1996"),
            ("sl-rozaj-biske", "sl-rozaj-biske"),
            ("zh-yue-HK", "zh-yue-HK"),
            ("en-US-u-ca-gregory", "en-US-u-ca-gregory"),
            ("en-US-x-twain", "en-US-x-twain"),
            (" und ", "und"),
        ] {
            assert_eq!(parse_lang(input), Ok(canonical.to_owned()), "{input}");
        }
        for bad in [
            "",
            "e",
            "english",
            "english-language",
            "en_US",
            "en-",
            "-en",
            "en--US",
            "en-US-US",
            "de-1996-1996",
            "en-a",
            "en-a-bc-a-de",
            "en-x",
            "x-private",
            "123",
            "en-ÿ",
            "abcdefghi",
        ] {
            assert_eq!(parse_lang(bad), Err(LinkTargetError::Lang), "{bad}");
        }
    }

    #[test]
    fn media_types_and_contexts_are_checked() {
        assert_eq!(parse_media_type(" Text/HTML "), Ok("text/html".into()));
        assert_eq!(parse_media_type("application/ld+json"), Ok("application/ld+json".into()));
        assert_eq!(parse_media_type("application/vnd.ms-excel"), Ok("application/vnd.ms-excel".into()));
        for bad in ["text", "text/", "/html", "text/html; charset=utf-8", "text/html/x", "te xt/html", "-a/b"] {
            assert_eq!(parse_media_type(bad), Err(LinkTargetError::MediaType), "{bad}");
        }
        assert_eq!(parse_context(" DE "), Ok("DE".into()));
        assert_eq!(parse_context("point-of-sale_1.0~x"), Ok("point-of-sale_1.0~x".into()));
        for bad in ["", "a b", "a/b", "a&b", &"x".repeat(65)] {
            assert_eq!(parse_context(bad), Err(LinkTargetError::Context), "{bad}");
        }
    }

    fn cands(list: &[(Option<&'static str>, Option<&'static str>)]) -> Vec<Candidate<'static>> {
        list.iter().map(|(hreflang, context)| Candidate { hreflang: *hreflang, context: *context }).collect()
    }

    fn pick(list: &[(Option<&'static str>, Option<&'static str>)], al: Option<&str>, context: Option<&str>) -> Choice {
        choose(&cands(list), &accept_language(al), context)
    }

    #[test]
    fn accept_language_is_read_with_q_values_best_first() {
        let ranges = accept_language(Some("en;q=0.5, ru-RU , ru;q=0.9, de;q=0, *;q=0.1, bad range, fr;q=x"));
        let names: Vec<&str> = ranges.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(names, ["ru-ru", "ru", "en", "*"]);
        assert!(accept_language(None).is_empty());
        assert!(accept_language(Some("")).is_empty());
    }

    #[test]
    fn the_best_language_wins_and_a_tie_or_no_match_is_a_choice() {
        let en_ru = [(Some("en"), None), (Some("ru"), None)];
        assert_eq!(pick(&en_ru, Some("ru-RU,ru;q=0.9,en;q=0.5"), None), Choice::One(1));
        assert_eq!(pick(&en_ru, Some("en-GB"), None), Choice::One(0));
        assert_eq!(pick(&en_ru, Some("de"), None), Choice::Several(vec![0, 1]));
        assert_eq!(pick(&en_ru, None, None), Choice::Several(vec![0, 1]));
        assert_eq!(pick(&en_ru, Some("*"), None), Choice::Several(vec![0, 1]));
        // Equal weight, equal closeness: the visitor chooses between the two.
        assert_eq!(pick(&en_ru, Some("en, ru"), None), Choice::Several(vec![0, 1]));
        let two_en = [(Some("en-GB"), None), (Some("en-US"), None), (Some("ru"), None)];
        assert_eq!(pick(&two_en, Some("en"), None), Choice::Several(vec![0, 1]));
        assert_eq!(pick(&two_en, Some("en-US"), None), Choice::One(1));
        // A closer tag beats a looser one at the same weight; weight beats closeness.
        let en_en_gb = [(Some("en"), None), (Some("en-GB"), None)];
        assert_eq!(pick(&en_en_gb, Some("en-GB"), None), Choice::One(1));
        assert_eq!(pick(&en_en_gb, Some("en-AU, en-GB;q=0.5"), None), Choice::One(0));
        // One link is the answer in any language.
        assert_eq!(pick(&[(Some("en"), None)], Some("ru"), None), Choice::One(0));
        assert_eq!(pick(&[], Some("ru"), None), Choice::Several(vec![]));
    }

    #[test]
    fn a_link_without_language_is_the_fallback_only_when_no_language_answers() {
        let list = [(Some("en"), None), (None, None), (Some("ru"), None)];
        assert_eq!(pick(&list, Some("ru"), None), Choice::One(2));
        assert_eq!(pick(&list, Some("de"), None), Choice::One(1));
        assert_eq!(pick(&list, None, None), Choice::One(1));
        let two_untagged = [(None, None), (Some("en"), None), (None, None)];
        assert_eq!(pick(&two_untagged, Some("de"), None), Choice::Several(vec![0, 2]));
    }

    #[test]
    fn a_known_context_narrows_the_choice_and_an_unknown_one_changes_nothing() {
        let list = [(Some("en"), Some("EU")), (Some("en"), Some("US")), (Some("ru"), None)];
        assert_eq!(pick(&list, Some("en"), Some("us")), Choice::One(1));
        assert_eq!(pick(&list, Some("en"), Some("EU")), Choice::One(0));
        assert_eq!(pick(&list, Some("en"), Some("mars")), Choice::Several(vec![0, 1]));
        assert_eq!(pick(&list, Some("en"), None), Choice::Several(vec![0, 1]));
        assert_eq!(pick(&list, Some("ru"), Some("mars")), Choice::One(2));
        // Within a context, the language still decides.
        let eu = [(Some("en"), Some("EU")), (Some("de"), Some("EU")), (Some("de"), None)];
        assert_eq!(pick(&eu, Some("de"), Some("EU")), Choice::One(1));
    }

    fn gtin14() -> impl Strategy<Value = String> {
        proptest::collection::vec(0u8..10, 13).prop_map(|body| {
            let check = crate::domain::gtin::check_digit(&body);
            body.iter().chain(std::iter::once(&check)).map(|d| char::from(b'0' + d)).collect()
        })
    }

    fn cset82_value() -> impl Strategy<Value = String> {
        let chars: Vec<char> = (0u8..128).map(char::from).filter(|c| is_cset82(*c)).collect();
        proptest::collection::vec(proptest::sample::select(chars), 1..=QUALIFIER_MAX_LEN)
            .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn the_canonical_path_parses_back_to_the_same_link(
            gtin in gtin14(),
            lot in proptest::option::of(cset82_value()),
            serial in proptest::option::of(cset82_value()),
        ) {
            let mut path = format!("/01/{gtin}");
            if let Some(l) = &lot { path.push_str(&format!("/10/{}", percent_encode(l))); }
            if let Some(s) = &serial { path.push_str(&format!("/21/{}", percent_encode(s))); }
            let dl = DigitalLink::parse(&path).unwrap();
            prop_assert_eq!(dl.lot(), lot.as_deref());
            prop_assert_eq!(dl.serial(), serial.as_deref());
            prop_assert_eq!(DigitalLink::parse(&dl.path()).unwrap(), dl.clone());
            prop_assert_eq!(dl.path(), path);
        }

        #[test]
        fn any_input_is_parsed_or_refused_without_panicking(s in "(/01/[0-9]{0,15})?(/[0-9a-z%]{0,4}){0,6}") {
            let _ = DigitalLink::parse(&s);
        }
    }
}
