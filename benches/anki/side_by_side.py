#!/usr/bin/env python3
"""Time the work of kioku's benchmarks in Anki's engine, on the same collection.

kioku's collection bench (`cargo bench --bench collection -- --keep DIR`)
leaves a generated collection in DIR: `bench.db` (100,000 cards in 100 decks
and about a million reviews over a year and a half, studied up to the start
of the day of the fixed clock 2026-06-01T09:00:00Z, so that the day's reviews
are due) and
`decks/*.toml`. This script turns that database into an Anki collection and
times, in Anki's engine, what kioku's bench times in kioku:

- open to first card: open the collection and take the first card of the v3
  study queue (plus rendering its question, shown apart);
- stats: the statistics screen's backend call over the whole collection for
  365 days, from an open collection and including the open;
- the peak memory (VmHWM) of each of those processes.

Run it in a virtual environment that has Anki's Python package:

    python3 -m venv venv && venv/bin/pip install anki==26.9.3
    venv/bin/python side_by_side.py KIOKU_BENCH_DIR WORK_DIR

Useful flags: `--runs N` and `--stats-runs N` (repetitions; medians are
reported), `--skip-build` (reuse WORK_DIR/collection.anki2), `--kioku BIN`
(also run `kioku decks` on a copy of bench.db, to compare the due counts),
`--json FILE` (write every figure as JSON).

The clock. Anki reads the system clock and has no override like KIOKU_NOW.
If libfaketime is installed (Debian: `apt-get install faketime`), every Anki
process is started with it preloaded so that its clock starts at the same
fixed moment as kioku's (`--now`); monotonic clocks, which the timings use,
are left alone. Without libfaketime (or with `--shift`), every timestamp of
the history is instead moved forward by a whole number of days, so that the
last day of the history is today; the day's counts stay the same, but the
time of day is the real one rather than 09:00. All processes run with TZ=UTC,
so that Anki's day rollover hour lines up with kioku's (04:00 UTC by default),
and without RUST_BACKTRACE: with it set, Anki's backend resolves a backtrace
for every error it raises and handles, and opening a collection raises one.

The Anki collection: one Anki deck per kioku deck, all under one parent deck
(`--parent`, default "kioku") so that studying the parent takes every deck at
once, as `kioku study` does with no deck named; one note of the stock Basic
type per kioku card (front: the question, back: the answer); FSRS enabled in
the deck preset, with kioku's settings (retention, daily limits, steps,
maximum interval, leech threshold, FSRS parameters); each card's state
(new, learning, relearning or review, due, interval, reps, lapses, and the
FSRS memory state) and the whole review log carried over; and the decks'
"studied today" counters set from today's reviews, as Anki would have kept
them had the reviews been done in Anki.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone

DAY_MS = 86_400_000
DEFAULT_NOW = "2026-06-01T09:00:00Z"
COLLECTION_NAME = "collection.anki2"
BUILD_INFO_NAME = "build.json"

# kioku's defaults, for settings its database does not override.
KIOKU_DEFAULTS = {
    "desired_retention": "0.9",
    "new_per_day": "20",
    "reviews_per_day": "200",
    "learning_steps": "1m 10m",
    "relearning_steps": "10m",
    "rollover_hour": "4",
    "max_interval_days": "36500",
    "leech_threshold": "8",
    "fsrs_parameters": "default",
}

# FSRS-6's default decay (the last of its 21 parameters), used by kioku and
# Anki alike when no parameters have been fitted.
FSRS6_DEFAULT_DECAY = 0.1542

# Anki's card types and queues.
CARD_NEW, CARD_LEARN, CARD_REVIEW, CARD_RELEARN = 0, 1, 2, 3
QUEUE_SUSPENDED, QUEUE_USER_BURIED = -1, -3
QUEUE_LEARN, QUEUE_REVIEW, QUEUE_DAY_LEARN = 1, 2, 3
# Anki's review log types.
REVLOG_LEARN, REVLOG_REVIEW, REVLOG_RELEARN = 0, 1, 2


def parse_now(text: str) -> int:
    """An ISO 8601 moment as unix milliseconds."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


def day_index(ms: int, rollover_hour: int) -> int:
    """The study day (UTC, starting at the rollover hour) a moment falls in."""
    return (ms - rollover_hour * 3_600_000) // DAY_MS


def day_start_ms(day: int, rollover_hour: int) -> int:
    return day * DAY_MS + rollover_hour * 3_600_000


def read_vm_hwm_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


# ---------------------------------------------------------------------------
# Reading kioku's database


def kioku_settings(kioku_db) -> dict[str, str]:
    settings = dict(KIOKU_DEFAULTS)
    try:
        settings.update(dict(kioku_db.execute("SELECT key, value FROM settings")))
    except Exception:
        pass
    return settings


