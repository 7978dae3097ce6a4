//! Anki packages (`.apkg`, `.colpkg`): a zip holding an SQLite collection.
//!
//! - Anki 2.1.50 and later write `collection.anki21b`, compressed with zstd,
//!   in schema 18: note types in `notetypes`, `fields` and `templates`, with
//!   their settings as protobuf; deck names split by `\x1f`. Beside it they
//!   put a stub `collection.anki2` that only says to update Anki.
//! - Older Anki, and Anki's "legacy" export, write `collection.anki21` (or
//!   `collection.anki2`, as genanki does) in schema 11: note types and decks
//!   as JSON in the `col` table.
//!
//! The newest collection in the package is read, in memory, read-only.

mod proto;
mod schedule;

use super::{Imported, Note, NoteType, Template};
use anyhow::{anyhow, bail, Context as _, Result};
use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::time::{Duration, Instant};

/// No package larger than this is opened.
pub const MAX_PACKAGE: u64 = 1 << 30;

/// No collection kioku will open is larger than this, once unpacked.
const MAX_COLLECTION: u64 = 1 << 30;

/// No single value in the collection may be longer than this: a note's
/// fields together, a note type's JSON. Real ones are far smaller.
const MAX_VALUE: i32 = 64 << 20;

/// Reading a collection stops after this long. A real one of a million
/// notes is read in seconds; only one built never to end takes longer.
const DEADLINE: Duration = Duration::from_secs(120);

/// More notes than this are more than one deck file could hold (it holds
/// at most [`crate::deck::MAX_CARDS`] cards): they are refused before any is
/// read, with advice.
const MAX_NOTES: i64 = crate::deck::MAX_CARDS as i64;

/// A note with more fields than this is not one a learner made.
const MAX_FIELDS: usize = 1000;

/// A note type with more card templates than this, or a template longer
/// than [`MAX_TEMPLATE`], is not one a learner made.
const MAX_TEMPLATES: usize = 100;
const MAX_TEMPLATE: usize = 1 << 20;

/// The tables kioku reads; each must be a plain table, not a view. The
/// review log and `config` are read only for the history, and may be absent.
const TABLES: [&str; 9] = [
    "notes",
    "cards",
    "col",
    "notetypes",
    "fields",
    "templates",
    "decks",
    "revlog",
    "config",
];

/// Reads the package at `path`. Every error is a plain message that names
/// the package: none carries an SQLite error, which would be taken for a
/// fault of the learner's own database.
pub fn read(path: &Path, history: bool) -> Result<Imported> {
    let shown = crate::text::path(path);
    read_package(path, history).map_err(|e| anyhow!("{shown}: {}", plain(&e)))
}

fn read_package(path: &Path, history: bool) -> Result<Imported> {
    let (file, _) = crate::files::open_input(path, MAX_PACKAGE)?;
    let mut zip = zip::ZipArchive::new(file).context("not a readable Anki package (zip)")?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let (name, format) = [
        ("collection.anki21b", "an Anki package (collection.anki21b)"),
        ("collection.anki21", "an Anki package (collection.anki21)"),
        ("collection.anki2", "an Anki package (collection.anki2)"),
    ]
    .into_iter()
    .find(|(n, _)| names.iter().any(|m| m == n))
    .ok_or_else(|| {
        anyhow!(
            "no Anki collection in the package (it holds {})",
            crate::text::quote(&names.join(", "))
        )
    })?;
    let conn = unpack(&mut zip, name)?;
    let mut imported = read_collection(&conn, history, Instant::now() + DEADLINE)
        .with_context(|| format!("cannot read the collection {name}"))?;
    imported.format = format;
    Ok(imported)
}

