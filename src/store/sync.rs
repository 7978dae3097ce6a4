//! Syncing deck files into the database.
//!
//! Unchanged files are recognised by their fingerprint and skipped without
//! parsing. For a changed file: edited cards keep their id and so their
//! history; cards gone from the file are marked inactive (history kept, out
//! of the queue); cards that come back are active again with their memory.

use super::{fingerprint, ms, Result, Store, StoreError};
use crate::deck::{parse_deck, Deck, DeckSource, ParseOutcome};
use crate::types::CardRowId;
use chrono::{DateTime, Utc};
use rusqlite::{params, Transaction};
use std::collections::{HashMap, HashSet};
use std::sync::mpsc::SyncSender;

/// Bump when parsing changes what a file means, so every file is read again.
const PARSER_VERSION: &[u8] = b"kioku-deck-parser-1";

/// A deck that is in this run's deck set.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncedDeck {
    pub id: String,
    pub title: String,
    pub origin: String,
}

/// What a sync did, and what was wrong with the files it skipped.
#[derive(Debug, Default)]
pub struct SyncReport {
    pub decks: Vec<SyncedDeck>,
    /// One rendered message per problem, located (`file:line:col: error: ...`).
    pub problems: Vec<String>,
    pub unchanged: usize,
    pub parsed: usize,
    pub cards_added: usize,
    pub cards_updated: usize,
    pub cards_removed: usize,
    pub cards_restored: usize,
}

/// What the reader thread sends for each file it opened: the text, its
/// fingerprint, and the parse unless the fingerprint is the one stored.
type Opened<'a> = std::result::Result<
    (std::borrow::Cow<'a, str>, String, Option<ParseOutcome>),
    crate::deck::LoadError,
>;

/// A card row as a sync finds it: row id, content fingerprint, position and
/// whether it is active, by card id.
type Existing = HashMap<String, (CardRowId, String, i64, bool)>;

impl Store {
    /// Brings the database in line with `sources`, in one transaction.
    ///
    /// Files that changed are read and parsed on a second thread, one file
    /// ahead of the writes, so that a first sync of many files parses and
    /// writes at once.
    pub fn sync(&mut self, sources: &[DeckSource], now: DateTime<Utc>) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        let mut claimed: HashMap<String, String> = HashMap::new();
        let tx = self.write()?;
        let known = known_decks(&tx)?;
        // Same size and modification time: not even read.
        let stamped = |source: &DeckSource| match (&source.stamp, known.get(&source.origin)) {
            (Some(stamp), Some(k)) => k.stamp.as_ref() == Some(stamp),
            _ => false,
        };
        std::thread::scope(|scope| -> Result<()> {
            let (send, read) = std::sync::mpsc::sync_channel(1);
            let (known, stamped) = (&known, &stamped);
            scope.spawn(move || read_changed(sources.iter().filter(|s| !stamped(s)), known, send));
            for source in sources {
                if stamped(source) {
                    keep_unchanged(source, &known[&source.origin], &mut claimed, &mut report);
                    continue;
                }
                let (text, hash, outcome) =
                    match read.recv().expect("the reader sends one result a file") {
                        Ok(opened) => opened,
                        Err(e) => {
                            report
                                .problems
                                .push(format!("{}: error: {e}", source.origin));
                            continue;
                        }
                    };
                let Some(outcome) = outcome else {
                    tx.execute(
                        "UPDATE decks SET file_stamp = ?2 WHERE origin = ?1",
                        (&source.origin, &source.stamp),
                    )?;
                    keep_unchanged(source, &known[&source.origin], &mut claimed, &mut report);
                    continue;
                };
                report.problems.extend(
                    outcome
                        .errors()
                        .map(|d| d.display(&source.origin).to_string()),
                );
                let Some(deck) = outcome.deck else {
                    continue;
                };
                if let Some(first) = claimed.get(&deck.id) {
                    report
                        .problems
                        .push(duplicate_deck(source, &text, &deck.id, first));
                    continue;
                }
                claimed.insert(deck.id.clone(), source.origin.clone());
                report.parsed += 1;
                upsert_deck(&tx, &deck, source, &hash, now)?;
                // A card that appears on several syncs keeps its row and so its history.
                let existing = existing_cards(&tx, &deck.id)?;
                let present = upsert_cards(&tx, &deck, &existing, now, &mut report)?;
                retire_missing(&tx, &existing, &present, &mut report)?;
                report.decks.push(SyncedDeck {
                    id: deck.id,
                    title: deck.title,
                    origin: source.origin.clone(),
                });
            }
            Ok(())
        })?;
        tx.commit()?;
        Ok(report)
    }
}

