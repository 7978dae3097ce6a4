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

use super::{Imported, Note, NoteType, Template};
use anyhow::{anyhow, bail, Context as _, Result};
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// No collection kioku will open is larger than this.
const MAX_COLLECTION: u64 = 1 << 30;

pub fn read(path: &Path, bytes: &[u8]) -> Result<Imported> {
    let shown = path.display();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .with_context(|| format!("{shown}: not a readable Anki package (zip)"))?;
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
            "{shown}: no Anki collection in the package (it holds {})",
            names.join(", ")
        )
    })?;

    let mut entry = zip
        .by_name(name)
        .with_context(|| format!("{shown}: cannot read {name}"))?;
    if entry.size() > MAX_COLLECTION {
        bail!(
            "{shown}: the collection is {} MB; kioku imports up to 1024 MB",
            entry.size() >> 20
        );
    }
    let mut data = Vec::with_capacity(entry.size() as usize);
    entry
        .by_ref()
        .take(MAX_COLLECTION + 1)
        .read_to_end(&mut data)
        .with_context(|| format!("{shown}: cannot unpack {name}"))?;
    drop(entry);
    if name.ends_with('b') {
        data = unzstd(&data).with_context(|| format!("{shown}: cannot decompress {name}"))?;
    }
    let conn =
        open(data).with_context(|| format!("{shown}: {name} is not an SQLite collection"))?;
    let modern = conn
        .prepare("SELECT 1 FROM sqlite_master WHERE name = 'notetypes'")?
        .exists([])?;
    let (note_types, ids) = if modern {
        note_types_18(&conn)
    } else {
        note_types_11(&conn)
    }
    .with_context(|| format!("{shown}: cannot read the note types of {name}"))?;
    let decks = if modern {
        decks_18(&conn)
    } else {
        decks_11(&conn)
    }
    .with_context(|| format!("{shown}: cannot read the decks of {name}"))?;
    let notes = notes(&conn, &ids, &decks)
        .with_context(|| format!("{shown}: cannot read the notes of {name}"))?;
    Ok(Imported {
        format,
        note_types,
        notes,
    })
}

fn unzstd(data: &[u8]) -> Result<Vec<u8>> {
    let decoder = ruzstd::decoding::StreamingDecoder::new(data).map_err(|e| anyhow!("{e}"))?;
    let mut out = Vec::new();
    decoder.take(MAX_COLLECTION + 1).read_to_end(&mut out)?;
    if out.len() as u64 > MAX_COLLECTION {
        bail!("the collection is over 1024 MB");
    }
    Ok(out)
}

/// The database image opened in memory, read-only.
fn open(mut data: Vec<u8>) -> Result<Connection> {
    if !data.starts_with(b"SQLite format 3\0") || data.len() < 100 {
        bail!("no SQLite header");
    }
    // An image in WAL mode cannot be opened from memory; its pages are
    // the same in rollback mode.
    data[18] = 1;
    data[19] = 1;
    let mut conn = Connection::open_with_flags(
        ":memory:",
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let len = data.len();
    conn.deserialize_read_exact(rusqlite::MAIN_DB, &data[..], len, true)?;
    // Anki's schema 18 orders names with its own collation; without it
    // SQLite cannot plan a query on those tables.
    conn.create_collation("unicase", |a, b| {
        a.chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase))
    })?;
    Ok(conn)
}

/// Schema 11: note types are JSON in `col.models`.
fn note_types_11(conn: &Connection) -> Result<(Vec<NoteType>, HashMap<i64, usize>)> {
    let json: String = conn.query_row("SELECT models FROM col", [], |r| r.get(0))?;
    let models: HashMap<String, serde_json::Value> = serde_json::from_str(&json)?;
    let mut out = Vec::new();
    let mut ids = HashMap::new();
    for (id, m) in models {
        let by_ord = |key: &str| -> Vec<serde_json::Value> {
            let mut items: Vec<serde_json::Value> = m[key].as_array().cloned().unwrap_or_default();
            items.sort_by_key(|f| f["ord"].as_i64().unwrap_or(0));
            items
        };
        let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or("").to_string();
        ids.insert(id.parse::<i64>().unwrap_or_default(), out.len());
        out.push(NoteType {
            name: text(&m, "name"),
            cloze: m["type"].as_i64() == Some(1),
            fields: by_ord("flds").iter().map(|f| text(f, "name")).collect(),
            templates: by_ord("tmpls")
                .iter()
                .map(|t| Template {
                    front: text(t, "qfmt"),
                    back: text(t, "afmt"),
                })
                .collect(),
        });
    }
    Ok((out, ids))
}

