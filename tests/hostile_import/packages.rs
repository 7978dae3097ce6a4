//! Packages that lie about their size, hide a bomb, carry a schema built to
//! run code, are cut short, or hold far too much: each is made by hand here
//! and imported through the real binary, which must refuse it plainly (or,
//! where a real package would be read, read it) and write nothing.

use super::{cards_of, import, note, package, untouched, zip_of};
use crate::common::Env;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// What a zip entry's central directory may say it unpacks to: about 900 MB.
const CLAIMED: u32 = 900 << 20;

/// An import refused: exit status 1, the package named, no deck file, the
/// learner's database as it was. Returns the message.
fn refused(env: &Env, apkg: &Path) -> String {
    let (code, err, out) = import(env, apkg);
    assert_eq!(code, 1, "{err}");
    let name = apkg.file_name().unwrap().to_str().unwrap();
    assert!(err.contains(name), "the package is named: {err}");
    assert!(!err.contains("internal error"), "{err}");
    assert!(!err.contains("Error code"), "no raw SQLite error: {err}");
    assert!(!out.exists(), "nothing is written");
    untouched(env);
    err
}

/// A small, real collection of two notes, zipped as `name`.
fn small(dir: &Path, name: &str) -> PathBuf {
    package(dir, name, |c| {
        note(c, 1, 1, &["Who sailed in 1792?", "Laxman"]);
        note(c, 2, 1, &["Where did he land?", "Nemuro"]);
    })
}

