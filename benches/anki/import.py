#!/usr/bin/env python3
"""Anki's own import of a package, with its scheduling, into a new collection.

    python import.py PACKAGE COLLECTION

COLLECTION must not exist yet. Imports PACKAGE as Anki's "Import" screen
does with "Import any learning progress" ticked (`with_scheduling`), closes
the collection, and prints one line of JSON: the notes, cards and review log
entries the collection then holds, and the seconds spent, inside this
process, opening the collection, importing, and closing it.

The bench that starts this script (`cargo bench --bench collection --
--anki-import`, with KIOKU_ANKI_PYTHON naming a Python that has the `anki`
package) times the whole process and watches its peak memory; nothing is
installed by either.
"""

import json
import os
import sys
import time


def main():
    package, path = sys.argv[1], sys.argv[2]
    if os.path.exists(path):
        sys.exit(f"{path} exists; the import is timed into a new collection")
    from anki.collection import (Collection, ImportAnkiPackageOptions,
                                 ImportAnkiPackageRequest)

    started = time.perf_counter()
    col = Collection(path)
    opened = time.perf_counter()
    col.import_anki_package(ImportAnkiPackageRequest(
        package_path=package,
        options=ImportAnkiPackageOptions(with_scheduling=True,
                                         with_deck_configs=True),
    ))
    imported = time.perf_counter()
    counts = {
        "notes": col.db.scalar("select count() from notes"),
        "cards": col.db.scalar("select count() from cards"),
        "revlog": col.db.scalar("select count() from revlog"),
    }
    counted = time.perf_counter()
    col.close()
    closed = time.perf_counter()
    print(json.dumps(dict(counts, open_s=opened - started,
                          import_s=imported - opened,
                          close_s=closed - counted)))


if __name__ == "__main__":
    main()