/// Schema 18: note types in their own tables, settings as protobuf.
fn note_types_18(conn: &Connection) -> Result<(Vec<NoteType>, HashMap<i64, usize>)> {
    let mut out = Vec::new();
    let mut ids = HashMap::new();
    let mut types = conn.prepare("SELECT id, name, config FROM notetypes ORDER BY id")?;
    let rows = types.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Vec<u8>>(2)?,
        ))
    })?;
    for row in rows {
        let (id, name, config) = row?;
        // NotetypeConfig field 1 is the kind: 0 normal, 1 cloze.
        let cloze = proto_varint(&config, 1) == Some(1);
        let fields = conn
            .prepare("SELECT name FROM fields WHERE ntid = ? ORDER BY ord")?
            .query_map([id], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let templates = conn
            .prepare("SELECT config FROM templates WHERE ntid = ? ORDER BY ord")?
            .query_map([id], |r| r.get::<_, Vec<u8>>(0))?
            .map(|row| {
                // TemplateConfig: 1 is the front's format, 2 the back's.
                row.map(|config| Template {
                    front: proto_string(&config, 1).unwrap_or_default(),
                    back: proto_string(&config, 2).unwrap_or_default(),
                })
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.insert(id, out.len());
        out.push(NoteType {
            name,
            cloze,
            fields,
            templates,
        });
    }
    Ok((out, ids))
}

fn decks_11(conn: &Connection) -> Result<HashMap<i64, String>> {
    let json: String = conn.query_row("SELECT decks FROM col", [], |r| r.get(0))?;
    let decks: HashMap<String, serde_json::Value> = serde_json::from_str(&json)?;
    Ok(decks
        .into_iter()
        .filter_map(|(id, d)| Some((id.parse().ok()?, d["name"].as_str()?.to_string())))
        .collect())
}

fn decks_18(conn: &Connection) -> Result<HashMap<i64, String>> {
    let mut stmt = conn.prepare("SELECT id, name FROM decks")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?.replace('\u{1f}', "::"),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn notes(
    conn: &Connection,
    types: &HashMap<i64, usize>,
    decks: &HashMap<i64, String>,
) -> Result<Vec<Note>> {
    // A note's deck is the deck of its first card.
    let mut stmt = conn.prepare(
        "SELECT n.mid, n.flds, n.tags,
                (SELECT c.did FROM cards c WHERE c.nid = n.id ORDER BY c.ord LIMIT 1)
         FROM notes n ORDER BY n.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<i64>>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mid, fields, tags, deck) = row?;
        let Some(&note_type) = types.get(&mid) else {
            bail!("a note has the note type {mid}, which the collection does not define");
        };
        out.push(Note {
            note_type,
            fields: fields.split('\u{1f}').map(str::to_string).collect(),
            tags: tags.split_whitespace().map(str::to_string).collect(),
            deck: deck.and_then(|d| decks.get(&d).cloned()),
        });
    }
    Ok(out)
}

/// Walks the top-level fields of a protobuf message.
fn proto_fields(mut buf: &[u8]) -> impl Iterator<Item = (u64, Value<'_>)> {
    std::iter::from_fn(move || {
        let key = varint(&mut buf)?;
        let value = match key & 7 {
            0 => Value::Varint(varint(&mut buf)?),
            1 => {
                take(&mut buf, 8)?;
                Value::Skip
            }
            2 => {
                let len = usize::try_from(varint(&mut buf)?).ok()?;
                Value::Bytes(take(&mut buf, len)?)
            }
            5 => {
                take(&mut buf, 4)?;
                Value::Skip
            }
            _ => return None,
        };
        Some((key >> 3, value))
    })
}

enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Skip,
}

fn varint(buf: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = buf.split_first()?;
        *buf = rest;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

fn take<'a>(buf: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if buf.len() < n {
        return None;
    }
    let (head, rest) = buf.split_at(n);
    *buf = rest;
    Some(head)
}

fn proto_varint(buf: &[u8], field: u64) -> Option<u64> {
    proto_fields(buf).find_map(|(f, v)| match v {
        Value::Varint(n) if f == field => Some(n),
        _ => None,
    })
}

fn proto_string(buf: &[u8], field: u64) -> Option<String> {
    proto_fields(buf).find_map(|(f, v)| match v {
        Value::Bytes(b) if f == field => Some(String::from_utf8_lossy(b).into_owned()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protobuf_fields_are_found() {
        // field 1 varint 1; field 2 bytes "ab"; field 3 fixed64; field 1 again ignored.
        let msg = [
            0x08, 0x01, 0x12, 0x02, b'a', b'b', 0x19, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x05,
        ];
        assert_eq!(proto_varint(&msg, 1), Some(1));
        assert_eq!(proto_string(&msg, 2).as_deref(), Some("ab"));
        assert_eq!(proto_string(&msg, 4), None);
        // A message cut short ends the walk instead of reading past it.
        assert_eq!(proto_string(&[0x12, 0x05, b'a'], 2), None);
        assert_eq!(proto_varint(&[0x08, 0xff, 0xff], 1), None);
    }
}
