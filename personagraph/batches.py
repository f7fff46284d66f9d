"""Raw files cut into appended batches (daily drops appended to the same export file).

Used by the incremental-build tests and benchmark: a CSV file is cut at record
boundaries (a quoted field may hold a line break; a line the CSV reader cannot use is a
record of its own), and batch k writes the header and the first n_k records of every
file, so that each later batch only appends rows to what an earlier one wrote.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RawFile:
    name: str  # the raw table, the file's stem
    header: str
    records: list[str]  # every complete CSV record with its line ending, in file order


def read_records(path: Path) -> RawFile:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text))
    chunks = []
    previous = 0
    for _ in reader:
        chunks.append("".join(lines[previous : reader.line_num]))
        previous = reader.line_num
    if not chunks:
        return RawFile(path.stem, "", [])
    return RawFile(path.stem, chunks[0], chunks[1:])


def read_raw_dir(raw_dir: Path) -> list[RawFile]:
    return [read_records(path) for path in sorted(raw_dir.glob("*.csv"))]


def write_batch(raw: list[RawFile], counts: dict[str, int], out_dir: Path) -> None:
    """Write every file with its first counts[name] records (all when not named)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for raw_file in raw:
        with open(out_dir / f"{raw_file.name}.csv", "w", encoding="utf-8", newline="") as handle:
            handle.write(raw_file.header)
            handle.writelines(raw_file.records[: counts.get(raw_file.name, len(raw_file.records))])


def fraction(raw: list[RawFile], share: float) -> dict[str, int]:
    """The record counts of the first share of every file."""
    return {raw_file.name: int(len(raw_file.records) * share) for raw_file in raw}
