//! Unit tests of the command line's types: the flags parse as documented,
//! and the lists clap offers agree with the model they name.

use super::*;

#[test]
fn quiz_types_are_the_deck_types() {
    let names: Vec<&str> = CardType::value_variants()
        .iter()
        .map(|t| t.name())
        .collect();
    assert_eq!(names, crate::deck::CARD_TYPES);
    for t in CardType::value_variants() {
        let shown = t.to_possible_value().unwrap();
        assert_eq!(shown.get_name(), t.name());
    }
}

#[test]
fn the_command_line_is_consistent() {
    use clap::CommandFactory;
    Cli::command().debug_assert();
}

#[test]
fn offsets() {
    for (s, secs) in [
        ("UTC", 0),
        ("z", 0),
        ("+09:00", 9 * 3600),
        ("-0530", -(5 * 3600 + 1800)),
        ("+9", 9 * 3600),
        ("-05", -5 * 3600),
        (" +14:00 ", 14 * 3600),
    ] {
        assert_eq!(utc_offset(s).unwrap().local_minus_utc(), secs, "{s}");
    }
    for bad in [
        "Asia/Tokyo",
        "+25:00",
        "+15:00",
        "+09:00junk",
        "+1\u{e9}2",
        "\u{e9}",
        "+",
        "",
        "+123",
        "+09:60",
        "+\u{1b}[2J",
    ] {
        let err = utc_offset(bad).unwrap_err();
        assert!(err.contains("is not a UTC offset"), "{bad}: {err}");
        assert!(!err.contains('\u{1b}'), "{err}");
    }
}