/// The collection, unpacked straight into SQLite's memory: it is held
/// once, never as a second copy beside the database.
fn unpack(zip: &mut zip::ZipArchive<File>, name: &str) -> Result<Connection> {
    let (declared, compressed) = {
        let entry = zip
            .by_name(name)
            .with_context(|| format!("cannot read {name}"))?;
        (entry.size(), entry.compressed_size())
    };
    if declared > MAX_COLLECTION {
        bail!(
            "the collection is {} MB; kioku imports up to {} MB",
            declared >> 20,
            MAX_COLLECTION >> 20
        );
    }
    if declared > most_unpacked(compressed) {
        bail!(
            "{name} would unpack to {} MB from {} KB: a zip bomb, not a collection",
            declared >> 20,
            compressed >> 10
        );
    }
    if name.ends_with('b') {
        // zstd does not always say how large the output is: a first pass
        // counts it, and the second writes it where SQLite will read it.
        // The count stops as soon as the output outgrows what a real
        // collection of this compressed size could be.
        let most = most_unpacked(declared).min(MAX_COLLECTION);
        let size = io::copy(
            &mut zstd(zip.by_name(name)?)?.take(most + 1),
            &mut io::sink(),
        )
        // The decoder's error repeats itself down its chain, in its own
        // debugging terms; what the learner needs is what it means.
        .map_err(|_| anyhow!("cannot decompress {name}: its zstd data is cut short or damaged"))?;
        if size > MAX_COLLECTION {
            bail!(
                "the collection is over {} MB; kioku imports up to that",
                MAX_COLLECTION >> 20
            );
        }
        if size > most {
            bail!(
                "{name} unpacks to over {} MB from {} KB: a zstd bomb, not a collection",
                most >> 20,
                declared >> 10
            );
        }
        open(zstd(zip.by_name(name)?)?, size)
    } else {
        open(zip.by_name(name)?, declared)
    }
    .with_context(|| format!("{name} is not an SQLite collection"))
}

/// The most a collection of `compressed` bytes can unpack to: a real one
/// compresses some ten times, an empty one a few hundred; a thousand times
/// and 64 MB more is room for any of them, and far less than a bomb makes.
fn most_unpacked(compressed: u64) -> u64 {
    compressed.saturating_mul(1000).saturating_add(64 << 20)
}

fn zstd<R: Read>(compressed: R) -> Result<impl Read> {
    ruzstd::decoding::StreamingDecoder::new(compressed)
        .map_err(|_| anyhow!("cannot decompress the collection: it does not start as zstd data"))
}

/// The database image of `size` bytes in `image`, read into SQLite's own
/// memory and opened read-only, with limits on what a query may cost.
fn open(mut image: impl Read, size: u64) -> Result<Connection> {
    let mut head = [0u8; 100];
    if size < head.len() as u64 || image.read_exact(&mut head).is_err() {
        bail!("no SQLite header");
    }
    if !head.starts_with(b"SQLite format 3\0") {
        bail!("no SQLite header");
    }
    // An image in WAL mode cannot be opened from memory; its pages are
    // the same in rollback mode.
    head[18] = 1;
    head[19] = 1;
    let mut conn = Connection::open_with_flags(
        ":memory:",
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // A stranger's schema is trusted with nothing: no trigger or view runs,
    // no function a view or index names runs unless it is harmless, and the
    // file cannot be written through SQLite's back doors.
    for (setting, on) in [
        (DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true),
        (DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false),
        (DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false),
        (DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false),
    ] {
        conn.set_db_config(setting, on)?;
    }
    let size = usize::try_from(size)?;
    conn.deserialize_read_exact(
        rusqlite::MAIN_DB,
        io::Cursor::new(head).chain(image),
        size,
        true,
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::OutOfMemory) => {
            anyhow!("there is not enough memory to open it ({} MB)", size >> 20)
        }
        _ => anyhow!("cannot unpack it: {}", sqlite_message(&e)),
    })?;
    // Sorts stay in memory rather than in the system's temporary folder,
    // and no string or blob may outgrow a sane size.
    conn.execute_batch("PRAGMA temp_store = MEMORY")?;
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE)?;
    // Anki's schema 18 orders names with its own collation; without it
    // SQLite cannot plan a query on those tables.
    conn.create_collation("unicase", |a, b| {
        a.chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase))
    })?;
    Ok(conn)
}

