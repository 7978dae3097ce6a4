//! How much memory `deck import` takes for a large collection, measured as
//! the peak of the one child process this test binary starts.

mod common;

use common::Env;
use std::io::Write;

#[cfg(target_os = "linux")]
#[test]
fn h9_a_large_collection_is_held_in_memory_once() {
    const PAD: usize = 200 << 20;
    let env = Env::new(&[]);
    let dir = env.dir.path();
    let db = dir.join("big.anki2");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE col (id INTEGER PRIMARY KEY, models TEXT, decks TEXT);
         CREATE TABLE notes (id INTEGER PRIMARY KEY, mid INTEGER, flds TEXT, tags TEXT);
         CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, did INTEGER, ord INTEGER);
         CREATE TABLE pad (x BLOB);",
    )
    .unwrap();
    let models = r#"{"1": {"name": "Basic", "type": 0,
        "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
        "tmpls": [{"qfmt": "{{Front}}", "afmt": "{{Back}}", "ord": 0}]}}"#;
    conn.execute("INSERT INTO col VALUES (1, ?1, '{}')", [models])
        .unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO notes VALUES (1, 1, 'Who sailed in 1792?' || char(31) || 'Laxman', '');
         INSERT INTO pad VALUES (zeroblob({PAD}));"
    ))
    .unwrap();
    drop(conn);
    let apkg = dir.join("big.apkg");
    {
        let bytes = std::fs::read(&db).unwrap();
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&apkg).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(false);
        zip.start_file("collection.anki2", options).unwrap();
        zip.write_all(&bytes).unwrap();
        zip.finish().unwrap();
    }
    std::fs::remove_file(&db).unwrap();
    let out = dir.join("big.toml");
    let (code, _, err) = env.run(
        &[
            "deck",
            "import",
            apkg.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    // The largest resident size of any child waited for, in kilobytes.
    let usage =
        nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).unwrap();
    let peak = usage.max_rss() as usize * 1024;
    // Once is the collection's size and a little; twice would be over 400 MB.
    assert!(peak < PAD + PAD / 2, "peak {} MB", peak >> 20);
}
