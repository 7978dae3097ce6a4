//! `--anki-import`: `kioku deck import PACKAGE --with-history` on a large
//! generated Anki package (50,000 notes, about 500,000 reviews over two
//! years), each run into a new database and deck folder, and the same
//! command run again on the imported database, where it adds nothing.
//!
//! Side by side with Anki when `KIOKU_ANKI_PYTHON` names a Python that can
//! `import anki`: Anki's own import of the same package, with its
//! scheduling, into a new collection (`benches/anki/import.py`), each a
//! whole process, the two programs taking turns. Nothing is installed.
//!
//!     cargo bench --bench collection -- --anki-import [--runs N] [--notes N] [--keep DIR]
//!     KIOKU_ANKI_PYTHON=venv/bin/python cargo bench --bench collection -- --anki-import

use crate::anki_package::{write, Package, Shape};
use crate::{kioku, vm_hwm, NOW};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SHAPE: Shape = Shape {
    notes: 50_000,
    cloze_every: 10,
    days: 730,
    decks: 10,
};

/// One whole run: seconds, peak KiB (0 when not watched).
type Run = (f64, i64);

/// The mode's arguments, after `--anki-import`.
pub fn main(args: &[String]) {
    let mut runs = 5;
    let mut shape = SHAPE;
    let mut keep = None;
    let mut args = args.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).expect("--runs N"),
            "--notes" => shape.notes = args.next().and_then(|v| v.parse().ok()).expect("--notes N"),
            "--keep" => keep = Some(PathBuf::from(args.next().expect("--keep DIR"))),
            _ => {}
        }
    }
    let temp = tempfile::tempdir().unwrap();
    let root = keep.unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&root).unwrap();
    let package = root.join("generated.apkg");
    let started = Instant::now();
    let made = write(&package, shape, today_ms());
    println!(
        "generated {}: {} notes, {} cards, {} review log entries, {:.1} MB, in {:.1} s",
        package.display(),
        made.notes,
        made.cards,
        made.reviews,
        std::fs::metadata(&package).unwrap().len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let anki = anki_python();
    let (kioku_runs, anki_runs) = alternate(&root, &package, runs, anki.as_deref());
    let reviews = review_count(&root.join("kioku-0").join("kioku.db"));
    let again: Vec<Run> = (0..runs)
        .map(|_| import_again(&root, &package, false))
        .collect();
    let watched = Watched {
        kioku: kioku_import(&root, &package, "kioku-watched", true).1,
        again: import_again(&root, &package, true).1,
        anki: anki
            .as_deref()
            .map(|py| anki_import(py, &root, &package, "anki-watched", true).0 .1),
    };
    report(&made, reviews, &kioku_runs, &again, &anki_runs, &watched);
}

/// Peak memory (KiB) of one watched run each: kioku's import, the same
/// import again, and Anki's import.
struct Watched {
    kioku: i64,
    again: i64,
    anki: Option<i64>,
}

/// The start of the bench's day, 04:00 UTC (Anki's rollover hour), in ms.
fn today_ms() -> i64 {
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap();
    let day = now.date_naive().and_hms_opt(4, 0, 0).unwrap();
    day.and_utc().timestamp_millis()
}

/// The Python of `KIOKU_ANKI_PYTHON`, if it imports `anki`.
fn anki_python() -> Option<String> {
    let Ok(py) = std::env::var("KIOKU_ANKI_PYTHON") else {
        println!("Anki: KIOKU_ANKI_PYTHON is not set; kioku's figures alone");
        return None;
    };
    let ok = Command::new(&py)
        .args(["-c", "import anki.collection"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        println!("Anki: {py} cannot `import anki`; kioku's figures alone");
        return None;
    }
    Some(py)
}

/// `runs` imports by kioku and, when Anki is there, by Anki, taking turns;
/// Anki's runs with what its script printed.
fn alternate(
    root: &Path,
    package: &Path,
    runs: usize,
    anki: Option<&str>,
) -> (Vec<Run>, Vec<(Run, Value)>) {
    let (mut k, mut a) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let run = kioku_import(root, package, &format!("kioku-{i}"), false);
        println!("  kioku run {i}: {:.2} s", run.0);
        k.push(run);
        if let Some(py) = anki {
            let (run, out) = anki_import(py, root, package, &format!("anki-{i}"), false);
            println!("  Anki run {i}: {:.2} s, {}", run.0, out.trim());
            a.push((run, serde_json::from_str(&out).expect("the script's JSON")));
        }
    }
    (k, a)
}