/// A zip of `entries`, each deflated.
fn deflated_zip(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (entry, bytes) in entries {
        zip.start_file(*entry, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// The little-endian u32 at `at` in `bytes`.
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

/// Rewrites the unpacked size of a one-entry zip, in its local header and
/// its central directory, to `size`.
fn claim_size(zip: &mut [u8], size: u32) {
    assert_eq!(u32_at(zip, 0), 0x0403_4b50, "a local header first");
    zip[22..26].copy_from_slice(&size.to_le_bytes());
    let end = zip.len() - 22;
    assert_eq!(u32_at(zip, end), 0x0605_4b50, "the end record last");
    let central = u32_at(zip, end + 16) as usize;
    assert_eq!(u32_at(zip, central), 0x0201_4b50, "the central directory");
    zip[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
}

/// A zip of one entry, `name`, whose `raw` data is deflated and unpacks to
/// `size` bytes with checksum `crc`, written byte by byte.
fn raw_deflated_zip(path: &Path, name: &str, raw: &[u8], size: u32, crc: u32) {
    let (len, csize) = (name.len() as u16, raw.len() as u32);
    let mut out = Vec::new();
    let put = |out: &mut Vec<u8>, parts: &[&[u8]]| parts.iter().for_each(|p| out.extend(*p));
    // Version 2.0, no flags, deflate, 1980-01-01 00:00.
    let common: &[&[u8]] = &[
        &20u16.to_le_bytes(),
        &0u16.to_le_bytes(),
        &8u16.to_le_bytes(),
        &0u16.to_le_bytes(),
        &0x21u16.to_le_bytes(),
        &crc.to_le_bytes(),
        &csize.to_le_bytes(),
        &size.to_le_bytes(),
        &len.to_le_bytes(),
        &0u16.to_le_bytes(),
    ];
    put(&mut out, &[&0x0403_4b50u32.to_le_bytes()]);
    put(&mut out, common);
    put(&mut out, &[name.as_bytes(), raw]);
    let central = out.len() as u32;
    put(
        &mut out,
        &[&0x0201_4b50u32.to_le_bytes(), &20u16.to_le_bytes()],
    );
    put(&mut out, common);
    // No comment, disk 0, no attributes, the local header at 0.
    put(&mut out, &[&[0; 14], name.as_bytes()]);
    let directory = out.len() as u32 - central;
    put(
        &mut out,
        &[&0x0605_4b50u32.to_le_bytes(), &[0, 0, 0, 0, 1, 0, 1, 0]],
    );
    put(
        &mut out,
        &[&directory.to_le_bytes(), &central.to_le_bytes(), &[0, 0]],
    );
    std::fs::write(path, out).unwrap();
}

/// `mib` MiB of zeros, deflated, and their checksum. One MiB is deflated
/// after another so that its blocks refer back only to zeros; those blocks
/// are then repeated, as a compressor given every MiB would have made them.
fn deflated_zeros(mib: u32) -> (Vec<u8>, u32) {
    use flate2::{Compress, Compression, Crc, FlushCompress};
    let zeros = vec![0u8; 1 << 20];
    let mut deflate = Compress::new(Compression::best(), false);
    let mut run = |input: &[u8], flush| {
        let (before, mut out) = (deflate.total_in(), Vec::with_capacity(1 << 20));
        deflate.compress_vec(input, &mut out, flush).unwrap();
        assert_eq!(deflate.total_in() - before, input.len() as u64);
        out
    };
    let first = run(&zeros, FlushCompress::Sync);
    let again = run(&zeros, FlushCompress::Sync);
    let end = run(&[], FlushCompress::Finish);
    let mut data = first;
    for _ in 1..mib {
        data.extend_from_slice(&again);
    }
    data.extend_from_slice(&end);
    let mut one = Crc::new();
    one.update(&zeros);
    let mut crc = Crc::new();
    (0..mib).for_each(|_| crc.combine(&one));
    (data, crc.sum())
}

#[test]
fn z1_a_zip_entry_that_claims_900_mb_from_a_few_kb_is_refused_as_a_bomb() {
    let env = Env::new(&[]);
    let dir = env.dir.path();
    small(dir, "real.apkg");
    let collection = std::fs::read(dir.join("real.apkg.anki2")).unwrap();
    let apkg = dir.join("claims.apkg");
    deflated_zip(&apkg, &[("collection.anki2", &collection)]);
    let mut bytes = std::fs::read(&apkg).unwrap();
    claim_size(&mut bytes, CLAIMED);
    std::fs::write(&apkg, bytes).unwrap();
    let err = refused(&env, &apkg);
    assert!(
        err.contains("collection.anki2 would unpack to 900 MB from 0 KB: a zip bomb"),
        "{err}"
    );
}

#[test]
fn z1_an_entry_of_900_mb_of_real_zeros_is_refused_without_unpacking_it() {
    let env = Env::new(&[]);
    let dir = env.dir.path();
    let (zeros, crc) = deflated_zeros(900);
    assert!(
        zeros.len() < 1 << 20,
        "the package is small: {}",
        zeros.len()
    );
    let apkg = dir.join("zeros.apkg");
    raw_deflated_zip(&apkg, "collection.anki2", &zeros, CLAIMED, crc);
    let err = refused(&env, &apkg);
    assert!(
        err.contains("collection.anki2 is not an SQLite collection: no SQLite header"),
        "{err}"
    );
    // Past kioku's limit, the size alone refuses it.
    let (zeros, crc) = deflated_zeros(1100);
    let apkg = dir.join("zeros-over.apkg");
    raw_deflated_zip(&apkg, "collection.anki2", &zeros, 1100 << 20, crc);
    let err = refused(&env, &apkg);
    assert!(
        err.contains("the collection is 1100 MB; kioku imports up to 1024 MB"),
        "{err}"
    );
}

/// A zstd frame of `blocks` blocks, each 128 KiB of one byte run-length
/// encoded in four bytes; no size in its header.
fn zstd_bomb(blocks: u32) -> Vec<u8> {
    // The magic number; a header of no content size, single segment off;
    // a window of 2^17 bytes (exponent 7, mantissa 0).
    let mut out = vec![0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x38];
    for i in 0..blocks {
        let last = u32::from(i + 1 == blocks);
        // Block size in bits 3-23, type 1 (RLE) in bits 1-2, last in bit 0.
        let header = (128 << 10) << 3 | 1 << 1 | last;
        out.extend_from_slice(&header.to_le_bytes()[..3]);
        out.push(b'A');
    }
    out
}

#[test]
fn z2_a_zstd_frame_that_would_make_over_a_gb_is_stopped_as_a_bomb() {
    let env = Env::new(&[]);
    let bomb = zstd_bomb(8200);
    assert!(bomb.len() < 40_000, "the frame is small: {}", bomb.len());
    let apkg = zip_of(
        env.dir.path(),
        "zstd.apkg",
        &[("collection.anki21b", &bomb), ("collection.anki2", b"stub")],
    );
    let err = refused(&env, &apkg);
    assert!(
        err.contains("collection.anki21b unpacks to over 95 MB from 32 KB: a zstd bomb"),
        "{err}"
    );
}

#[test]
fn z3_a_note_with_a_10_mb_field_is_skipped_and_the_others_kept() {
    let env = Env::new(&[]);
    let huge = "word ".repeat(2 << 20);
    let apkg = package(env.dir.path(), "field.apkg", |c| {
        note(c, 1, 1, &["Who sailed in 1792?", "Laxman"]);
        note(c, 2, 1, &["A long answer", &huge]);
        note(c, 3, 1, &["Where did he land?", "Nemuro"]);
    });
    let (code, err, out) = import(&env, &apkg);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("skipped 1 card: a card of a note with a field of more than 1 MB of text"),
        "{err}"
    );
    let deck = std::fs::read_to_string(&out).unwrap();
    assert!(deck.contains("Who sailed in 1792?") && deck.contains("Nemuro"));
    assert!(!deck.contains("A long answer"));
    assert_eq!(cards_of(&out), 2);
}

/// A trigger on `notes` and `cards` each, and views that call functions,
/// added to a collection once its rows are in.
const ARMED: &str = "
    CREATE TRIGGER on_notes AFTER UPDATE ON notes
      BEGIN SELECT load_extension('./evil'); UPDATE notes SET flds = 'pwned'; END;
    CREATE TRIGGER on_cards BEFORE DELETE ON cards
      BEGIN SELECT raise(ABORT, 'pwned'); END;
    CREATE VIEW v AS SELECT load_extension('./evil') AS x;
    CREATE VIEW w AS SELECT randomblob(1000000000) AS x FROM notes;";

/// The files in `dir`, by name.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// Imports `deck.apkg` from the folder `sub` of `env`, built by `build`
/// after two notes; returns the report, with the folder's name taken out,
/// and the deck file written.
fn import_in(env: &Env, sub: &str, build: &str) -> (String, String) {
    let dir = env.dir.path().join(sub);
    std::fs::create_dir(&dir).unwrap();
    let apkg = package(&dir, "deck.apkg", |c| {
        note(c, 1, 1, &["Who sailed in 1792?", "Laxman"]);
        note(c, 2, 2, &["{{c1::Kodayu}} came home in 1792", ""]);
        c.execute_batch(build).unwrap();
    });
    let before = listing(&dir);
    let (code, err, out) = import(env, &apkg);
    assert_eq!(code, 0, "{sub}: {err}");
    let mut after = listing(&dir);
    after.retain(|n| !before.contains(n) && n != "deck.toml");
    assert!(after.is_empty(), "{sub}: no other file appears: {after:?}");
    let shown = dir.display().to_string();
    (
        err.replace(&shown, "DIR"),
        std::fs::read_to_string(out).unwrap(),
    )
}

#[test]
fn z4_triggers_and_views_in_a_collection_never_run() {
    let env = Env::new(&[]);
    let (plain_report, plain_deck) = import_in(&env, "plain", "");
    let (armed_report, armed_deck) = import_in(&env, "armed", ARMED);
    assert_eq!(armed_report, plain_report);
    assert_eq!(armed_deck.replace("armed", "plain"), plain_deck);
    assert!(!armed_deck.contains("pwned"));
    assert_eq!(cards_of(&env.dir.path().join("armed/deck.toml")), 2);
}

/// A schema 11 collection with what `--with-history` reads besides the
/// notes (`col.crt`, `col.conf`), its review log made by `revlog`.
fn with_revlog(dir: &Path, name: &str, revlog: &str) -> PathBuf {
    package(dir, name, |c| {
        c.execute_batch(
            "ALTER TABLE col ADD COLUMN crt INTEGER NOT NULL DEFAULT 1735689600;
             ALTER TABLE col ADD COLUMN conf TEXT NOT NULL DEFAULT '{}';
             ALTER TABLE cards ADD COLUMN type INTEGER NOT NULL DEFAULT 0;
             ALTER TABLE cards ADD COLUMN queue INTEGER NOT NULL DEFAULT 0;",
        )
        .unwrap();
        note(c, 1, 1, &["Who sailed in 1792?", "Laxman"]);
        c.execute_batch(revlog).unwrap();
    })
}

/// Imports `apkg` with its history into the deck folder `decks`.
fn import_history(env: &Env, apkg: &Path, decks: &Path) -> (i32, String) {
    let (code, _, err) = env.run(
        &[
            "--decks",
            decks.to_str().unwrap(),
            "deck",
            "import",
            apkg.to_str().unwrap(),
            "--with-history",
        ],
        "",
    );
    (code, err)
}

#[test]
fn z4_a_review_log_that_is_a_view_or_virtual_table_is_refused() {
    let env = Env::new(&[]);
    let dir = env.dir.path();
    let decks = dir.join("decks");
    std::fs::create_dir(&decks).unwrap();
    let columns = "id, cid, usn, ease, ivl, lastIvl, factor, time, type";
    for (name, revlog, message) in [
        (
            "view.apkg",
            "CREATE VIEW revlog AS WITH RECURSIVE r(i) AS
               (SELECT 1 UNION ALL SELECT i + 1 FROM r)
             SELECT i AS id, 1 AS cid, 0 AS usn, 3 AS ease, 1 AS ivl, 0 AS lastIvl,
                    2500 AS factor, 1000 AS time, 1 AS type FROM r;"
                .to_string(),
            "its `revlog` is a view, not a table",
        ),
        (
            "config.apkg",
            format!(
                "CREATE TABLE revlog ({columns});
                 CREATE VIEW config AS SELECT 'rollover' AS key, '4' AS val;"
            ),
            "its `config` is a view, not a table",
        ),
        (
            "virtual.apkg",
            format!("CREATE VIRTUAL TABLE revlog USING fts5({columns});"),
            "its `revlog` is a virtual table, not a table",
        ),
    ] {
        let apkg = with_revlog(dir, name, &revlog);
        let (code, err) = import_history(&env, &apkg, &decks);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(err.contains(name) && err.contains(message), "{name}: {err}");
        assert!(listing(&decks).is_empty(), "{name}: nothing written");
        untouched(&env);
    }
    // The same collection with a real, empty review log imports.
    let apkg = with_revlog(
        dir,
        "real.apkg",
        &format!("CREATE TABLE revlog ({columns});"),
    );
    let (code, err) = import_history(&env, &apkg, &decks);
    assert_eq!(code, 0, "{err}");
    assert_eq!(listing(&decks).len(), 1, "{err}");
}

#[test]
fn z5_a_collection_that_is_text_is_neither_sqlite_nor_zstd() {
    let env = Env::new(&[]);
    let text = "Who sailed in 1792?\tLaxman\n".repeat(50);
    let apkg = zip_of(
        env.dir.path(),
        "text.apkg",
        &[("collection.anki2", text.as_bytes())],
    );
    let err = refused(&env, &apkg);
    assert!(
        err.contains("collection.anki2 is not an SQLite collection: no SQLite header"),
        "{err}"
    );
    // The same text where Anki puts its zstd collection.
    let apkg = zip_of(
        env.dir.path(),
        "text-b.apkg",
        &[("collection.anki21b", text.as_bytes())],
    );
    let err = refused(&env, &apkg);
    assert!(
        err.contains("cannot decompress the collection: it does not start as zstd data"),
        "{err}"
    );
}

/// A fixture package, by name.
fn fixture(name: &str) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read(root.join("tests/fixtures/anki").join(name)).unwrap()
}

/// The entries of the zip `bytes`, each with its unpacked bytes.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            (entry.name().unwrap().into_owned(), data)
        })
        .collect()
}

