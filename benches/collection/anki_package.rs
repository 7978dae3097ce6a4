//! A large Anki package, generated the same each time: a legacy `.apkg`
//! (a zip holding `collection.anki2` in schema 11, as Anki's "support older
//! versions" export writes it) with Basic and Cloze notes, every card's
//! scheduling and a review log of about two years.
//!
//! Each studied card is learnt on the day it is introduced (cards are
//! introduced evenly over the history), then reviewed on the day it falls
//! due, its interval growing by its ease each time, with an answer of Again
//! one time in twenty (a lapse: relearnt the same day, its interval halved).
//! A card's row (type, queue, due day, interval, ease, reps, lapses) is where
//! its last answer left it. A few cards are still new.

use rusqlite::{params, Connection};
use std::collections::HashSet;
use std::path::Path;

const DAY_MS: i64 = 86_400_000;

/// What the package holds.
pub struct Package {
    pub notes: usize,
    pub cards: usize,
    pub reviews: usize,
}

/// The size of the package to write.
#[derive(Clone, Copy)]
pub struct Shape {
    pub notes: usize,
    /// One note in this many is a Cloze note with two cards.
    pub cloze_every: usize,
    /// Days of history, the bench's day the last.
    pub days: i64,
    /// Anki decks the notes are spread over.
    pub decks: usize,
}

/// The schema 11 tables, as Anki writes them.
const SCHEMA: &str = "
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,
  scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL,
  ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,
  dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,
  sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,
  ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL,
  queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
  reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
  odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
  ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL,
  factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
";

const BASIC: i64 = 1_600_000_000_001;
const CLOZE: i64 = 1_600_000_000_002;

/// A note type as schema 11 stores it.
fn model(id: i64, name: &str, kind: u8, fields: [&str; 2], qfmt: &str, afmt: &str) -> String {
    let field = |ord: usize, name: &str| {
        format!(
            r#"{{"name":"{name}","ord":{ord},"sticky":false,"rtl":false,"font":"Arial","size":20,"media":[]}}"#
        )
    };
    format!(
        r#""{id}":{{"id":{id},"name":"{name}","type":{kind},"mod":0,"usn":0,"sortf":0,"did":1,
"tmpls":[{{"name":"Card 1","ord":0,"qfmt":"{qfmt}","afmt":"{afmt}","bqfmt":"","bafmt":"","did":null,"bfont":"","bsize":0}}],
"flds":[{},{}],"css":".card {{ font-family: arial; font-size: 20px; text-align: center; }}",
"latexPre":"\\documentclass[12pt]{{article}}\n\\begin{{document}}\n","latexPost":"\\end{{document}}",
"latexsvg":false,"req":[[0,"any",[0]]],"tags":[],"vers":[]}}"#,
        field(0, fields[0]),
        field(1, fields[1])
    )
}

/// The `col` row's JSON: configuration, note types, decks, deck options.
fn col_json(decks: usize) -> [String; 4] {
    let conf = r#"{"schedVer":2,"sched2021":true,"activeDecks":[1],"curDeck":1,"newSpread":0,"collapseTime":1200,"timeLim":0,"estTimes":true,"dueCounts":true,"curModel":null,"nextPos":1,"sortType":"noteFld","sortBackwards":false,"addToCur":true,"dayLearnFirst":false,"creationOffset":0}"#;
    let models = format!(
        "{{{},{}}}",
        model(
            BASIC,
            "Basic",
            0,
            ["Front", "Back"],
            "{{Front}}",
            "{{FrontSide}}<hr id=answer>{{Back}}"
        ),
        model(
            CLOZE,
            "Cloze",
            1,
            ["Text", "Back Extra"],
            "{{cloze:Text}}",
            "{{cloze:Text}}<br>{{Back Extra}}"
        )
    );
    let deck = |id: i64, name: &str| {
        format!(
            r#""{id}":{{"id":{id},"mod":0,"name":"{name}","usn":0,"lrnToday":[0,0],"revToday":[0,0],"newToday":[0,0],"timeToday":[0,0],"collapsed":false,"browserCollapsed":false,"desc":"","dyn":0,"conf":1,"extendNew":0,"extendRev":0}}"#
        )
    };
    let mut all = vec![deck(1, "Default")];
    all.extend((0..decks).map(|d| deck(deck_id(d), &format!("Generated::Deck {d:02}"))));
    let decks = format!("{{{}}}", all.join(","));
    let dconf = r#"{"1":{"id":1,"mod":0,"name":"Default","usn":0,"maxTaken":60,"autoplay":true,"timer":0,"replayq":true,"dyn":false,"new":{"bury":false,"delays":[1.0,10.0],"initialFactor":2500,"ints":[1,4,0],"order":1,"perDay":20},"rev":{"bury":false,"ease4":1.3,"ivlFct":1.0,"maxIvl":36500,"perDay":200,"hardFactor":1.2},"lapse":{"delays":[10.0],"leechAction":1,"leechFails":8,"minInt":1,"mult":0.0}}}"#;
    [conf.to_string(), models, decks, dconf.to_string()]
}