/// Everything kioku takes from an open collection, read by `deadline`;
/// the review log too when `history` is asked for.
fn read_collection(conn: &Connection, history: bool, deadline: Instant) -> Result<Imported> {
    conn.progress_handler(10_000, Some(move || Instant::now() > deadline))?;
    let modern = check_tables(conn)?;
    let (note_types, ids) = if modern {
        note_types_18(conn)
    } else {
        note_types_11(conn)
    }
    .context("cannot read the note types")?;
    let decks = if modern {
        decks_18(conn)
    } else {
        decks_11(conn)
    }
    .context("cannot read the decks")?;
    let mut imported = Imported::new("an Anki package", note_types);
    let note_ids = notes(conn, &ids, &decks, &mut imported).context("cannot read the notes")?;
    imported.cards = schedule::cards(conn, &note_ids).context("cannot read the cards")?;
    imported.decks = decks;
    if history {
        let (revlog, malformed) = schedule::revlog(conn).context("cannot read the review log")?;
        imported.revlog = revlog;
        imported.malformed_reviews = malformed;
        imported.timing =
            Some(schedule::timing(conn, modern).context("cannot read how it counts days")?);
        imported.fsrs_parameters = schedule::fsrs_parameters(conn, modern)
            .context("cannot read the FSRS parameters of its presets")?;
    }
    conn.progress_handler(0, None::<fn() -> bool>)?;
    Ok(imported)
}

/// Refuses a collection in which a table kioku reads is a view or a
/// virtual table (which could compute rows without end), or is missing.
/// Returns whether it is in schema 18.
fn check_tables(conn: &Connection) -> Result<bool> {
    let mut kinds: HashMap<String, (String, String)> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT lower(name), type, coalesce(sql, '') FROM sqlite_master
         WHERE lower(name) IN ('notes', 'cards', 'col', 'notetypes', 'fields', 'templates', 'decks',
                               'revlog', 'config')",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        kinds.insert(row.get(0)?, (row.get(1)?, row.get(2)?));
    }
    for (name, (kind, sql)) in &kinds {
        let plain = kind == "table"
            && !sql
                .trim_start()
                .get(..14)
                .is_some_and(|s| s.eq_ignore_ascii_case("create virtual"));
        if !plain {
            let what = if kind == "table" {
                "virtual table"
            } else {
                kind
            };
            bail!(
                "its `{name}` is a {}, not a table; kioku reads only plain tables",
                crate::text::quote(what)
            );
        }
    }
    let modern = kinds.contains_key("notetypes");
    let needed: &[&str] = if modern {
        &[
            "notes",
            "cards",
            "notetypes",
            "fields",
            "templates",
            "decks",
        ]
    } else {
        &["notes", "cards", "col"]
    };
    if let Some(missing) = needed.iter().find(|t| !kinds.contains_key(**t)) {
        bail!("it has no `{missing}` table; it is not an Anki collection");
    }
    debug_assert!(needed.iter().all(|t| TABLES.contains(t)));
    Ok(modern)
}

/// A value read as text, whatever its type; `true` when bytes that were
/// not UTF-8 had to be replaced.
fn lossy(value: ValueRef<'_>) -> (String, bool) {
    match value {
        ValueRef::Text(b) | ValueRef::Blob(b) => match std::str::from_utf8(b) {
            Ok(s) => (s.to_string(), false),
            Err(_) => (String::from_utf8_lossy(b).into_owned(), true),
        },
        ValueRef::Integer(n) => (n.to_string(), false),
        ValueRef::Real(x) => (x.to_string(), false),
        ValueRef::Null => (String::new(), false),
    }
}

/// A text or blob value's bytes; nothing for any other type.
fn bytes(value: ValueRef<'_>) -> &[u8] {
    match value {
        ValueRef::Text(b) | ValueRef::Blob(b) => b,
        _ => &[],
    }
}

/// Why a note type's templates are more than kioku reads, if they are.
fn too_many(templates: &[Template], more: bool) -> Option<&'static str> {
    if more || templates.len() > MAX_TEMPLATES {
        Some("a note type with more than 100 card templates")
    } else if templates
        .iter()
        .any(|t| t.front.len() > MAX_TEMPLATE || t.back.len() > MAX_TEMPLATE)
    {
        Some("a note type with a card template over 1 MB")
    } else {
        None
    }
}

