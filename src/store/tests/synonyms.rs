//! A deck's own synonyms as the store keeps them: written on sync, an
//! edited list picked up, a bad stored value an error naming its deck, and
//! the migration that added the column. It must never test the examiner.

use super::*;

/// The deck `wood` with its card `a`, written as an earlier kioku wrote
/// them (this build's sync writes columns an older schema lacks).
pub(super) fn one_old_card(store: &Store) {
    let card = serde_json::to_string(
        &crate::deck::parse_deck(&deck_with_synonyms("").read().unwrap())
            .deck
            .unwrap()
            .cards[0],
    )
    .unwrap();
    store
        .conn
        .execute(
            "INSERT INTO decks (id, title, description, origin, file_hash, file_stamp, synced_at)
             VALUES ('wood', 'Wood', NULL, 'wood.toml', 'old', NULL, 0)",
            [],
        )
        .unwrap();
    store
        .conn
        .execute(
            "INSERT INTO cards (deck_id, card_key, note, kind, position, content, content_hash, active, added_at)
             VALUES ('wood', 'a', 'a', 'basic', 0, ?1, ?2, 1, 0)",
            [&card, &super::fingerprint(&[card.as_bytes()])],
        )
        .unwrap();
}

fn deck_with_synonyms(synonyms: &str) -> DeckSource {
    DeckSource::from_text(
        "wood.toml".to_string(),
        format!(
            "format = 1\n[deck]\nid = \"wood\"\ntitle = \"Wood\"\n{synonyms}\n{}",
            basic("a", "Q")
        ),
    )
}

#[test]
fn a_decks_synonyms_are_stored_and_an_edited_list_is_picked_up() {
    let mut store = Store::open_in_memory().unwrap();
    let decks = vec!["wood".to_string()];
    store
        .sync(
            &[deck_with_synonyms("synonyms = [[\"timber\", \"lumber\"]]")],
            now(),
        )
        .unwrap();
    let groups = store.deck_synonyms(&decks).unwrap();
    assert_eq!(groups["wood"], vec![vec!["timber", "lumber"]]);
    // Only the list changed: the file's fingerprint did, so it is read again.
    let r = store
        .sync(
            &[deck_with_synonyms(
                "synonyms = [[\"timber\", \"lumber\"], [\"plank\", \"board\"]]",
            )],
            now(),
        )
        .unwrap();
    assert_eq!((r.parsed, r.cards_updated), (1, 0));
    let groups = store.deck_synonyms(&decks).unwrap();
    assert_eq!(
        groups["wood"],
        vec![vec!["timber", "lumber"], vec!["plank", "board"]]
    );
    // Removed from the file, gone from the database; a deck unknown to it
    // has none either.
    store.sync(&[deck_with_synonyms("")], now()).unwrap();
    let all = vec!["wood".to_string(), "nowhere".to_string()];
    assert!(store.deck_synonyms(&all).unwrap().is_empty());
}

#[test]
fn a_bad_stored_synonyms_value_is_an_error_naming_its_deck() {
    let mut store = Store::open_in_memory().unwrap();
    store.sync(&[deck_with_synonyms("")], now()).unwrap();
    let decks = vec!["wood".to_string()];
    for bad in [
        "not json",
        "[\"timber\", \"lumber\"]",
        "[[\"timber\"]]",
        "[[\"timber\", \"lumber\"], [\"Timber\", \"wood\"]]",
        "[[\"timber\", \"\"]]",
    ] {
        store
            .conn
            .execute("UPDATE decks SET synonyms = ?1 WHERE id = 'wood'", [bad])
            .unwrap();
        let err = store.deck_synonyms(&decks).unwrap_err();
        assert!(matches!(err, StoreError::BadDeck { .. }), "{bad}: {err:?}");
        let message = err.to_string();
        assert!(
            message.starts_with("the stored synonyms of deck `wood` cannot be used ("),
            "{message}"
        );
    }
    let huge = format!("[[\"{}\", \"b\"]]", "a".repeat(1 << 20));
    store
        .conn
        .execute("UPDATE decks SET synonyms = ?1 WHERE id = 'wood'", [&huge])
        .unwrap();
    assert!(store.deck_synonyms(&decks).is_err());
}

/// A version 3 database with a deck in it gains the column, empty, and
/// the deck's file, once it has synonyms, fills it.
#[test]
fn the_synonyms_migration_keeps_the_decks_and_gives_them_none() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let three = Migrations::new(MIGRATION_SLICE[..3].to_vec());
    {
        let conn = Connection::open(&path).unwrap();
        let store =
            Store::prepare_with(conn, path.display().to_string(), &three, 3, now()).unwrap();
        one_old_card(&store);
    }
    let mut store = Store::open(&path, now()).unwrap();
    let decks = vec!["wood".to_string()];
    let stored: String = store
        .conn
        .query_row("SELECT synonyms FROM decks WHERE id = 'wood'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(stored, "[]");
    assert!(store.deck_synonyms(&decks).unwrap().is_empty());
    let r = store
        .sync(
            &[deck_with_synonyms("synonyms = [[\"timber\", \"lumber\"]]")],
            now(),
        )
        .unwrap();
    assert_eq!((r.parsed, r.cards_added, r.cards_updated), (1, 0, 0));
    assert_eq!(
        store.deck_synonyms(&decks).unwrap()["wood"],
        vec![vec!["timber", "lumber"]]
    );
}
