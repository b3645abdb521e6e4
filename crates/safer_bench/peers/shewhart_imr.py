"""The peer for bench-spc: the Python package shewhart's individuals chart with its Nelson
rules, on the series bench-spc wrote (one series a line), timed in-process. Prints the median
of three runs."""

import statistics
import sys
import time

import shewhart


def main(path):
    with open(path) as f:
        series = [[float(x) for x in line.split(",")] for line in f if line.strip()]
    times = []
    for _ in range(3):
        start = time.perf_counter()
        signals = 0
        for values in series:
            result = shewhart.imr(values, rules="nelson")
            signals += len(result.signals)
        times.append(time.perf_counter() - start)
    print(f"version={getattr(shewhart, '__version__', 'unknown')}")
    print(f"signals={signals}")
    print(f"median_seconds={statistics.median(times)}")


if __name__ == "__main__":
    main(sys.argv[1])