/// Schema 11: note types are JSON in `col.models`.
fn note_types_11(conn: &Connection) -> Result<(Vec<NoteType>, HashMap<i64, usize>)> {
    let json: String =
        conn.query_row("SELECT models FROM col", [], |r| Ok(lossy(r.get_ref(0)?).0))?;
    let models: HashMap<String, serde_json::Value> = serde_json::from_str(&json)?;
    let mut out = Vec::new();
    let mut ids = HashMap::new();
    for (id, m) in models {
        let by_ord = |key: &str, most: usize| -> Vec<serde_json::Value> {
            let mut items: Vec<serde_json::Value> = m[key]
                .as_array()
                .map(|a| a.iter().take(most).cloned().collect())
                .unwrap_or_default();
            items.sort_by_key(|f| f["ord"].as_i64().unwrap_or(0));
            items
        };
        let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or("").to_string();
        let templates: Vec<Template> = by_ord("tmpls", MAX_TEMPLATES + 1)
            .iter()
            .map(|t| Template {
                name: text(t, "name"),
                front: text(t, "qfmt"),
                back: text(t, "afmt"),
            })
            .collect();
        ids.insert(id.parse::<i64>().unwrap_or_default(), out.len());
        out.push(NoteType {
            name: text(&m, "name"),
            cloze: m["type"].as_i64() == Some(1),
            fields: by_ord("flds", usize::MAX)
                .iter()
                .map(|f| text(f, "name"))
                .collect(),
            unusable: too_many(&templates, false),
            templates,
        });
    }
    Ok((out, ids))
}

/// Schema 18: note types in their own tables, settings as protobuf. Each
/// table is read once, whatever indexes the collection has.
fn note_types_18(conn: &Connection) -> Result<(Vec<NoteType>, HashMap<i64, usize>)> {
    let mut fields: HashMap<i64, Vec<String>> = HashMap::new();
    let mut stmt = conn.prepare("SELECT ntid, name FROM fields ORDER BY ntid, ord")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let name = lossy(row.get_ref(1)?).0;
        fields.entry(row.get(0)?).or_default().push(name);
    }
    let mut templates: HashMap<i64, (Vec<Template>, bool)> = HashMap::new();
    let mut stmt = conn.prepare("SELECT ntid, name, config FROM templates ORDER BY ntid, ord")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (list, more) = templates.entry(row.get(0)?).or_default();
        if list.len() >= MAX_TEMPLATES {
            *more = true;
            continue;
        }
        // TemplateConfig: 1 is the front's format, 2 the back's.
        let config = bytes(row.get_ref(2)?);
        list.push(Template {
            name: lossy(row.get_ref(1)?).0,
            front: proto::string_field(config, 1).unwrap_or_default(),
            back: proto::string_field(config, 2).unwrap_or_default(),
        });
    }
    let mut out = Vec::new();
    let mut ids = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, name, config FROM notetypes ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        // NotetypeConfig field 1 is the kind: 0 normal, 1 cloze.
        let config = bytes(row.get_ref(2)?);
        let (templates, more) = templates.remove(&id).unwrap_or_default();
        ids.insert(id, out.len());
        out.push(NoteType {
            name: lossy(row.get_ref(1)?).0,
            cloze: proto::varint_field(config, 1) == Some(1),
            fields: fields.remove(&id).unwrap_or_default(),
            unusable: too_many(&templates, more),
            templates,
        });
    }
    Ok((out, ids))
}

fn decks_11(conn: &Connection) -> Result<HashMap<i64, String>> {
    let json: String =
        conn.query_row("SELECT decks FROM col", [], |r| Ok(lossy(r.get_ref(0)?).0))?;
    let decks: HashMap<String, serde_json::Value> = serde_json::from_str(&json)?;
    Ok(decks
        .into_iter()
        .filter_map(|(id, d)| Some((id.parse().ok()?, d["name"].as_str()?.to_string())))
        .collect())
}

fn decks_18(conn: &Connection) -> Result<HashMap<i64, String>> {
    let mut out = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, name FROM decks")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let name = lossy(row.get_ref(1)?).0.replace('\u{1f}', "::");
        out.insert(row.get(0)?, name);
    }
    Ok(out)
}