def parse_steps(text: str) -> list[float]:
    """kioku's steps ("1m 10m", "30s", "1h", "2d") as minutes."""
    units = {"s": 1 / 60, "m": 1, "h": 60, "d": 1440}
    steps = []
    for token in text.replace(",", " ").split():
        unit = token[-1] if token[-1] in units else "m"
        number = token[:-1] if token[-1] in units else token
        steps.append(float(number) * units[unit])
    return steps


def parse_parameters(text: str) -> list[float]:
    if text.strip() in ("", "default"):
        return []
    return [float(x) for x in text.replace(",", " ").split()]


def note_fields(content: str) -> tuple[str, str]:
    """Front and back of a kioku card (its JSON) for a Basic note."""
    card = json.loads(content)
    kind = card.get("type")
    if kind == "cloze":
        gaps = card.get("gaps", [])
        gap = card.get("gap", 0)
        text = card.get("text", "")
        parts = text.split("{{")
        front, index = parts[0], 0
        for part in parts[1:]:
            inner, _, rest = part.partition("}}")
            front += "[...]" if index == gap else inner
            front += rest
            index += 1
        answer = gaps[gap]["answer"] if gap < len(gaps) else ""
    elif kind == "order":
        front = card.get("q", "")
        answer = " → ".join(str(item) for item in card.get("items", []))
    else:
        front = card.get("q", "")
        value = card.get("a", "")
        if isinstance(value, bool):
            value = "true" if value else "false"
        answer = str(value)
        if kind == "choice" and card.get("wrong"):
            options = sorted([answer] + [str(w) for w in card["wrong"]])
            front += "<br>" + " / ".join(options)
    back = answer
    if card.get("why"):
        back += "<br><br>" + card["why"]
    return front, back


# ---------------------------------------------------------------------------
# Building the Anki collection (runs in its own process, on the chosen clock)