/// The most bytes a deck's stored `synonyms` may take: what the deck
/// format allows, with room for JSON's quoting.
const MAX_SYNONYMS_BYTES: usize =
    crate::deck::MAX_SYNONYM_NAMES * (crate::deck::MAX_SYNONYM_CHARS * 4 + 8) + 64;

/// Groups of names for one thing, by deck.
pub type DeckSynonyms = HashMap<String, Vec<Vec<String>>>;

impl Store {
    /// The `synonyms` of each of `decks` that has any, as its file had them
    /// at the last sync. A stored value is checked as the deck parser would
    /// have: one that does not decode or breaks a rule is an error naming
    /// its deck.
    pub fn deck_synonyms(&self, decks: &[String]) -> Result<DeckSynonyms> {
        let mut read = self
            .conn
            .prepare_cached("SELECT synonyms FROM decks WHERE id = ?1")?;
        let mut out = DeckSynonyms::new();
        for deck in decks {
            let stored: Option<String> =
                read.query_row([deck], |r| r.get(0))
                    .map(Some)
                    .or_else(|e| match e {
                        rusqlite::Error::QueryReturnedNoRows => Ok(None),
                        e => Err(e),
                    })?;
            let Some(stored) = stored else { continue };
            let groups = decode_synonyms(&stored).map_err(|detail| StoreError::BadDeck {
                deck: deck.clone(),
                detail,
            })?;
            if !groups.is_empty() {
                out.insert(deck.clone(), groups);
            }
        }
        Ok(out)
    }
}

/// A deck's stored `synonyms`, read and checked.
fn decode_synonyms(stored: &str) -> std::result::Result<Vec<Vec<String>>, String> {
    if stored.len() > MAX_SYNONYMS_BYTES {
        return Err(format!("{} bytes, more than a deck can hold", stored.len()));
    }
    let groups: Vec<Vec<String>> = serde_json::from_str(stored).map_err(|e| e.to_string())?;
    crate::deck::check_synonyms(&groups)?;
    Ok(groups)
}

