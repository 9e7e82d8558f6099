#!/usr/bin/env python3
"""Counts the layers fixenc undoes on text misread once: every held-out text
(tools/text/eval) and test-corpus text (tests/corpus) is encoded as UTF-8, its bytes the
page leaves undefined dropped, decoded through each of six Windows pages, and run through
the CLI with --json. A document misread once should come back with one layer; more means a
later layer "found" mojibake in the first one's leftovers (a false repair).

    cargo build --release --example fixenc
    python3 tools/eval_layers.py target/release/examples/fixenc
"""
import glob, json, os, subprocess, sys
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = ['cp1250', 'cp1251', 'cp1252', 'cp1253', 'cp1254', 'cp1257']


def misread_lossy(text, page):
    undefined = []
    for b in range(0x80, 0x100):
        try:
            bytes([b]).decode(page)
        except UnicodeDecodeError:
            undefined.append(b)
    return bytes(b for b in text.encode('utf-8') if b not in undefined).decode(page)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'target/release/examples/fixenc')
    files = sorted(glob.glob(os.path.join(ROOT, 'tools/text/eval/*.txt')))
    files += [f for f in sorted(glob.glob(os.path.join(ROOT, 'tests/corpus/*.txt'))) if 'clean_tricky' not in f]
    layers, extra = Counter(), []
    for path in files:
        text = open(path, encoding='utf-8').read()
        lang = os.path.basename(path)[:-4]
        for page in PAGES:
            broken = misread_lossy(text, page)
            if broken == text:
                continue
            out = subprocess.run([binary, '--json'], input=broken.encode(), capture_output=True, check=True)
            report = json.loads(out.stdout.decode().splitlines()[0])
            n = len(report.get('layers', []))
            layers[n] += 1
            if n > 1:
                extra.append((lang, page, [layer.get('code_page') for layer in report['layers']]))
    print('documents by number of layers undone:', dict(sorted(layers.items())))
    for lang, page, chain in extra:
        print(f'  {lang} through {page}: {" -> ".join(chain)}')


if __name__ == '__main__':
    main()
