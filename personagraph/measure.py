"""Run a command as a child process and report its wall time and peak memory as JSON.

``python -m personagraph.measure -- CMD ...`` prints one JSON line on stderr's last line:
{"seconds": ..., "peak_mib": ..., "returncode": ...}. Used by the benchmarks so that
each stage's peak resident memory is its own (ru_maxrss of this wrapper's children).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    started = time.perf_counter()
    completed = subprocess.run(argv, check=False)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = {"seconds": seconds, "peak_mib": peak_kib / 1024, "returncode": completed.returncode}
    print("PERSONAGRAPH_MEASURE " + json.dumps(result), file=sys.stderr)
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
