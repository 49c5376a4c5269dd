//! Short codes, lots and lot lists: parsing never panics, and what parses prints back to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use scanback::domain::lot::parse_lot_list;
use scanback::domain::{Code, Cursor, Lot};

fuzz_target!(|input: &str| {
    if let Ok(code) = Code::parse(input) {
        let again = Code::parse(code.as_str());
        assert_eq!(again.ok().as_ref().map(Code::as_str), Some(code.as_str()), "a parsed code must parse again");
    }
    if let Ok(lot) = Lot::parse(input) {
        let again = Lot::parse(lot.as_str());
        assert_eq!(again.ok().as_ref().map(Lot::as_str), Some(lot.as_str()), "a parsed lot must parse again");
        let _ = lot.path_segment();
    }
    let _ = parse_lot_list(input);
    if let Ok(cursor) = Cursor::parse(input) {
        assert!(Cursor::parse(&cursor.encode()).is_ok(), "an encoded cursor must parse");
    }
});
