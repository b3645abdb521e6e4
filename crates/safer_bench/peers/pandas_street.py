"""The peer for bench-import: pandas reads every street-level file in a folder with read_csv,
then counts rows by month, LSOA and crime type with a group-by, as an analyst would. Timed
in-process; prints the median of three runs."""

import glob
import os
import statistics
import sys
import time

import pandas as pd


def main(folder):
    files = sorted(glob.glob(os.path.join(folder, "*-street.csv")))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        frame = pd.concat((pd.read_csv(f) for f in files), ignore_index=True)
        counts = frame.groupby(["Month", "LSOA code", "Crime type"], dropna=False).size()
        times.append(time.perf_counter() - start)
    print(f"version={pd.__version__}")
    print(f"rows={len(frame)}")
    print(f"groups={len(counts)}")
    print(f"median_seconds={statistics.median(times)}")


if __name__ == "__main__":
    main(sys.argv[1])