/// The deck files the database has seen, by origin.
fn known_decks(tx: &Transaction<'_>) -> Result<HashMap<String, Known>> {
    Ok(tx
        .prepare_cached("SELECT origin, id, title, file_hash, file_stamp FROM decks")?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                Known {
                    id: r.get(1)?,
                    title: r.get(2)?,
                    hash: r.get(3)?,
                    stamp: r.get(4)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The reader thread: opens each file in turn and parses it unless its
/// fingerprint says it is the file already stored.
fn read_changed<'a>(
    sources: impl Iterator<Item = &'a DeckSource>,
    known: &HashMap<String, Known>,
    send: SyncSender<Opened<'a>>,
) {
    for source in sources {
        let opened = source.read().map(|text| {
            let hash = fingerprint(&[PARSER_VERSION, text.as_bytes()]);
            // Touched but not changed: no parse.
            let same = known.get(&source.origin).is_some_and(|k| k.hash == hash);
            let outcome = (!same).then(|| parse_deck(&text));
            (text, hash, outcome)
        });
        if send.send(opened).is_err() {
            break; // the writer stopped on an error
        }
    }
}

/// A file whose deck is stored as it is: in this run's set, unless another
/// file already claimed its id.
fn keep_unchanged(
    source: &DeckSource,
    k: &Known,
    claimed: &mut HashMap<String, String>,
    report: &mut SyncReport,
) {
    if let Some(first) = claimed.get(&k.id) {
        let text = source.read().unwrap_or_default();
        report
            .problems
            .push(duplicate_deck(source, &text, &k.id, first));
    } else {
        claimed.insert(k.id.clone(), source.origin.clone());
        report.unchanged += 1;
        report.decks.push(SyncedDeck {
            id: k.id.clone(),
            title: k.title.clone(),
            origin: source.origin.clone(),
        });
    }
}

fn upsert_deck(
    tx: &Transaction<'_>,
    deck: &Deck,
    source: &DeckSource,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let synonyms = serde_json::to_string(&deck.synonyms)?;
    tx.execute(
        "INSERT INTO decks (id, title, description, origin, file_hash, file_stamp, synced_at, synonyms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, description = excluded.description,
           origin = excluded.origin, file_hash = excluded.file_hash, file_stamp = excluded.file_stamp,
           synced_at = excluded.synced_at, synonyms = excluded.synonyms",
        params![deck.id, deck.title, deck.description, source.origin, hash, source.stamp, ms(now), synonyms],
    )?;
    Ok(())
}

fn existing_cards(tx: &Transaction<'_>, deck_id: &str) -> Result<Existing> {
    Ok(tx
        .prepare_cached(
            "SELECT card_key, id, content_hash, position, active FROM cards WHERE deck_id = ?1",
        )?
        .query_map([deck_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, bool>(4)?),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Writes the deck's cards: new ones added, changed, moved or returning
/// ones updated in their row. Returns the ids the file holds.
fn upsert_cards<'d>(
    tx: &Transaction<'_>,
    deck: &'d Deck,
    existing: &Existing,
    now: DateTime<Utc>,
    report: &mut SyncReport,
) -> Result<HashSet<&'d str>> {
    let mut present = HashSet::with_capacity(deck.cards.len());
    let mut added = 0;
    let mut insert = tx.prepare_cached(
        "INSERT INTO cards (deck_id, card_key, note, kind, position, content, content_hash, active, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE cards SET note = ?2, kind = ?3, position = ?4, content = ?5, content_hash = ?6, active = 1 WHERE id = ?1",
    )?;
    for (position, card) in deck.cards.iter().enumerate() {
        let content = serde_json::to_string(card)?;
        let content_hash = fingerprint(&[content.as_bytes()]);
        let position = position as i64;
        present.insert(card.id.as_str());
        match existing.get(&card.id) {
            None => {
                insert.execute(params![
                    deck.id,
                    card.id,
                    card.note,
                    card.kind.type_name(),
                    position,
                    content,
                    content_hash,
                    ms(now)
                ])?;
                added += 1;
            }
            Some((row, old_hash, old_position, active)) => {
                if old_hash != &content_hash || old_position != &position || !active {
                    update.execute(params![
                        row,
                        card.note,
                        card.kind.type_name(),
                        position,
                        content,
                        content_hash
                    ])?;
                    if !active {
                        report.cards_restored += 1;
                    } else if old_hash != &content_hash {
                        report.cards_updated += 1;
                    }
                }
            }
        }
    }
    if added > 0 {
        // New cards are active and never studied: what the deck's counts
        // gain, added once for the file (no trigger counts inserts).
        tx.prepare_cached(
            "INSERT INTO deck_cards (deck_id, active, unstudied) VALUES (?1, ?2, ?2)
             ON CONFLICT (deck_id) DO UPDATE SET
               active = active + excluded.active, unstudied = unstudied + excluded.unstudied",
        )?
        .execute(params![deck.id, added as i64])?;
        report.cards_added += added;
    }
    Ok(present)
}

/// Marks inactive the cards gone from the file; their history stays.
fn retire_missing(
    tx: &Transaction<'_>,
    existing: &Existing,
    present: &HashSet<&str>,
    report: &mut SyncReport,
) -> Result<()> {
    let mut retire = tx.prepare_cached("UPDATE cards SET active = 0 WHERE id = ?1")?;
    for (key, (row, _, _, active)) in existing {
        if *active && !present.contains(key.as_str()) {
            retire.execute([row])?;
            report.cards_removed += 1;
        }
    }
    Ok(())
}

/// What the database holds of a deck file.
struct Known {
    id: String,
    title: String,
    hash: String,
    stamp: Option<String>,
}

fn duplicate_deck(source: &DeckSource, text: &str, id: &str, first: &str) -> String {
    // Point at the `id = ...` line of the [deck] table.
    let deck_at = text.find("[deck]").unwrap_or(0);
    let id_at = text[deck_at..]
        .match_indices("id")
        .map(|(i, _)| deck_at + i)
        .find(|&i| i == 0 || text.as_bytes()[i - 1] == b'\n')
        .unwrap_or(0);
    let (line, col) = crate::deck::line_col(text, id_at);
    format!(
        "{}:{line}:{col}: error: deck id `{id}` is already used by {first}\n  hint: give this deck its own `id` in [deck]; this file was skipped",
        source.origin
    )
}
