//! GTINs, GS1 Digital Link paths (plain and compressed), link types and targets, Accept-Language.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scanback::domain::digital_link::{self, LinkType, RequestedLinkType};
use scanback::domain::digital_link_compression as compression;
use scanback::domain::{DigitalLink, Gtin};

fuzz_target!(|input: &str| {
    if let Ok(gtin) = Gtin::parse(input) {
        assert!(Gtin::parse(gtin.as_str()).is_ok(), "a parsed GTIN must parse again");
    }
    if let Ok(link) = DigitalLink::parse(input) {
        // The canonical path of a parsed link is itself a link to the same product.
        let again = DigitalLink::parse(&link.path());
        assert!(again.as_ref().is_ok_and(|l| l.gtin().as_str() == link.gtin().as_str()), "{input:?}");
        for level in link.levels() {
            let _ = level.path();
        }
    }
    if compression::looks_compressed(input) {
        let _ = compression::decompress(input).map(|d| d.to_string());
        let _ = compression::expand(input).map(|e| e.uncompressed());
    }
    let _ = compression::expand_partial("09506000134352", input);
    let _ = LinkType::parse(input).map(|t| (t.curie(), t.uri()));
    let _ = LinkType::parse_for_manufacturer(input);
    let _ = RequestedLinkType::parse(input);
    let _ = digital_link::parse_href(input);
    let _ = digital_link::parse_title(input);
    let _ = digital_link::parse_lang(input);
    let _ = digital_link::parse_media_type(input);
    let _ = digital_link::parse_context(input);
    let _ = digital_link::accept_language(Some(input));
});
