#!/usr/bin/env python3
"""CPU bandwidth of numpy views of GPU memory, per domain and flag.

For each configuration (VRAM, VRAM with CPU_ACCESS_REQUIRED, GTT, GTT
write-combined) it allocates a buffer, takes a zero-copy numpy view of its
CPU mapping and measures, best of --reps runs:
  read   np.sum over the view (as uint64 words)
  write  filling the view with a constant
  copy   np.copyto from an ordinary numpy array into the view
with plain numpy memory as the baseline row.  It prints a table and, with
matplotlib installed (optional), writes a chart (--chart FILE).

On amdbare's virtual device every domain is ordinary shared memory, so the
rows are marked "emulated": they measure this CPU, not a GPU's memory.  On a
real APU, GTT write-combined and VRAM reads are where the differences show.

    PYTHONPATH=python /usr/bin/python3 examples/domains.py --vgpu 780m --size 64M
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import amdbare  # noqa: E402

CONFIGS = [
    ("vram", ()),
    ("vram", ("cpu-access",)),
    ("gtt", ()),
    ("gtt", ("uswc",)),
]


def best_of(reps, fn):
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def measure(view, src, reps):
    words = view.view(np.uint64)
    nbytes = view.nbytes
    t_read = best_of(reps, lambda: words.sum())
    t_write = best_of(reps, lambda: words.fill(0x0101010101010101))
    t_copy = best_of(reps, lambda: np.copyto(view, src))
    gib = float(1 << 30)
    return nbytes / t_read / gib, nbytes / t_write / gib, nbytes / t_copy / gib


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vgpu", metavar="PROFILE", help="run on the virtual device (780m, ...)")
    ap.add_argument("--device", type=int, default=0)
    ap.add_argument("--size", default="64M", help="bytes per buffer (default 64M)")
    ap.add_argument("--reps", type=int, default=5, help="runs per measurement (best kept)")
    ap.add_argument("--chart", metavar="FILE", help="write a bar chart (needs matplotlib)")
    a = ap.parse_args(argv)
    if a.vgpu:
        amdbare.use_vgpu(a.vgpu)
    dev = amdbare.Device(a.device)
    info = dev.info()
    emulated = bool(info["is_virtual"])
    size = amdbare.core._parse_size(a.size)
    size -= size % 8
    src = np.full(size, 7, np.uint8)
    print("%s (%s, %s)%s" % (info["marketing_name"], info["gfx_target"], info["kind"],
                             "  \u2014 virtual device (vgpu profile %s): EMULATED, this "
                             "measures the CPU, not GPU memory" % info["virtual_profile"]
                             if emulated else ""))
    print("buffer %s, best of %d; GiB/s" % (a.size, a.reps))
    head = "%-6s %-11s %-32s %8s %8s %8s  %s" % ("domain", "flags", "landed", "read",
                                                  "write", "copy", "")
    print(head)
    print("-" * len(head))
    rows = []
    for domain, flags in CONFIGS:
        try:
            buf = dev.alloc(size, domain, flags)
        except amdbare.Error as e:
            print("%-6s %-11s refused: %s" % (domain, ",".join(flags) or "-", e))
            continue
        # The CPU's first touch of every page (the page faults, and on a
        # dGPU without resizable BAR the kernel's migration out of invisible
        # VRAM) is not bandwidth: buf.touch() does it before measuring and
        # re-measures where the buffer is.
        fell_back = buf.placement["fell_back_to_gtt"]
        buf.touch()
        p = buf.placement
        landed = p["domain"] + (" (fell back)" if fell_back else "") + \
            (" (migrated)" if p["migrated"] else "") + (", cpu-visible" if p["cpu_visible"] else "")
        view = buf.numpy(np.uint8)
        r, w, c = measure(view, src, a.reps)
        del view
        buf.free()
        rows.append(("%s %s" % (domain, ",".join(flags)), r, w, c))
        print("%-6s %-11s %-32s %8.2f %8.2f %8.2f  %s" % (
            domain, ",".join(flags) or "-", landed, r, w, c, "emulated" if emulated else ""))
    host = np.zeros(size, np.uint8)
    host.fill(1)  # faulted in, as the buffers were
    r, w, c = measure(host, src, a.reps)
    rows.append(("numpy (host)", r, w, c))
    print("%-6s %-11s %-32s %8.2f %8.2f %8.2f  %s" % ("host", "-", "malloc'd numpy array", r,
                                                    w, c, "baseline"))
    if a.chart:
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            print("chart: matplotlib is not installed (optional); table only")
            return 0
        fig, ax = plt.subplots(figsize=(8, 4))
        xs = np.arange(len(rows))
        for i, (label, off) in enumerate((("read", -0.25), ("write", 0), ("copy", 0.25))):
            ax.bar(xs + off, [row[i + 1] for row in rows], 0.25, label=label)
        ax.set_xticks(xs)
        ax.set_xticklabels([row[0] for row in rows], rotation=15)
        ax.set_ylabel("GiB/s")
        ax.set_title("CPU bandwidth of numpy views, %s%s" % (
            info["marketing_name"], " (EMULATED on the vgpu)" if emulated else ""))
        ax.legend()
        fig.tight_layout()
        fig.savefig(a.chart)
        print("chart: %s" % a.chart)
    dev.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