/// A fresh folder `name` under `root`, emptied first.
fn fresh(root: &Path, name: &str) -> PathBuf {
    let dir = root.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `command` to its end with its output in `dir`; panics with its
/// standard error if it fails. Its standard output is returned.
fn run(mut command: Command, dir: &Path, watch: bool) -> (Run, String) {
    let out = std::fs::File::create(dir.join("stdout")).unwrap();
    let err = std::fs::File::create(dir.join("stderr")).unwrap();
    let start = Instant::now();
    let mut child = command.stdout(out).stderr(err).spawn().unwrap();
    let (status, kb) = wait(&mut child, watch);
    let secs = start.elapsed().as_secs_f64();
    let stderr = std::fs::read_to_string(dir.join("stderr")).unwrap_or_default();
    assert!(status.success(), "{command:?} failed:\n{stderr}");
    let stdout = std::fs::read_to_string(dir.join("stdout")).unwrap_or_default();
    ((secs, kb), stdout)
}

/// Waits for a child, and when `watch` reads its peak memory (`VmHWM`,
/// KiB) while it runs, as the other modes do.
fn wait(child: &mut std::process::Child, watch: bool) -> (std::process::ExitStatus, i64) {
    let mut peak = 0;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, peak);
        }
        if watch {
            peak = peak.max(vm_hwm(child.id()).unwrap_or(0));
        }
        std::thread::sleep(Duration::from_micros(if watch { 500 } else { 2000 }));
    }
}

/// One import by kioku into a new database and deck folder.
fn kioku_import(root: &Path, package: &Path, name: &str, watch: bool) -> Run {
    let dir = fresh(root, name);
    let decks = dir.join("decks");
    std::fs::create_dir_all(&decks).unwrap();
    let mut c = kioku(&dir.join("kioku.db"), &decks);
    c.args(["deck", "import"])
        .arg(package)
        .arg("--with-history");
    run(c, &dir, watch).0
}

/// The same import again into the first run's database, which adds
/// nothing; checked by its count of reviews.
fn import_again(root: &Path, package: &Path, watch: bool) -> Run {
    let dir = root.join("kioku-0");
    let db = dir.join("kioku.db");
    let before = review_count(&db);
    let mut c = kioku(&db, &dir.join("decks"));
    c.args(["deck", "import"])
        .arg(package)
        .arg("--with-history");
    let (r, _) = run(c, &fresh(&dir, "again"), watch);
    assert_eq!(review_count(&db), before, "a second import added reviews");
    r
}

/// One import by Anki into a new collection, and what the script printed.
fn anki_import(py: &str, root: &Path, package: &Path, name: &str, watch: bool) -> (Run, String) {
    let dir = fresh(root, name);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/anki/import.py");
    let mut c = Command::new(py);
    c.arg(script)
        .arg(package)
        .arg(dir.join("collection.anki2"))
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env("TZ", "UTC");
    run(c, &dir, watch)
}

fn review_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM reviews", [], |r| r.get(0))
        .unwrap()
}

fn median(runs: &[Run]) -> f64 {
    let mut t: Vec<f64> = runs.iter().map(|r| r.0).collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn spread(runs: &[Run]) -> String {
    let min = runs.iter().map(|r| r.0).fold(f64::MAX, f64::min);
    let max = runs.iter().map(|r| r.0).fold(0.0, f64::max);
    format!("{min:.2}–{max:.2} s")
}

/// Prints the figures: whole processes, and for Anki also its import
/// inside the process (after Python's start and `import anki`).
fn report(
    made: &Package,
    reviews: i64,
    kioku_runs: &[Run],
    again: &[Run],
    anki_runs: &[(Run, Value)],
    watched: &Watched,
) {
    let mb = |kb: i64| kb as f64 / 1024.0;
    let row = |label: &str, runs: &[Run], kb: i64| {
        println!(
            "{label:<46} {:>7.2} s {:>14} {:>9.1} MB",
            median(runs),
            spread(runs),
            mb(kb)
        )
    };
    let k = median(kioku_runs);
    println!();
    println!(
        "package: {} notes, {} cards, {} review log entries; kioku kept {reviews} reviews",
        made.notes, made.cards, made.reviews
    );
    println!(
        "{:<46} {:>9} {:>14} {:>12}",
        "measure (whole processes)", "median", "range", "peak memory"
    );
    row(
        "kioku deck import --with-history",
        kioku_runs,
        watched.kioku,
    );
    println!(
        "{:<46} {:>6.2} µs",
        "  per review kept",
        k * 1e6 / reviews.max(1) as f64
    );
    row("kioku, the same import again", again, watched.again);
    let Some(kb) = watched.anki else { return };
    let whole: Vec<Run> = anki_runs.iter().map(|r| r.0).collect();
    let inside: Vec<Run> = anki_runs
        .iter()
        .map(|r| (r.1["import_s"].as_f64().unwrap(), 0))
        .collect();
    let a = median(&whole);
    row("Anki import_anki_package, with scheduling", &whole, kb);
    println!(
        "{:<46} {:>7.2} s {:>14}",
        "  of it the import call, in process",
        median(&inside),
        spread(&inside)
    );
    let last = &anki_runs[anki_runs.len() - 1].1;
    println!(
        "Anki's collection holds {} notes, {} cards, {} review log entries",
        last["notes"], last["cards"], last["revlog"]
    );
    println!("kioku / Anki, whole processes (medians): {:.2}×", k / a);
}