fn deck_id(d: usize) -> i64 {
    1_600_000_000_100 + d as i64
}

/// SplitMix64: a small generator whose output is fixed by its seed alone.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: u64) -> i64 {
        (self.next() % n) as i64
    }
}

/// One revlog entry: (time ms, ease, ivl, lastIvl, factor, time taken ms, type).
type Entry = (i64, i64, i64, i64, i64, i64, i64);

/// Where a card stands after its history.
struct Card {
    kind: i64,
    queue: i64,
    due: i64,
    ivl: i64,
    factor: i64,
    reps: i64,
    lapses: i64,
}

/// One studied card's history from its first day (`day`, counted from the
/// collection's creation) up to the start of `today`, the bench's day:
/// the cards due today are left waiting, as on a real morning. `start` is
/// the moment day 0 begins.
fn study(rng: &mut Rng, start: i64, day: i64, today: i64, log: &mut Vec<Entry>) -> Card {
    let mut at = start + day * DAY_MS + 3_600_000 + rng.below(16 * 3_600_000);
    let taken = |rng: &mut Rng| 2_000 + rng.below(18_000);
    if rng.unit() < 0.2 {
        log.push((at, 1, -60, 0, 0, taken(rng), 0));
        at += 60_000;
    }
    log.push((at, 3, -600, -60, 0, taken(rng), 0));
    log.push((at + 600_000, 3, 1, -600, 2500, taken(rng), 0));
    let (mut ivl, mut factor, mut lapses) = (1i64, 2500i64, 0);
    let mut due = day + 1;
    while due < today {
        let at = start + due * DAY_MS + 3_600_000 + rng.below(16 * 3_600_000);
        let roll = rng.unit();
        if roll < 0.05 {
            lapses += 1;
            factor = (factor - 200).max(1300);
            log.push((at, 1, -600, ivl, factor, taken(rng), 1));
            let new = ((ivl as f64 * 0.5) as i64).max(1);
            log.push((at + 600_000, 3, new, -600, factor, taken(rng), 2));
            ivl = new;
        } else {
            let (ease, grow, change) = match roll {
                r if r < 0.09 => (2, 1.2, -150),
                r if r < 0.90 => (3, factor as f64 / 1000.0, 0),
                _ => (4, factor as f64 / 1000.0 * 1.3, 150),
            };
            let fuzz = 0.95 + 0.1 * rng.unit();
            let new = ((ivl as f64 * grow * fuzz) as i64).clamp(ivl + 1, 36500);
            factor = (factor + change).max(1300);
            log.push((at, ease, new, ivl, factor, taken(rng), 1));
            ivl = new;
        }
        due += ivl;
    }
    Card {
        kind: 2,
        queue: 2,
        due,
        ivl,
        factor,
        reps: 0,
        lapses,
    }
}

/// Writes the package to `path` (its collection first beside it, removed
/// afterwards). `today_ms` is the start of the bench's day (Anki's rollover
/// hour, 04:00 UTC); the collection was created `days - 1` days before.
pub fn write(path: &Path, shape: Shape, today_ms: i64) -> Package {
    let start = today_ms - (shape.days - 1) * DAY_MS;
    let db = path.with_extension("anki2");
    let _ = std::fs::remove_file(&db);
    let mut conn = Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        .unwrap();
    conn.execute_batch(SCHEMA).unwrap();
    let [conf, models, decks, dconf] = col_json(shape.decks);
    conn.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
        params![start / 1000, today_ms, conf, models, decks, dconf],
    )
    .unwrap();
    let tx = conn.transaction().unwrap();
    let made = fill(&tx, shape, start);
    tx.commit().unwrap();
    drop(conn);
    zip_collection(path, &db);
    std::fs::remove_file(&db).unwrap();
    made
}

