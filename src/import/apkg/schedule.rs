//! What a package says of a learner's study: each card's place in Anki's
//! queues, Anki's review log, and how its collection counts days. Read only
//! when the learner asks for the history; every value is checked for range
//! before it is kept, and the log's length is bounded before it is read.

use super::{bytes, lossy, proto};
use crate::import::{AnkiCard, AnkiReview, Queue, Timing};
use anyhow::{bail, Result};
use rusqlite::Connection;
use std::collections::HashMap;

/// A review log longer than this is refused before it is read: some thirty
/// years of a heavy learner's study.
pub const MAX_REVIEWS: i64 = 10_000_000;

/// The card rows: which note and template each is, the deck it is in, and
/// its place in Anki's queues. `notes` maps Anki's note ids to the notes
/// read; a card of a note not read is left out.
pub(super) fn cards(conn: &Connection, notes: &HashMap<i64, usize>) -> Result<Vec<AnkiCard>> {
    let mut out = Vec::new();
    // A collection written by hand may lack the scheduling columns; they
    // then read as a new card's.
    let mut columns = Vec::new();
    for c in [
        "id", "nid", "did", "ord", "type", "queue", "due", "ivl", "odid", "odue", "flags",
    ] {
        columns.push(if has_column(conn, "cards", c)? {
            c
        } else {
            "0"
        });
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM cards ORDER BY nid, ord, rowid",
        columns.join(", ")
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let int = |i: usize| -> rusqlite::Result<i64> {
            Ok(match row.get_ref(i)? {
                rusqlite::types::ValueRef::Integer(n) => n,
                _ => 0,
            })
        };
        let Some(&note) = notes.get(&int(1)?) else {
            continue;
        };
        let Ok(ord) = u16::try_from(int(3)?) else {
            continue;
        };
        let (odid, odue) = (int(8)?, int(9)?);
        // A card in a filtered deck keeps its own deck and due day aside.
        let (deck, due) = if odid != 0 {
            (odid, odue)
        } else {
            (int(2)?, int(6)?)
        };
        out.push(AnkiCard {
            id: int(0)?,
            note,
            ord,
            deck_id: deck,
            queue: Queue::of(int(4)?, int(5)?, due),
            interval: int(7)?,
            // The low three bits are the colour of the learner's flag.
            flag: (int(10)? & 0b111) as u8,
        });
    }
    Ok(out)
}

/// Anki's review log, oldest first by card, as far as it is well formed:
/// entries with a rating outside 0–4 or a kind Anki does not write are
/// left out and counted.
pub(super) fn revlog(conn: &Connection) -> Result<(Vec<AnkiReview>, usize)> {
    let exists: bool = has_table(conn, "revlog")?;
    if !exists {
        return Ok((Vec::new(), 0));
    }
    let count: i64 = conn.query_row("SELECT count(*) FROM revlog", [], |r| r.get(0))?;
    if count > MAX_REVIEWS {
        bail!(
            "its review log holds {count} entries, more than the {MAX_REVIEWS} kioku reads; \
             export one deck at a time"
        );
    }
    let mut out = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    let mut malformed = 0;
    let mut stmt =
        conn.prepare("SELECT id, cid, ease, ivl, factor, time, type FROM revlog ORDER BY cid, id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let int = |i: usize| -> rusqlite::Result<Option<i64>> {
            Ok(match row.get_ref(i)? {
                rusqlite::types::ValueRef::Integer(n) => Some(n),
                _ => None,
            })
        };
        let (Some(at), Some(card), Some(ease), Some(kind)) = (int(0)?, int(1)?, int(2)?, int(6)?)
        else {
            malformed += 1;
            continue;
        };
        let (Ok(ease), Ok(kind)) = (u8::try_from(ease), u8::try_from(kind)) else {
            malformed += 1;
            continue;
        };
        if ease > 4 || kind > 5 {
            malformed += 1;
            continue;
        }
        out.push(AnkiReview {
            at_ms: at,
            card,
            ease,
            kind,
            interval: int(3)?.unwrap_or(0),
            factor: int(4)?.unwrap_or(0),
            time_ms: int(5)?.unwrap_or(0),
        });
    }
    Ok((out, malformed))
}