def build(kioku_db_path: str, col_path: str, opts: dict) -> dict:
    import sqlite3

    from anki.collection import AddNoteRequest, Collection
    from anki.deck_config_pb2 import UpdateDeckConfigsRequest

    started = time.perf_counter()
    offset = opts["offset_ms"]
    now_ms = opts["now_ms"] + offset  # kioku's "now", on the collection's clock
    parent = opts["parent"]

    kioku = sqlite3.connect(f"file:{kioku_db_path}?mode=ro", uri=True)
    settings = kioku_settings(kioku)
    rollover = int(settings["rollover_hour"])
    learn_steps = parse_steps(settings["learning_steps"]) or [1.0, 10.0]
    relearn_steps = parse_steps(settings["relearning_steps"]) or [10.0]
    params = parse_parameters(settings["fsrs_parameters"])
    retention = float(settings["desired_retention"])
    decay = params[20] if len(params) >= 21 else FSRS6_DEFAULT_DECAY

    first_review = kioku.execute("SELECT min(at) FROM reviews").fetchone()[0]
    first_ms = min(first_review + offset, now_ms) if first_review else now_ms
    # The collection's creation: the start of the day of its first review.
    crt_ms = day_start_ms(day_index(first_ms, rollover), rollover)
    today = day_index(now_ms, rollover) - day_index(crt_ms, rollover)
    next_day_ms = day_start_ms(day_index(now_ms, rollover) + 1, rollover)

    def anki_day(ms: int) -> int:
        return (ms - crt_ms) // DAY_MS

    if os.path.exists(col_path):
        os.remove(col_path)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(col_path + suffix):
            os.remove(col_path + suffix)
    col = Collection(col_path)
    col.crt = crt_ms // 1000

    prefs = col.get_preferences()
    prefs.scheduling.rollover = rollover
    col.set_preferences(prefs)

    # The deck preset: kioku's settings, and FSRS on (as the deck options
    # screen does it).
    for_update = col.decks.get_deck_configs_for_update(1)
    preset = for_update.all_config[0].config
    preset.config.desired_retention = retention
    preset.config.new_per_day = int(settings["new_per_day"])
    preset.config.reviews_per_day = int(settings["reviews_per_day"])
    del preset.config.learn_steps[:]
    preset.config.learn_steps.extend(learn_steps)
    del preset.config.relearn_steps[:]
    preset.config.relearn_steps.extend(relearn_steps)
    preset.config.maximum_review_interval = int(settings["max_interval_days"])
    preset.config.leech_threshold = int(settings["leech_threshold"])
    if params:
        del preset.config.fsrs_params_6[:]
        preset.config.fsrs_params_6.extend(params)
    col.decks.update_deck_configs(
        UpdateDeckConfigsRequest(
            target_deck_id=1,
            configs=[preset],
            mode=0,
            limits=for_update.current_deck.limits,
            new_cards_ignore_review_limit=for_update.new_cards_ignore_review_limit,
            apply_all_parent_limits=for_update.apply_all_parent_limits,
            fsrs=True,
        )
    )
    initial_ease = int(round(preset.config.initial_ease * 1000)) or 2500

    # Decks: one per kioku deck, under one parent.
    deck_ids: dict[str, int] = {}
    parent_id = col.decks.id(parent)
    for (kioku_deck,) in kioku.execute(
        "SELECT DISTINCT deck_id FROM cards ORDER BY deck_id"
    ):
        deck_ids[kioku_deck] = col.decks.id(f"{parent}::{kioku_deck}")
    col.decks.select(parent_id)

    # Notes: one Basic note per kioku card, added in kioku's new-card order
    # (deck, then position in the file), so that Anki's new-card positions
    # follow the same order.
    basic = col.models.by_name("Basic")
    t = time.perf_counter()
    requests, kioku_ids = [], []
    for card_id, deck_id, content in kioku.execute(
        "SELECT id, deck_id, content FROM cards ORDER BY deck_id, position, id"
    ):
        note = col.new_note(basic)
        note["Front"], note["Back"] = note_fields(content)
        requests.append(AddNoteRequest(note=note, deck_id=deck_ids[deck_id]))
        kioku_ids.append(card_id)
    col.add_notes(requests)
    card_of_note = dict(col.db.all("SELECT nid, id FROM cards"))
    anki_card = {
        kioku_id: card_of_note[request.note.id]
        for kioku_id, request in zip(kioku_ids, requests)
    }
    del requests
    add_notes_ms = ms_since(t)

    # The review log: ids are the review's time in ms, moved on by a few ms
    # where reviews share a moment; ease is the rating; the interval is in
    # days for a review and in negative seconds for a (re)learning step;
    # factor holds the difficulty as Anki writes it for FSRS (100 to 1100).
    t = time.perf_counter()
    revlog_type = {
        "new": REVLOG_LEARN,
        "learning": REVLOG_LEARN,
        "review": REVLOG_REVIEW,
        "relearning": REVLOG_RELEARN,
    }
    last_ivl: dict[int, int] = {}
    # The last review's time as Anki sees it (its log id), which is what its
    # own check expects in each card's memory state.
    last_rated: dict[int, int] = {}
    today_start = day_start_ms(day_index(now_ms, rollover), rollover)
    deck_of = dict(kioku.execute("SELECT id, deck_id FROM cards"))
    today_counts: dict[str, list[int]] = {}  # deck -> [new, review, ms]
    rows = []
    previous_id = -1
    for (card_id, at, rating, duration, phase_before, phase_after, interval_days,
         difficulty_after, due_after) in kioku.execute(
        "SELECT card_id, at, rating, duration_ms, phase_before, phase_after,"
        " interval_days, difficulty_after, due_after FROM reviews"
        " ORDER BY at, card_id"
    ):
        at += offset
        revlog_id = max(at, previous_id + 1)
        previous_id = revlog_id
        if phase_after == "review":
            ivl = max(1, interval_days)
        else:
            ivl = -max(1, (due_after + offset - at) // 1000)
        factor = int(round(100 + (difficulty_after - 1) / 9 * 1000))
        cid = anki_card[card_id]
        duration = duration or 0
        rows.append(
            (revlog_id, cid, -1, rating, ivl, last_ivl.get(cid, 0), factor,
             duration, revlog_type[phase_before])
        )
        last_ivl[cid] = ivl
        last_rated[card_id] = revlog_id // 1000
        if at >= today_start:
            counts = today_counts.setdefault(deck_of[card_id], [0, 0, 0])
            if phase_before == "new":
                counts[0] += 1
            elif phase_before == "review":
                counts[1] += 1
            counts[2] += duration
    col.db.transact(lambda: col.db.executemany(
        "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        rows,
    ))
    revlog_rows = len(rows)
    del rows
    revlog_ms = ms_since(t)

    # Card states.
    t = time.perf_counter()
    flags = {}
    try:
        for card_id, suspended, buried_until in kioku.execute(
            "SELECT card_id, suspended, buried_until FROM card_flags"
        ):
            flags[card_id] = (suspended, buried_until)
    except sqlite3.OperationalError:
        pass
    inactive = {row[0] for row in kioku.execute("SELECT id FROM cards WHERE active = 0")}
    updates = []
    for (card_id, phase, step, stability, difficulty, due, last_review, reps,
         lapses) in kioku.execute(
        "SELECT card_id, phase, step, stability, difficulty, due, last_review,"
        " reps, lapses FROM card_state"
    ):
        due += offset
        last_review += offset
        data = json.dumps(
            {
                "s": round(stability, 4),
                "d": round(difficulty, 3),
                "dr": retention,
                "decay": round(decay, 3),
                "lrt": last_rated.get(card_id, last_review // 1000),
            },
            separators=(",", ":"),
        )
        if phase == "review":
            ctype, queue = CARD_REVIEW, QUEUE_REVIEW
            anki_due = anki_day(due)
            ivl = max(1, anki_due - anki_day(last_review))
            factor, left = initial_ease, 0
        else:
            steps = learn_steps if phase == "learning" else relearn_steps
            ctype = CARD_LEARN if phase == "learning" else CARD_RELEARN
            left = max(1, len(steps) - step)
            if due >= next_day_ms:
                queue, anki_due = QUEUE_DAY_LEARN, anki_day(due)
            else:
                queue, anki_due = QUEUE_LEARN, due // 1000
            ivl = 0 if phase == "learning" else 1
            factor = 0 if phase == "learning" else initial_ease
        suspended, buried_until = flags.get(card_id, (0, None))
        if suspended or card_id in inactive:
            queue = QUEUE_SUSPENDED
        elif buried_until is not None and buried_until + offset > now_ms:
            queue = QUEUE_USER_BURIED
        updates.append(
            (ctype, queue, anki_due, ivl, factor, reps, lapses, left, data,
             anki_card[card_id])
        )
    # Cards kioku never showed but that are gone from their files.
    new_inactive = inactive - {u for u, in kioku.execute("SELECT card_id FROM card_state")}

    def write_states() -> None:
        col.db.executemany(
            "UPDATE cards SET type=?, queue=?, due=?, ivl=?, factor=?, reps=?,"
            " lapses=?, left=?, data=? WHERE id=?",
            updates,
        )
        col.db.executemany(
            "UPDATE cards SET queue=? WHERE id=?",
            [(QUEUE_SUSPENDED, anki_card[c]) for c in new_inactive],
        )

    # One transaction: row by row, each statement would commit on its own.
    col.db.transact(write_states)
    states = len(updates)
    del updates
    card_states_ms = ms_since(t)

    # What was studied today, per deck and for the parent, as Anki counts it
    # when cards are answered (it keeps these in the decks, not the log).
    totals = [0, 0, 0]
    for kioku_deck, counts in today_counts.items():
        deck = col.decks.get(deck_ids[kioku_deck])
        deck["newToday"] = [today, counts[0]]
        deck["revToday"] = [today, counts[1]]
        deck["timeToday"] = [today, counts[2]]
        col.decks.save(deck)
        totals = [a + b for a, b in zip(totals, counts)]
    deck = col.decks.get(parent_id)
    deck["newToday"], deck["revToday"], deck["timeToday"] = (
        [today, totals[0]], [today, totals[1]], [today, totals[2]])
    col.decks.save(deck)
    col.close()

    # Anki's own check: it must find nothing to fix that changes the counts.
    t = time.perf_counter()
    col = Collection(col_path)
    before = fingerprint(col)
    problems, ok = col.fix_integrity()
    after = fingerprint(col)
    check_ms = ms_since(t)

    # Spot-check that Anki reads back the memory states written.
    sample = kioku.execute(
        "SELECT card_id, stability, difficulty FROM card_state ORDER BY card_id"
        " LIMIT 50"
    ).fetchall()
    worst = 0.0
    for card_id, stability, difficulty in sample:
        state = col.get_card(anki_card[card_id]).memory_state
        worst = max(worst, abs(state.stability - stability) / stability,
                    abs(state.difficulty - difficulty) / difficulty)
    col.close()
    kioku.close()

    return {
        "cards": len(anki_card),
        "card_states": states,
        "decks": len(deck_ids),
        "revlog_rows": revlog_rows,
        "crt": crt_ms // 1000,
        "today": today,
        "studied_today": {"new": totals[0], "review": totals[1], "ms": totals[2]},
        "check_database_ok": ok,
        "check_database_message": problems,
        "check_changed_counts": before != after,
        "fingerprint": after,
        "memory_state_max_rel_error": worst,
        "build_ms": ms_since(started),
        "add_notes_ms": add_notes_ms,
        "card_states_ms": card_states_ms,
        "revlog_ms": revlog_ms,
        "check_ms": check_ms,
        "settings": settings,
    }


def fingerprint(col) -> list:
    """Counts and sums over the collection, to see that a check changed nothing."""
    return [
        list(col.db.first(
            "SELECT count(), sum(type), sum(queue), sum(due), sum(ivl), sum(factor),"
            " sum(reps), sum(lapses), sum(left) FROM cards")),
        list(col.db.first(
            "SELECT count(), sum(cid % 1000003), sum(ease), sum(ivl), sum(lastIvl),"
            " sum(factor), sum(time), sum(type) FROM revlog")),
        col.db.scalar("SELECT count() FROM notes"),
        len(col.decks.all_names_and_ids()),
    ]


# ---------------------------------------------------------------------------
# The timed work (each run in a fresh process)


def import_anki():
    """Anki's Collection class, with how long the import took (ms) and the
    process's peak memory after it (KiB)."""
    t = time.perf_counter()
    from anki.collection import Collection
    from anki.cards import Card  # noqa: F401 (imported with it, as Anki's own code does)

    return Collection, ms_since(t), read_vm_hwm_kb()


def child_open(col_path: str) -> dict:
    hwm_start = read_vm_hwm_kb()
    Collection, import_ms, hwm_import = import_anki()
    from anki.cards import Card

    t0 = time.perf_counter()
    col = Collection(col_path)
    open_ms = ms_since(t0)
    queued = col.sched.get_queued_cards(fetch_limit=1)
    first_card_ms = ms_since(t0)
    question = ""
    if queued.cards:
        card = Card(col)
        card._load_from_backend_card(queued.cards[0].card)
        question = card.question()
    rendered_ms = ms_since(t0)
    hwm = read_vm_hwm_kb()
    result = {
        "clock": time.time(),
        "import_ms": import_ms,
        "open_ms": open_ms,
        "first_card_ms": first_card_ms,
        "rendered_ms": rendered_ms,
        "hwm_start_kb": hwm_start,
        "hwm_import_kb": hwm_import,
        "hwm_kb": hwm,
        "got_card": bool(queued.cards),
        "question_chars": len(question),
        "counts": [queued.new_count, queued.learning_count, queued.review_count],
    }
    col.close()
    return result


def child_stats(col_path: str, repeats: int) -> dict:
    Collection, import_ms, hwm_import = import_anki()

    t0 = time.perf_counter()
    col = Collection(col_path)
    open_ms = ms_since(t0)
    t1 = time.perf_counter()
    graphs = col._backend.graphs(search="", days=365)
    graphs_ms = ms_since(t1)
    t2 = time.perf_counter()
    studied_today = col.studied_today()
    today_ms = ms_since(t2)
    total_ms = ms_since(t0)
    hwm = read_vm_hwm_kb()
    again = []
    for _ in range(repeats):
        t3 = time.perf_counter()
        col._backend.graphs(search="", days=365)
        again.append(ms_since(t3))
    hwm_after_repeats = read_vm_hwm_kb()
    today = graphs.today
    counts = graphs.card_counts.excluding_inactive
    result = {
        "clock": time.time(),
        "import_ms": import_ms,
        "open_ms": open_ms,
        "graphs_ms": graphs_ms,
        "studied_today_ms": today_ms,
        "open_and_stats_ms": total_ms,
        "graphs_again_ms": again,
        "hwm_import_kb": hwm_import,
        "hwm_kb": hwm,
        "hwm_after_repeats_kb": hwm_after_repeats,
        "graph_fsrs": graphs.fsrs,
        "graph_reviews": sum(
            r.learn + r.relearn + r.young + r.mature + r.filtered
            for r in graphs.reviews.count.values()),
        "graph_card_counts": {
            "new": counts.newCards, "learn": counts.learn, "relearn": counts.relearn,
            "young": counts.young, "mature": counts.mature,
        },
        "today": {
            "answer_count": today.answer_count,
            "answer_millis": today.answer_millis,
            "correct_count": today.correct_count,
            "mature_count": today.mature_count,
            "mature_correct": today.mature_correct,
            "learn_count": today.learn_count,
            "review_count": today.review_count,
            "relearn_count": today.relearn_count,
        },
        "studied_today": studied_today,
        "response_bytes": graphs.ByteSize(),
    }
    col.close()
    return result


def child_info(col_path: str, parent: str) -> dict:
    from anki.collection import Collection

    col = Collection(col_path)
    queued = col.sched.get_queued_cards(fetch_limit=1)
    tree = col.sched.deck_due_tree(col.decks.id_for_name(parent))
    first = None
    if queued.cards:
        card = queued.cards[0].card
        first = {"queue": card.queue, "due": card.due,
                 "deck": col.decks.name(card.deck_id)}
    due_by_deck = {}
    for child in tree.children:
        due_by_deck[child.name] = [child.new_count, child.learn_count, child.review_count]
    timing = col.sched._timing_today()
    result = {
        "clock": time.time(),
        "days_elapsed": timing.days_elapsed,
        "next_day_at": timing.next_day_at,
        "fsrs": bool(col.get_config("fsrs", False)),
        "cards": col.card_count(),
        "notes": col.note_count(),
        "decks": len(col.decks.all_names_and_ids()),
        "revlog_rows": col.db.scalar("SELECT count() FROM revlog"),
        "queue_counts": [queued.new_count, queued.learning_count, queued.review_count],
        "tree_counts": [tree.new_count, tree.learn_count, tree.review_count],
        "decks_with_due": sum(1 for c in due_by_deck.values() if any(c)),
        "is_due": len(col.find_cards("is:due")),
        "is_due_review": len(col.find_cards("is:due is:review -is:learn")),
        "is_new": len(col.find_cards("is:new")),
        "is_learn": len(col.find_cards("is:learn")),
        "is_review": len(col.find_cards("is:review")),
        "first_card": first,
        "studied_today": col.studied_today(),
    }
    col.close()
    return result


# ---------------------------------------------------------------------------
# The driver


def find_libfaketime(explicit: str | None) -> str | None:
    if explicit:
        return explicit if os.path.exists(explicit) else None
    candidates = glob.glob("/usr/lib/*/faketime/libfaketime.so.1") + glob.glob(
        "/usr/lib/faketime/libfaketime.so.1") + glob.glob(
        "/usr/local/lib/faketime/libfaketime.so.1")
    return candidates[0] if candidates else None


def child_env(mode: str, libfaketime: str | None, now_ms: int) -> dict:
    env = dict(os.environ)
    env["TZ"] = "UTC"
    # With Rust backtraces on, each error the backend raises and handles
    # (opening a collection looks up a config key that is usually absent)
    # captures and resolves a backtrace: tens of ms and tens of MB that an
    # Anki user does not pay.
    env.pop("RUST_BACKTRACE", None)
    env.pop("RUST_LIB_BACKTRACE", None)
    if mode == "faketime":
        stamp = datetime.fromtimestamp(now_ms / 1000, timezone.utc)
        env["LD_PRELOAD"] = ":".join(
            p for p in (libfaketime, os.environ.get("LD_PRELOAD")) if p)
        env["FAKETIME"] = "@" + stamp.strftime("%Y-%m-%d %H:%M:%S")
        env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
    return env


def run_child(env: dict, *args: str) -> tuple[dict, float]:
    """Run this script as a fresh process; its last output line is JSON."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--child", *args],
        env=env, capture_output=True, text=True,
    )
    wall = ms_since(start)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"child {args[0]} failed with code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall


def time_command(env: dict, argv: list[str], runs: int) -> float:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, capture_output=True)
        walls.append(ms_since(start))
    return statistics.median(walls)


def kioku_decks(binary: str, bench_dir: str, work_dir: str, now: str) -> str:
    copy = os.path.join(work_dir, "kioku-copy.db")
    shutil.copyfile(os.path.join(bench_dir, "bench.db"), copy)
    env = dict(os.environ, KIOKU_NOW=now, TZ="UTC")
    proc = subprocess.run(
        [binary, "--db", copy, "--decks", os.path.join(bench_dir, "decks"), "decks"],
        env=env, capture_output=True, text=True,
    )
    os.remove(copy)
    return proc.stdout + proc.stderr


def fmt_ms(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.1f} ms"


def fmt_mb(kb: float) -> str:
    return f"{kb / 1024:.1f} MB"


def print_table(title: str, rows: list[tuple[str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"\n{title}")
    print(f"| {'measure'.ljust(width)} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, col_path = sys.argv[2], sys.argv[3]
        if kind == "open":
            out = child_open(col_path)
        elif kind == "stats":
            out = child_stats(col_path, int(sys.argv[4]))
        elif kind == "info":
            out = child_info(col_path, sys.argv[4])
        elif kind == "build":
            out = build(sys.argv[4], col_path, json.loads(sys.argv[5]))
        else:
            raise SystemExit(f"unknown child {kind}")
        print(json.dumps(out))
        return

    ap = argparse.ArgumentParser(
        description="Build an Anki collection from kioku's bench collection and time "
        "Anki's engine on it.")
    ap.add_argument("kioku_bench_dir", help="folder with kioku's bench.db (and decks/)")
    ap.add_argument("work_dir", help="folder for the Anki collection and results")
    ap.add_argument("--now", default=DEFAULT_NOW,
                    help=f"kioku's fixed clock for the collection (default {DEFAULT_NOW})")
    ap.add_argument("--runs", type=int, default=9,
                    help="fresh processes for open to first card (default 9)")
    ap.add_argument("--stats-runs", type=int, default=5,
                    help="fresh processes for stats (default 5)")
    ap.add_argument("--repeats", type=int, default=3,
                    help="further stats calls in each stats process (default 3)")
    ap.add_argument("--parent", default="kioku", help="name of the parent deck")
    ap.add_argument("--skip-build", action="store_true",
                    help="reuse the collection already in WORK_DIR")
    ap.add_argument("--shift", action="store_true",
                    help="move the history to today instead of faking the clock")
    ap.add_argument("--libfaketime", help="path of libfaketime.so.1 (found if not given)")
    ap.add_argument("--kioku", metavar="BIN",
                    help="kioku binary: also show `kioku decks` on a copy of bench.db")
    ap.add_argument("--json", metavar="FILE", help="write every figure here as JSON")
    args = ap.parse_args()

    bench_db = os.path.join(args.kioku_bench_dir, "bench.db")
    if not os.path.exists(bench_db):
        raise SystemExit(f"no bench.db in {args.kioku_bench_dir}")
    os.makedirs(args.work_dir, exist_ok=True)
    col_path = os.path.join(args.work_dir, COLLECTION_NAME)
    info_path = os.path.join(args.work_dir, BUILD_INFO_NAME)
    now_ms = parse_now(args.now)

    # Choose how "now" is made to match: a faked clock if it works, or else
    # the history shifted by whole days.
    libfaketime = None if args.shift else find_libfaketime(args.libfaketime)
    mode = "shift"
    if libfaketime:
        env = child_env("faketime", libfaketime, now_ms)
        probe = subprocess.run(
            [sys.executable, "-c", "import time; print(time.time())"],
            env=env, capture_output=True, text=True)
        if probe.returncode == 0 and abs(float(probe.stdout) * 1000 - now_ms) < 60_000:
            mode = "faketime"
    rollover_hour = 4
    if mode == "shift":
        import sqlite3
        db = sqlite3.connect(f"file:{bench_db}?mode=ro", uri=True)
        rollover_hour = int(kioku_settings(db)["rollover_hour"])
        db.close()
    real_now_ms = int(time.time() * 1000)
    offset_ms = 0
    if mode == "shift":
        offset_ms = (day_index(real_now_ms, rollover_hour)
                     - day_index(now_ms, rollover_hour)) * DAY_MS

    if args.skip_build:
        with open(info_path) as f:
            built = json.load(f)
        if built["mode"] != mode:
            raise SystemExit(f"the collection was built for mode {built['mode']}, "
                             f"this run would use {mode}")
        if mode == "shift" and built["offset_ms"] != offset_ms:
            raise SystemExit("the collection was shifted for another day: rebuild it")
    env = child_env(mode, libfaketime, now_ms)

    if not args.skip_build:
        print(f"building {col_path} from {bench_db} (clock: {mode}) ...", flush=True)
        opts = {"now_ms": now_ms, "offset_ms": offset_ms, "parent": args.parent}
        built, build_wall = run_child(env, "build", col_path, bench_db, json.dumps(opts))
        built.update(mode=mode, offset_ms=offset_ms, build_wall_ms=build_wall,
                     now=args.now, built_at=real_now_ms)
        with open(info_path, "w") as f:
            json.dump(built, f, indent=1)

    info, _ = run_child(env, "info", col_path, args.parent)

    # Python itself, and importing Anki's package, which the in-process
    # timings below leave out.
    python_ms = time_command(env, [sys.executable, "-c", "pass"], args.runs)
    import_wall_ms = time_command(
        env, [sys.executable, "-c", "import anki.collection"], args.runs)

    # One run of each first, not counted: it warms the page cache and lets
    # Anki do its once-a-day work (unburying) on the first open of the day.
    run_child(env, "open", col_path)
    opens = [run_child(env, "open", col_path) for _ in range(args.runs)]
    run_child(env, "stats", col_path, "0")
    stats = [run_child(env, "stats", col_path, str(args.repeats))
             for _ in range(args.stats_runs)]

    def med(values):
        return statistics.median(values)

    o = [r for r, _ in opens]
    s = [r for r, _ in stats]
    results = {
        "mode": mode,
        "offset_days": offset_ms // DAY_MS,
        "clock_in_children": datetime.fromtimestamp(
            o[0]["clock"], timezone.utc).isoformat(),
        "python_start_ms": python_ms,
        "python_import_anki_wall_ms": import_wall_ms,
        "import_anki_in_process_ms": med([r["import_ms"] for r in o]),
        "open_ms": med([r["open_ms"] for r in o]),
        "open_to_first_card_ms": med([r["first_card_ms"] for r in o]),
        "open_to_rendered_question_ms": med([r["rendered_ms"] for r in o]),
        "open_process_wall_ms": med([w for _, w in opens]),
        "open_hwm_kb": med([r["hwm_kb"] for r in o]),
        "after_import_hwm_kb": med([r["hwm_import_kb"] for r in o]),
        "first_card_counts": o[0]["counts"],
        "stats_open_ms": med([r["open_ms"] for r in s]),
        "stats_graphs_ms": med([r["graphs_ms"] for r in s]),
        "stats_studied_today_ms": med([r["studied_today_ms"] for r in s]),
        "stats_open_and_stats_ms": med([r["open_and_stats_ms"] for r in s]),
        "stats_graphs_again_ms": med([x for r in s for x in r["graphs_again_ms"]])
        if args.repeats else None,
        # The later calls are left out of the whole process's time.
        "stats_process_wall_ms": med([w - sum(r["graphs_again_ms"]) for r, w in stats]),
        "stats_hwm_kb": med([r["hwm_kb"] for r in s]),
        "stats_hwm_after_repeats_kb": med([r["hwm_after_repeats_kb"] for r in s]),
        "stats_today": s[0]["today"],
        "stats_studied_today": s[0]["studied_today"],
        "stats_graph_fsrs": s[0]["graph_fsrs"],
        "stats_graph_reviews": s[0]["graph_reviews"],
        "stats_graph_card_counts": s[0]["graph_card_counts"],
        "runs": args.runs,
        "stats_runs": args.stats_runs,
        "raw_open": o,
        "raw_stats": s,
    }

    with open(info_path) as f:
        built = json.load(f)

    print_table("Anki collection built", [
        ("clock", f"{mode}" + (f" (history moved {offset_ms // DAY_MS} days later)"
                               if mode == "shift" else f" (starts at {args.now})")),
        ("cards / notes", f"{info['cards']:,} / {info['notes']:,}"),
        ("decks (kioku decks, plus parent and Default)",
         f"{built['decks']} (+2 = {info['decks']})"),
        ("revlog rows", f"{info['revlog_rows']:,}"),
        ("FSRS enabled", str(info["fsrs"])),
        ("collection day (days since creation)", str(info["days_elapsed"])),
        ("check_database", "nothing to fix" if built["check_database_ok"]
         else built["check_database_message"].replace("\n", "; ")),
        ("check_database changed counts", str(built["check_changed_counts"])),
        ("memory states read back, worst relative error",
         f"{built['memory_state_max_rel_error']:.1e}"),
        ("studied today (new / review), set in the decks",
         f"{built['studied_today']['new']} / {built['studied_today']['review']}"),
        ("today: queue counts new / learn / review",
         " / ".join(map(str, info["queue_counts"]))),
        ("today: cards due (is:due, no limits)", f"{info['is_due']:,}"),
        ("today: review cards due (no limits)", f"{info['is_due_review']:,}"),
        ("cards new / learning / review",
         f"{info['is_new']:,} / {info['is_learn']:,} / {info['is_review']:,}"),
        ("first card's deck", info["first_card"]["deck"] if info["first_card"] else "none"),
        ("build (whole process)", fmt_ms(built["build_wall_ms"])),
        ("— adding 100k notes through the API" if info["cards"] == 100_000
         else "— adding notes through the API", fmt_ms(built["add_notes_ms"])),
        ("— card states (SQL)", fmt_ms(built["card_states_ms"])),
        ("— review log (SQL)", fmt_ms(built["revlog_ms"])),
        ("— reopening and check_database", fmt_ms(built["check_ms"])),
    ])

    print_table(f"Anki's engine, medians of {args.runs} runs (open) and "
                f"{args.stats_runs} runs (stats), each a fresh process", [
        ("python start (`python -c pass`)", fmt_ms(python_ms)),
        ("python start + `import anki.collection`", fmt_ms(import_wall_ms)),
        ("import anki, inside the process", fmt_ms(results["import_anki_in_process_ms"])),
        ("open (Collection(path))", fmt_ms(results["open_ms"])),
        ("open to first card (get_queued_cards)", fmt_ms(results["open_to_first_card_ms"])),
        ("open to first card, question rendered",
         fmt_ms(results["open_to_rendered_question_ms"])),
        ("whole process, open to first card", fmt_ms(results["open_process_wall_ms"])),
        ("peak memory, open to first card", fmt_mb(results["open_hwm_kb"])),
        ("— of which Python + import anki", fmt_mb(results["after_import_hwm_kb"])),
        ("stats: graphs(365 days), first call after open", fmt_ms(results["stats_graphs_ms"])),
        ("stats: graphs(365 days), later calls",
         fmt_ms(results["stats_graphs_again_ms"]) if args.repeats else "not run"),
        ("stats: studied_today", fmt_ms(results["stats_studied_today_ms"])),
        ("stats including the open", fmt_ms(results["stats_open_and_stats_ms"])),
        ("whole process, stats (first call only)",
         fmt_ms(results["stats_process_wall_ms"])),
        ("peak memory, stats", fmt_mb(results["stats_hwm_kb"])),
        ("today (stats screen)",
         f"{results['stats_today']['answer_count']:,} answers, "
         f"{results['stats_today']['correct_count']:,} correct"),
    ])

    if args.kioku:
        out = kioku_decks(args.kioku, args.kioku_bench_dir, args.work_dir, args.now)
        results["kioku_decks"] = out
        lines = out.strip().splitlines()
        shown = [line for line in lines
                 if line.startswith(("deck ", "total", "today", "kioku:"))]
        print("\nkioku decks (on a copy of bench.db):")
        print("\n".join(shown or lines))

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"build": built, "info": info, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
