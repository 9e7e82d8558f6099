#!/usr/bin/env python3
"""Prints the tables of BENCHMARKS.md from a finished `cargo bench --bench fixenc` run.

    python3 benches/report.py [TARGET_DIR]   # default: $CARGO_TARGET_DIR or target

Reads TARGET_DIR/criterion/<group>/<function>/<input>/new/{benchmark,estimates}.json and
uses the median of each benchmark (robust to a busy machine). Ratios are taken within one
run, against the baseline of the same group on the same bytes.
"""

import json
import os
import sys

# (group, baseline, target ratio of fix_text throughput to the baseline, inputs it applies to)
TARGETS = {
    ("clean", "from_utf8"): {"japanese": 0.5, "ascii": 0.25, "french": 0.25},
    ("repair", "encoding_rs"): {
        "latin_1252_x1": 0.5,
        "latin_1252_x2": 0.5,
        "japanese_1252": 0.5,
        "japanese_1254_lossy": 0.5,
    },
    # NFC within 2x of icu_normalizer: fix_text throughput >= 0.5x icu's.
    ("nfc", "icu_normalizer"): {"french_nfd": 0.5},
}
BASELINES = {
    "clean": ["from_utf8", "simdutf8"],
    "repair": ["encoding_rs", "from_utf8"],
    "adversarial": ["encoding_rs", "from_utf8"],
    "nfc": ["icu_normalizer", "unicode_normalization"],
}


def load(root):
    results = {}
    for dirpath, _, files in os.walk(root):
        if os.path.basename(dirpath) != "new" or "estimates.json" not in files:
            continue
        with open(os.path.join(dirpath, "benchmark.json")) as f:
            bench = json.load(f)
        with open(os.path.join(dirpath, "estimates.json")) as f:
            est = json.load(f)
        nbytes = (bench.get("throughput") or {}).get("Bytes")
        key = (bench["group_id"], bench["function_id"], bench["value_str"])
        results[key] = (est["median"]["point_estimate"], nbytes)
    return results


ORDER = [
    "ascii", "french", "japanese", "mixed_cjk",
    "latin_1252_x1", "latin_1252_x2", "japanese_1252", "japanese_1254_lossy",
    "A_tilde", "a_tilde", "alternating", "french_nfd",
]


def order(value):
    """Sort key of an input id `name-size`: the order above, then the size."""
    name, size = value.rsplit("-", 1)
    unit = 1024 * 1024 if size.endswith("MiB") else 1024
    rank = ORDER.index(name) if name in ORDER else len(ORDER)
    return (rank, int(size.rstrip("KMiB")) * unit)


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def mib_s(ns, nbytes):
    return nbytes / (ns / 1e9) / (1024 * 1024)


def fmt_tp(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


def main():
    target = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CARGO_TARGET_DIR", "target")
    res = load(os.path.join(target, "criterion"))
    for group in ["clean", "repair", "adversarial", "nfc"]:
        inputs = sorted({v for (g, f, v) in res if g == group}, key=order)
        if not inputs:
            continue
        bases = BASELINES[group]
        print(f"### `{group}`\n")
        head = ["input", "fix_text time", "fix_text MiB/s"]
        for b in bases:
            head += [f"{b} MiB/s", f"ratio vs {b}"]
        head += ["target", "met?"]
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for v in inputs:
            fx = res.get((group, "fix_text", v))
            if not fx:
                continue
            row = [f"`{v}`", fmt_time(fx[0]), fmt_tp(mib_s(*fx))]
            target_txt, met = "—", "—"
            for b in bases:
                bb = res.get((group, b, v))
                if not bb:
                    row += ["—", "—"]
                    continue
                ratio = bb[0] / fx[0]  # throughput ratio fix_text / baseline on the same bytes
                row += [fmt_tp(mib_s(*bb)), f"{ratio:.3f}×"]
                tmap = TARGETS.get((group, b))
                if tmap:
                    name = v.rsplit("-", 1)[0]
                    if name in tmap:
                        target_txt = f"≥ {tmap[name]}× {b}"
                        met = "yes" if ratio >= tmap[name] else "**no**"
            row += [target_txt, met]
            print("| " + " | ".join(row) + " |")
        print()
    # Scaling: time(4N) / time(N).
    names = {}
    for (g, f, v), (ns, nbytes) in res.items():
        if g == "scaling" and f == "fix_text":
            name, size = v.rsplit("-", 1)
            names.setdefault(name, {})[size] = (ns, nbytes)
    if names:
        print("### `scaling` (fix_text)\n")
        print("| input | time 64 KiB | time 128 KiB | time 256 KiB | 2N/N | 4N/N | target 4N/N ≤ 5 | met? |")
        print("|---|---|---|---|---|---|---|---|")
        for name, sizes in sorted(names.items(), key=lambda kv: order(kv[0] + "-1KiB")):
            t = [sizes.get(s, (None, None))[0] for s in ("64KiB", "128KiB", "256KiB")]
            if None in t:
                continue
            r4 = t[2] / t[0]
            print(f"| `{name}` | {fmt_time(t[0])} | {fmt_time(t[1])} | {fmt_time(t[2])} | {t[1] / t[0]:.2f} | {r4:.2f} | ≤ 5 | {'yes' if r4 <= 5 else '**no**'} |")
        print()


if __name__ == "__main__":
    main()