/// How the collection counts its days: its creation moment and the offset
/// it was made in, and the hour its day rolls over.
pub(super) fn timing(conn: &Connection, modern: bool) -> Result<Timing> {
    let crt: i64 = conn.query_row("SELECT crt FROM col", [], |r| r.get(0))?;
    let settings: HashMap<String, serde_json::Value> = if modern {
        let mut out = HashMap::new();
        let has_config: bool = has_table(conn, "config")?;
        if has_config {
            let mut stmt = conn.prepare(
                "SELECT key, val FROM config WHERE key IN ('rollover', 'creationOffset')",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let key = lossy(row.get_ref(0)?).0;
                let value = serde_json::from_str(&lossy(row.get_ref(1)?).0).unwrap_or_default();
                out.insert(key, value);
            }
        }
        out
    } else {
        let has: bool = has_column(conn, "col", "conf")?;
        if has {
            let conf =
                conn.query_row("SELECT conf FROM col", [], |r| Ok(lossy(r.get_ref(0)?).0))?;
            serde_json::from_str(&conf).unwrap_or_default()
        } else {
            HashMap::new()
        }
    };
    let rollover = settings
        .get("rollover")
        .and_then(serde_json::Value::as_i64)
        .filter(|h| (0..24).contains(h))
        .unwrap_or(4);
    // Minutes west of UTC, as JavaScript's `getTimezoneOffset` counts them.
    let creation_offset_minutes = settings
        .get("creationOffset")
        .and_then(serde_json::Value::as_i64)
        .filter(|m| m.abs() <= 18 * 60);
    Ok(Timing {
        created_secs: crt,
        creation_west_minutes: creation_offset_minutes,
        rollover_hour: rollover as u32,
    })
}

/// The FSRS-6 parameters of the collection's presets, each set once: in
/// schema 18 field 6 of a preset's settings message (21 packed floats), in
/// schema 11 its `fsrsParams6`. A preset without them (FSRS never fitted)
/// adds nothing.
pub(super) fn fsrs_parameters(conn: &Connection, modern: bool) -> Result<Vec<Vec<f32>>> {
    let mut out: Vec<Vec<f32>> = Vec::new();
    let mut keep = |params: Vec<f32>| {
        if params.len() == 21 && params.iter().all(|p| p.is_finite()) && !out.contains(&params) {
            out.push(params);
        }
    };
    if modern {
        let has: bool = has_table(conn, "deck_config")?;
        if !has {
            return Ok(out);
        }
        let mut stmt = conn.prepare("SELECT config FROM deck_config LIMIT 10000")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            if let Some(packed) = proto::bytes_field(bytes(row.get_ref(0)?), 6) {
                keep(
                    packed
                        .chunks_exact(4)
                        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                        .collect(),
                );
            }
        }
    } else {
        let has: bool = has_column(conn, "col", "dconf")?;
        if !has {
            return Ok(out);
        }
        let json = conn.query_row("SELECT dconf FROM col", [], |r| Ok(lossy(r.get_ref(0)?).0))?;
        let presets: HashMap<String, serde_json::Value> =
            serde_json::from_str(&json).unwrap_or_default();
        for preset in presets.values() {
            if let Some(list) = preset["fsrsParams6"].as_array() {
                keep(
                    list.iter()
                        .filter_map(|v| v.as_f64())
                        .map(|v| v as f32)
                        .collect(),
                );
            }
        }
    }
    Ok(out)
}

/// Whether the collection has a plain table `name` (any case).
fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND lower(name) = ?1)",
        [name],
        |r| r.get(0),
    )
}

/// Whether `table` has a column `name` (any case): a collection written by
/// hand may lack what Anki always writes.
fn has_column(conn: &Connection, table: &str, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE lower(name) = ?2)",
        [table, name],
        |r| r.get(0),
    )
}
