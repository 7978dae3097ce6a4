//! Unit tests of reading another machine's database: what is refused and
//! why, on databases built by hand.

use super::*;

#[test]
fn h7_a_query_that_never_ends_is_stopped_by_the_deadline() {
    let conn = Connection::open_in_memory().unwrap();
    let started = std::time::Instant::now();
    let deadline = Deadline::start(&conn, Duration::from_millis(200));
    let e = conn
        .query_row(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap_err();
    drop(deadline);
    assert!(started.elapsed() < Duration::from_secs(10));
    let message = foreign("OTHER.db", &e).to_string();
    assert!(message.starts_with("OTHER.db took more than"), "{message}");
}

#[test]
fn p5_a_path_becomes_an_immutable_uri_with_its_odd_bytes_escaped() {
    let uri = immutable_uri(Path::new("/media/cd/my data?#%.db"));
    assert_eq!(uri, "file:/media/cd/my%20data%3F%23%25.db?immutable=1");
}

#[test]
fn p5_a_wal_database_is_read_from_a_copy_or_as_immutable() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("other.db");
    let writer = Connection::open(&db).unwrap();
    writer
        .execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
             CREATE TABLE t (x); INSERT INTO t VALUES (1), (2), (3);",
        )
        .unwrap();
    // The rows are in the WAL only: a copy of both files holds them.
    assert!(wal_of(&db).exists());
    let copy = TempCopy::of(&db, &wal_of(&db)).unwrap();
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(copy.db(), flags).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
    let folder = copy.db().parent().unwrap().to_path_buf();
    drop(conn);
    drop(copy);
    assert!(!folder.exists(), "the copy is removed");
    // Checkpointed and without its WAL, the file alone is read as immutable.
    writer
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
        .unwrap();
    drop(writer);
    let conn = Connection::open_with_flags(immutable_uri(&db), flags | OpenFlags::SQLITE_OPEN_URI)
        .unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
}