/// Note `n`'s type, fields, sort field and number of cards: one in
/// `cloze_every` a Cloze note with two gaps, the rest Basic.
fn note_of(n: usize, cloze_every: usize) -> (i64, String, String, usize) {
    if n.is_multiple_of(cloze_every) {
        let year = 1600 + n % 400;
        let text = format!("Treaty {n} was signed at {{{{c1::Port {n}}}}} in {{{{c2::{year}}}}}.");
        let fields = format!("{text}\x1fSigned by the envoys of note {n}.");
        (CLOZE, fields, text, 2)
    } else {
        let front = format!("What is the name of place number {n}?");
        (BASIC, format!("{front}\x1fPlace <b>{n}</b>"), front, 1)
    }
}

/// A card never studied, `position` in the new queue.
fn new_card(position: i64) -> Card {
    Card {
        kind: 0,
        queue: 0,
        due: position,
        ivl: 0,
        factor: 0,
        reps: 0,
        lapses: 0,
    }
}

/// Writes card `cid`'s log; `used` holds the moments taken, since Anki's
/// log is keyed by the answer's millisecond.
fn write_log(revlog: &mut rusqlite::Statement, used: &mut HashSet<i64>, cid: i64, log: &[Entry]) {
    for &(at, ease, ivl, last, factor, taken, kind) in log {
        let mut at = at;
        while !used.insert(at) {
            at -= 1;
        }
        let row = params![at, cid, ease, ivl, last, factor, taken, kind];
        revlog.execute(row).unwrap();
    }
}

/// The notes, cards and review log.
fn fill(tx: &rusqlite::Transaction, shape: Shape, start: i64) -> Package {
    let mut note = tx
        .prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8, 0, '')")
        .unwrap();
    let mut card = tx
        .prepare(
            "INSERT INTO cards VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
             0, 0, 0, 0, '')",
        )
        .unwrap();
    let mut revlog = tx
        .prepare("INSERT INTO revlog VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8)")
        .unwrap();
    let mut rng = Rng(20_260_601);
    let mut used = HashSet::new();
    let (mut cards, mut reviews, mut log) = (0usize, 0usize, Vec::new());
    let total_cards = shape.notes + shape.notes.div_ceil(shape.cloze_every);
    for n in 0..shape.notes {
        let id = 1_500_000_000_000 + n as i64;
        let (mid, fields, sort, ords) = note_of(n, shape.cloze_every);
        let tags = format!(" generated part{} ", n % 7);
        let guid = format!("g{n:07}");
        note.execute(params![
            id,
            guid,
            mid,
            start / 1000,
            tags,
            fields,
            sort,
            n as i64
        ])
        .unwrap();
        for ord in 0..ords {
            let cid = 1_550_000_000_000 + cards as i64;
            // One card in 25 is still new; the rest are introduced evenly.
            let state = if cards % 25 == 24 {
                new_card(cards as i64 + 1)
            } else {
                log.clear();
                let day = cards as i64 * (shape.days - 1) / total_cards as i64;
                let mut c = study(&mut rng, start, day, shape.days - 1, &mut log);
                write_log(&mut revlog, &mut used, cid, &log);
                c.reps = log.len() as i64;
                reviews += log.len();
                c
            };
            let c = &state;
            let row = params![
                cid,
                id,
                deck_id(n % shape.decks),
                ord as i64,
                start / 1000,
                c.kind,
                c.queue,
                c.due,
                c.ivl,
                c.factor,
                c.reps,
                c.lapses
            ];
            card.execute(row).unwrap();
            cards += 1;
        }
    }
    Package {
        notes: shape.notes,
        cards,
        reviews,
    }
}

/// Zips the collection as `collection.anki2`, deflated, with the empty
/// media list a package carries.
fn zip_collection(path: &Path, db: &Path) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("collection.anki2", options).unwrap();
    std::io::copy(&mut std::fs::File::open(db).unwrap(), &mut zip).unwrap();
    zip.start_file("media", options).unwrap();
    std::io::Write::write_all(&mut zip, b"{}").unwrap();
    zip.finish().unwrap();
}