/// `fixture` zipped again with the data of its entry `cut` halved.
fn with_half(dir: &Path, name: &str, fixture_name: &str, cut: &str) -> PathBuf {
    let mut all = entries(&fixture(fixture_name));
    let entry = all.iter_mut().find(|(n, _)| n == cut).unwrap();
    entry.1.truncate(entry.1.len() / 2);
    let refs: Vec<(&str, &[u8])> = all.iter().map(|(n, d)| (n.as_str(), &d[..])).collect();
    zip_of(dir, name, &refs)
}

#[test]
fn z6_a_package_cut_short_is_refused_plainly() {
    let env = Env::new(&[]);
    env.ok(&["decks"]);
    let dir = env.dir.path();
    let studied = fixture("studied.apkg");
    // Cut at half its bytes, and inside the bytes of its collection: both
    // lose the zip's directory at its end.
    for (name, at) in [("half.apkg", studied.len() / 2), ("inside.apkg", 12_000)] {
        let apkg = dir.join(name);
        std::fs::write(&apkg, &studied[..at]).unwrap();
        let err = refused(&env, &apkg);
        assert!(err.contains("not a readable Anki package (zip)"), "{err}");
    }
    // A whole zip whose collection is cut: its zstd frame, its SQLite pages.
    let apkg = with_half(dir, "zstd-half.apkg", "studied.apkg", "collection.anki21b");
    let err = refused(&env, &apkg);
    assert!(
        err.contains("cannot decompress collection.anki21b: its zstd data is cut short or damaged"),
        "{err}"
    );
    assert!(
        !err.contains("Error {") && err.lines().count() == 1,
        "{err}"
    );
    let legacy = "studied-legacy.apkg";
    let apkg = with_half(dir, "sqlite-half.apkg", legacy, "collection.anki21");
    let err = refused(&env, &apkg);
    assert!(err.contains("collection.anki21"), "{err}");
    assert!(err.contains("damaged"), "{err}");
}

#[test]
fn z7_a_million_notes_are_refused_before_any_is_read() {
    let env = Env::new(&[]);
    let apkg = package(env.dir.path(), "million.apkg", |c| {
        c.execute_batch(
            "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 1000001)
             INSERT INTO notes SELECT i, 1, 'q', '' FROM r;",
        )
        .unwrap();
    });
    let err = refused(&env, &apkg);
    assert!(
        err.contains(
            "it holds 1000001 notes, and kioku imports up to 100000 at a time; \
             export one deck at a time"
        ),
        "{err}"
    );
}

#[test]
fn z8_history_from_a_text_export_is_refused_with_what_to_export() {
    let env = Env::new(&[]);
    let decks = env.dir.path().join("decks");
    std::fs::create_dir(&decks).unwrap();
    let text = env.dir.path().join("history.txt");
    std::fs::write(&text, fixture("history.txt")).unwrap();
    let (code, err) = import_history(&env, &text, &decks);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("history.txt"), "{err}");
    assert!(
        err.contains("an Anki text export holds no reviews; export an Anki package with \"Include scheduling information\""),
        "{err}"
    );
    assert!(listing(&decks).is_empty());
    untouched(&env);
}