/// The notes, each with the deck of its first card; returns where each of
/// Anki's note ids went. The cards are read in one pass rather than looked
/// up per note, which without Anki's index on `cards.nid` would read the
/// whole table once for every note.
fn notes(
    conn: &Connection,
    types: &HashMap<i64, usize>,
    decks: &HashMap<i64, String>,
    imported: &mut Imported,
) -> Result<HashMap<i64, usize>> {
    let count: i64 = conn.query_row("SELECT count(*) FROM notes", [], |r| r.get(0))?;
    if count > MAX_NOTES {
        bail!(
            "it holds {count} notes, and kioku imports up to {MAX_NOTES} at a time; \
             export one deck at a time"
        );
    }
    let mut ids = HashMap::new();
    let mut first_card: HashMap<i64, (i64, i64)> = HashMap::new();
    let mut stmt = conn.prepare("SELECT nid, ord, did FROM cards")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (nid, ord, did): (i64, i64, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
        let first = first_card.entry(nid).or_insert((ord, did));
        if ord < first.0 {
            *first = (ord, did);
        }
    }
    let mut stmt = conn.prepare("SELECT id, mid, flds, tags FROM notes ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (id, mid): (i64, i64) = (row.get(0)?, row.get(1)?);
        let Some(&note_type) = types.get(&mid) else {
            imported
                .skips
                .add("a note whose note type the collection does not define");
            continue;
        };
        let (fields, bad_fields) = lossy(row.get_ref(2)?);
        let (tags, bad_tags) = lossy(row.get_ref(3)?);
        if bad_fields || bad_tags {
            imported.notices.push(format!(
                "note {id} (`{}`) was not valid UTF-8; the bad bytes are shown as �",
                crate::text::quote(fields.split('\u{1f}').next().unwrap_or(""))
            ));
        }
        let fields: Vec<String> = fields.split('\u{1f}').map(str::to_string).collect();
        if fields.len() > MAX_FIELDS {
            imported.skips.add("a note with more than 1,000 fields");
            continue;
        }
        ids.insert(id, imported.notes.len());
        imported.notes.push(Note {
            note_type,
            fields,
            tags: tags.split_whitespace().map(str::to_string).collect(),
            deck: first_card.get(&id).and_then(|(_, d)| decks.get(d).cloned()),
        });
    }
    Ok(ids)
}

/// An error as one plain sentence: the causes joined, SQLite's own text
/// given once (its error repeats it as its cause).
fn plain(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        if let Some(sqlite) = cause.downcast_ref::<rusqlite::Error>() {
            parts.push(sqlite_message(sqlite));
            break;
        }
        parts.push(crate::text::quote_to(&cause.to_string(), 200));
    }
    parts.join(": ")
}

fn sqlite_message(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::OperationInterrupted) => format!(
            "reading it took more than {} seconds; it may be built never to end",
            DEADLINE.as_secs()
        ),
        Some(C::DatabaseCorrupt | C::NotADatabase) => {
            "it is damaged (its SQLite pages do not read back)".to_string()
        }
        Some(C::OutOfMemory) => "there is not enough memory to read it".to_string(),
        Some(C::TooBig) => format!(
            "it holds a value over {} MB, more than any note needs",
            MAX_VALUE >> 20
        ),
        _ => match e {
            rusqlite::Error::SqliteFailure(_, Some(m)) => crate::text::quote(m),
            e => crate::text::quote(&e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn h5_reading_stops_at_the_deadline_with_a_plain_message() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE col (models TEXT, decks TEXT);
             INSERT INTO col VALUES ('{}', '{}');
             CREATE TABLE notes (id INTEGER PRIMARY KEY, mid, flds, tags);
             CREATE TABLE cards (nid, did, ord);
             WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r LIMIT 50000)
             INSERT INTO cards SELECT i, 1, 0 FROM r;",
        )
        .unwrap();
        let err = read_collection(&conn, false, Instant::now()).unwrap_err();
        let message = plain(&err);
        assert!(
            message.contains("it may be built never to end"),
            "{message}"
        );
        assert!(!message.contains("Error code"), "{message}");
    }
}
