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

#[test]
fn retention_ranges_read_as_written() {
    let one = retentions("0.9").unwrap();
    assert_eq!(one.points(), vec![0.9]);
    let all = retentions("0.70..0.99").unwrap();
    let points = all.points();
    assert_eq!(points.len(), 30);
    assert_eq!((points[0], points[1], points[29]), (0.7, 0.71, 0.99));
    // The end is kept when the step does not land on it.
    let coarse = retentions(" 0.70..0.99/0.05 ").unwrap().points();
    assert_eq!(coarse, vec![0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99]);
    assert_eq!(
        retentions("0.80..0.95/0.05").unwrap().points(),
        vec![0.8, 0.85, 0.9, 0.95]
    );
    assert_eq!(retentions("0.8..0.81").unwrap().points(), vec![0.8, 0.81]);
}

#[test]
fn retention_ranges_refused_say_why() {
    for (bad, says) in [
        ("0.5", "outside 0.70..0.99"),
        ("1", "outside 0.70..0.99"),
        (
            "90",
            "looks like a percentage; write it as a fraction, 0.90",
        ),
        ("0.6..0.9", "the range's start 0.6 is outside"),
        ("0.8..1.2", "the range's end 1.2 is outside"),
        ("0.9..0.8", "write the lower retention first, 0.8..0.9"),
        ("0.9..0.9", "for one retention write just 0.9"),
        ("0.8..0.9/0", "must be more than 0"),
        ("0.8..0.9/-0.01", "must be more than 0"),
        ("0.8..0.9/0.001", "finer than 0.01"),
        ("0.8..0.9/0.2", "wider than the range itself (0.10)"),
        ("0.9/0.01", "a step needs a range before it"),
        ("lots", "\"lots\" is not a number"),
        ("NaN", "is not a number"),
        ("0.8..", "the range's end \"\" is not a number"),
        ("0.8..0.9/x", "the step \"x\" is not a number"),
        ("\u{1b}[2J", "is not a number"),
    ] {
        let err = retentions(bad).unwrap_err();
        assert!(err.contains(says), "{bad}: {err}");
        assert!(!err.contains('\u{1b}'), "{err}");
    }
}
