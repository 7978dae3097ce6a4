#!/usr/bin/env python3
"""kioku and Anki's engine in turn on the same collection, as ratios.

    python3 -m venv venv && venv/bin/pip install anki==26.9.3
    cargo bench --bench collection -- --keep DIR          # kioku's collection
    venv/bin/python side_by_side.py DIR WORK              # the same, for Anki
    venv/bin/python race.py DIR WORK --kioku target/release/kioku

Three waits a learner has, each timed as whole processes, kioku and Anki
one after the other (A B A B ...), medians quoted, and the ratio of the
medians printed beside them:

- first question: `kioku study` until its first prompt is printed, against
  a new Python process that imports Anki, opens the collection and takes the
  first card of its v3 queue (what Anki's engine does before the first card
  shows);
- stats: `kioku stats --json` against a process that opens the collection
  and makes the statistics screen's call for 365 days;
- first sync: `kioku decks` on a new database and the 100 deck files,
  against Anki's text import of the same 100,000 notes (front and back, one
  deck each, as `side_by_side.py` builds them) into a new collection.

After the timed pairs, one more run of each is watched for its peak memory
(VmHWM, read from /proc while it runs). kioku runs on a copy of bench.db, so that no run changes what the next one
reads; Anki runs on WORK/collection.anki2 with the clock `side_by_side.py`
chose (faketime when installed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import side_by_side as sbs  # noqa: E402


def child_text_import(tsv: str, col_path: str) -> dict:
    """Imports the notes file into a new collection, as Anki's Import
    screen does for a text file."""
    from anki.collection import Collection, ImportCsvRequest

    col = Collection(col_path)
    metadata = col.get_csv_metadata(path=tsv, delimiter=None)
    out = col.import_csv(ImportCsvRequest(path=tsv, metadata=metadata))
    notes = col.note_count()
    col.close()
    return {"notes": notes, "log_new": len(out.log.new)}


def write_notes(bench_db: str, tsv: str, parent: str) -> int:
    """The kioku cards as a tab-separated notes file, its deck in a column."""
    db = sqlite3.connect(f"file:{bench_db}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT deck_id, content FROM cards WHERE active = 1 ORDER BY deck_id, position")
    n = 0
    with open(tsv, "w", encoding="utf-8") as f:
        f.write("#separator:tab\n#html:true\n#notetype:Basic\n#deck column:3\n")
        for deck, content in rows:
            front, back = sbs.note_fields(content)
            clean = [s.replace("\t", " ").replace("\n", "<br>") for s in (front, back)]
            f.write(f"{clean[0]}\t{clean[1]}\t{parent}::{deck}\n")
            n += 1
    db.close()
    return n


WATCH = [False]


def watched(argv: list[str], env: dict, until_prompt: bool = False) -> tuple[float, int]:
    """Runs a process to its end (or, with `until_prompt`, until it prints
    its first prompt); returns milliseconds and, while `WATCH[0]`, its peak
    memory in KiB (else 0). The watching thread polls /proc every half
    millisecond, which on a small machine slows what it watches: timed runs
    are not watched."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=env, stdin=subprocess.PIPE if until_prompt else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = [0]
    done = threading.Event()

    def watch():
        while not done.is_set():
            try:
                with open(f"/proc/{proc.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            peak[0] = max(peak[0], int(line.split()[1]))
            except OSError:
                pass
            time.sleep(0.0005)

    watcher = threading.Thread(target=watch)
    if WATCH[0]:
        watcher.start()
    if until_prompt:
        seen = b""
        while not seen.endswith(b"> "):
            chunk = proc.stdout.read1(4096)
            if not chunk:
                raise SystemExit(f"no question was asked: {seen[-400:]!r}")
            seen += chunk
        elapsed = sbs.ms_since(start)
        proc.stdin.close()
        proc.stdout.read()
        proc.wait()
    else:
        proc.stdout.read()
        proc.wait()
        elapsed = sbs.ms_since(start)
    done.set()
    if WATCH[0]:
        watcher.join()
    if proc.returncode not in (0, None) and not until_prompt:
        raise SystemExit(f"{argv} failed with code {proc.returncode}")
    return elapsed, peak[0]


def anki_child(env: dict, *args: str) -> list[str]:
    return [sys.executable, os.path.abspath(__file__), "--child", *args]


def in_turn(pairs: int, kioku, anki) -> tuple[list, list, int, int]:
    """A B A B ...: the times of each, then one watched run of each for
    its peak memory (KiB)."""
    a, b = [], []
    kioku()
    anki()  # one of each first, not counted: warm caches
    for _ in range(pairs):
        a.append(kioku()[0])
        b.append(anki()[0])
    WATCH[0] = True
    peaks = kioku()[1], anki()[1]
    WATCH[0] = False
    return a, b, *peaks


def median(values):
    return statistics.median(values)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind = sys.argv[2]
        if kind == "textimport":
            out = child_text_import(sys.argv[3], sys.argv[4])
        elif kind == "open":
            out = sbs.child_open(sys.argv[3])
        elif kind == "stats":
            out = sbs.child_stats(sys.argv[3], 0)
        else:
            raise SystemExit(f"unknown child {kind}")
        print(json.dumps(out))
        return

    ap = argparse.ArgumentParser(description="kioku and Anki in turn, as ratios")
    ap.add_argument("kioku_bench_dir")
    ap.add_argument("work_dir", help="where side_by_side.py built collection.anki2")
    ap.add_argument("--kioku", required=True, metavar="BIN")
    ap.add_argument("--now", default=sbs.DEFAULT_NOW)
    ap.add_argument("--runs", type=int, default=9, help="pairs for first question and stats")
    ap.add_argument("--sync-runs", type=int, default=5, help="pairs for the first sync")
    ap.add_argument("--parent", default="kioku")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args()

    bench = args.kioku_bench_dir
    decks = os.path.join(bench, "decks")
    col_path = os.path.join(args.work_dir, sbs.COLLECTION_NAME)
    with open(os.path.join(args.work_dir, sbs.BUILD_INFO_NAME)) as f:
        built = json.load(f)
    now_ms = sbs.parse_now(args.now)
    libfaketime = sbs.find_libfaketime(None) if built["mode"] == "faketime" else None
    anki_env = sbs.child_env(built["mode"], libfaketime, now_ms)
    kioku_env = dict(os.environ, KIOKU_NOW=args.now, TZ="UTC")
    scratch = tempfile.mkdtemp(dir=args.work_dir)
    db = os.path.join(scratch, "kioku.db")
    shutil.copyfile(os.path.join(bench, "bench.db"), db)

    def kioku(*cmd, prompt=False, at=db):
        return watched([args.kioku, "--db", at, "--decks", decks, *cmd], kioku_env, prompt)

    rows = []

    def race(label, pairs, a, b, goal):
        ka, an, k_kb, a_kb = in_turn(pairs, a, b)
        k_ms, a_ms = median(ka), median(an)
        rows.append({"measure": label, "kioku_ms": k_ms, "anki_ms": a_ms,
                     "ratio": a_ms / k_ms, "kioku_peak_kb": k_kb, "anki_peak_kb": a_kb,
                     "goal": goal, "pairs": pairs})
        print(f"{label:<34} {sbs.fmt_ms(k_ms):>10} {sbs.fmt_ms(a_ms):>10} "
              f"{a_ms / k_ms:>7.1f}x  {sbs.fmt_mb(k_kb):>9} {sbs.fmt_mb(a_kb):>9}  {goal}",
              flush=True)

    print(f"{'measure':<34} {'kioku':>10} {'Anki':>10} {'ratio':>8}  "
          f"{'kioku mem':>9} {'Anki mem':>9}  goal")
    race("first question", args.runs,
         lambda: kioku("study", "--seed", "1", prompt=True),
         lambda: watched(anki_child(anki_env, "open", col_path), anki_env),
         "≥ 25×")
    race("stats (365 days)", args.runs,
         lambda: kioku("stats", "--json"),
         lambda: watched(anki_child(anki_env, "stats", col_path), anki_env),
         "≥ 10×, kioku ≤ 32 MB")

    tsv = os.path.join(scratch, "notes.tsv")
    notes = write_notes(os.path.join(bench, "bench.db"), tsv, args.parent)
    counter = [0]

    def fresh(name):
        counter[0] += 1
        return os.path.join(scratch, f"{name}-{counter[0]}")

    def kioku_cold():
        at = fresh("cold") + ".db"
        out = kioku("decks", at=at)
        for suffix in ("", "-wal", "-shm", "-lock", "-bulk-lock"):
            if os.path.exists(at + suffix):
                os.remove(at + suffix)
        return out

    def anki_import():
        at = fresh("import") + ".anki2"
        out = watched(anki_child(anki_env, "textimport", tsv, at), anki_env)
        shutil.rmtree(at.replace(".anki2", ".media"), ignore_errors=True)
        for p in (at, at.replace(".anki2", ".media.db2")):
            if os.path.exists(p):
                os.remove(p)
        return out

    race(f"first sync / text import ({notes:,})", args.sync_runs, kioku_cold, anki_import,
         "≥ 5×")
    shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
