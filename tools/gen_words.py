#!/usr/bin/env python3
"""Generates src/model/words/*.bin: which whole words the alphabets not written in ASCII have.

Why: when a code page drops a byte, Russian `с` (D1 81) loses its 0x81 and may have been
`с`, `э` or `я` (D1 8D, D1 8F); letter bigrams cannot tell `все` from `вэе`, a word list can.
The reconstruction lattice (src/reconstruct.rs) gives a bounded bonus to a reading of a
damaged word that spells a whole word of these lists.

Only scripts whose words are runs of non-ASCII letters are here (Cyrillic, Greek, Arabic,
Hebrew, Devanagari, Bengali): the lattice sees one run of non-ASCII characters and the
characters just around it, so a Latin word (`café`: the run is `é`) is never whole there.

Sources, each under a free license that permits redistribution of derived data (none is
share-alike): the Debian packages
  hunspell-ru (ru_RU, BSD-style; its affixes expanded with `unmunch` of hunspell-tools),
  wukrainian (/usr/share/dict/ukrainian, full forms; GPL-2 / LGPL / MPL),
  hunspell-el (el_GR, MPL-1.1 / GPL-2 / LGPL-2.1; affixes expanded with `unmunch`),
  wbulgarian (/usr/share/dict/bulgarian, full forms; GPL-2+),
  hunspell-ar (Ayaspell, GPL-2 / LGPL-2.1 / MPL-1.1; stems, affix flags dropped),
  hunspell-hi (hi_IN, GPL-2+), hunspell-bn (bn_BD, GPL-2),
  hunspell-kk (GPL-2+ / LGPL-2.1+ / MPL-1.1+), hunspell-sr (sr_RS, GPL-2+ / LGPL-2.1 /
  MPL-1.1), hunspell-mn (LPPL-1.3+; stems, affix flags dropped),
  myspell-fa (fa_IR, GPL-2+; full forms, split at the zero-width non-joiner);
and the words of tools/text/corpus/{ru,uk,el,ar,he,hi,ur}, prose written for the model (for
Hebrew and Urdu the only source: Hebrew's free word list, hspell, is AGPL and left out;
Debian has none for Urdu); and, in a table of their own with a smaller bonus (added_*.bin,
see ADDED_CORPUS_LANGS), the words of two or more letters of tools/text/corpus/{sr,mk,bg,be,mn}
(for Macedonian and Belarusian the only source: Debian has no list for Macedonian, and
hunspell-be is CC-BY-SA).
(Install: apt-get install hunspell-tools hunspell-ru wukrainian hunspell-el wbulgarian
hunspell-ar hunspell-hi hunspell-bn hunspell-kk hunspell-sr hunspell-mn myspell-fa)
Only 16-bit fingerprints of hashed keys are stored, not words.
Georgian and Armenian (their own section below): dictionary-ka 1.1.0 from npm (MIT; words from
GeoWordsDatabase, MIT, and Crúbadán, CC-BY 4.0) and myspell-hy (GPL-2+), and our prose in
tools/text/corpus/ka and hy. (Install: npm install -g dictionary-ka@1.1.0; apt-get install
myspell-hy)

Storage: the full-form lists of inflected languages (SPLIT_SOURCES: Russian, Ukrainian,
Greek, Bulgarian; 4.5M forms) as stems and endings of each language (see `split`): a word is
listed when a stem of a language is followed by an ending of that language (the lattice
tries each split). That overgenerates (a stem with an ending its paradigm lacks) but keeps
every form in 0.75M keys rather than 4.5M. The other lists as whole words (WHOLE_CAP).
The words of our prose are also stored as common words (COMMON_TAG), for a larger bonus.

Key: NFC, lower-cased, final sigma as medial (`ς` -> `σ`: the lattice lower-cases letter by
letter), then a tag byte (WORD_TAG, a stem's or an ending's tag, COMMON_TAG); hashed with
64-bit FNV-1a over the UTF-8 bytes and the tag.

Table (little-endian), a hashed set of N keys in B = ceil(N / BUCKET) buckets: the bucket of
hash h is (h >> 16) % B, its fingerprint h & 0xFFFF. offsets.bin u32[B + 1] (bucket b's
fingerprints are fps[offsets[b]..offsets[b + 1]]); fps.bin u16[N]. A key outside the set
matches with probability about BUCKET / 65536 per lookup.

Run:  python3 tools/gen_words.py
"""
import glob, math, os, struct, subprocess, unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "model", "words")
CORPUS = os.path.join(HERE, "text", "corpus")
CORPUS_LANGS = ["ru", "uk", "el", "ar", "he", "hi", "ur"]
# Prose of languages that share their script with the ones above (Serbian, Macedonian,
# Bulgarian, Belarusian, Mongolian: Cyrillic), whose common words are stored with
# ADDED_COMMON_TAG instead of COMMON_TAG: a smaller bonus, so that where a damaged word may be
# a common word of either (Russian `он`, Belarusian `ён`), the languages above keep it, while
# their function words (Serbian `су се`, read as `ус ше` from the lists alone) still beat
# words the lists merely hold.
ADDED_CORPUS_LANGS = ["sr", "mk", "bg", "be", "mn"]
HUNSPELL = "/usr/share/hunspell"
# Words per bucket on average: a lookup scans one bucket, and a word outside the set matches
# one of its fingerprints with probability BUCKET / 65536 (1 in 4,000).
BUCKET = 16
# A word is stored as its stem and its ending, each hashed with its tag byte after it: the
# forms of a stem share its one entry, and the endings of a script are a few thousand. Per
# source, the ENDINGS commonest word ends of up to MAX_ENDING letters are endings, and a
# stem keeps at least MIN_STEM letters. Measured on the full-form lists: Russian's 1.25M
# forms make 174k stems, Ukrainian's 1.51M 236k, Greek's 0.83M 232k, Bulgarian's 0.87M
# 107k (with 200 or 1000 endings instead of 500, within 10% of that).
ENDINGS = 500
MAX_ENDING = 4
MIN_STEM = 3
# A whole word's key ends with WORD_TAG; a stem's of SPLIT_SOURCES[i] with 1 + 2 * i, an
# ending's with 2 + 2 * i.
WORD_TAG = 0
# The words of our prose (tools/text/corpus) are also stored with COMMON_TAG: running text,
# so they are the words text uses most (function words, common forms), which a list of word
# types cannot say; the lattice gives them a larger bonus.
COMMON_TAG = 255
ADDED_COMMON_TAG = 254


def unmunch(name, encoding):
    out = subprocess.run(["unmunch", f"{HUNSPELL}/{name}.dic", f"{HUNSPELL}/{name}.aff"],
                         capture_output=True, check=True).stdout
    for line in out.decode(encoding).splitlines():
        yield line.split("/")[0]


def stems(name, encoding):
    with open(f"{HUNSPELL}/{name}.dic", encoding=encoding) as fh:
        next(fh)  # the word count
        for line in fh:
            fields = line.split()
            if fields:
                yield fields[0].split("/")[0]


def word_list(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield line.strip()


# (name, words)
# The full-form lists of inflected languages, stored as stems and endings, each language its
# own (its index in this list is in its keys' tags: a Russian stem takes Russian endings).
SPLIT_SOURCES = [
    ("ru_RU", lambda: unmunch("ru_RU", "utf-8")),
    ("ukrainian", lambda: word_list("/usr/share/dict/ukrainian")),
    ("el_GR", lambda: unmunch("el_GR", "iso-8859-7")),
    ("bulgarian", lambda: word_list("/usr/share/dict/bulgarian")),
]
# Arabic writes its conjunctions, prepositions and article (proclitics) and its pronoun and
# plural endings (enclitics, suffixes) on the word: `والزوار` is و + ال + زوار, `يفعلون` is
# ي + فعل + ون. Ayaspell's stems (stored as whole words with WORD_TAG, and as stems with
# ARABIC_STEM_TAG) meet text only through these, written here for this table (not taken from
# a list): the lattice strips one proclitic and one suffix around a stem of at least
# MIN_STEM letters.
ARABIC_PREFIXES = ("و ف ب ل ك ال وال فال بال كال لل ولل ول وب فب فل س وس ي ت ن أ ا وي وت ون "
                   "فت في سي ست ويت").split()
ARABIC_SUFFIXES = ("ون ين ان ات ة ه ها هم هن هما ك كم كن ي نا وا ت تم تن ية يه يها يهم تها ته "
                   "تهم اء اه وه وها وهم ني").split()
ARABIC_STEM_TAG = 2 * 4 + 1
ARABIC_SUFFIX_TAG = 2 * 4 + 2
ARABIC_PREFIX_TAG = 2 * 4 + 3
# Hebrew writes its conjunction, article, prepositions and relative (ו ה ב כ ל מ ש) on the
# word too: `והאירועים` is ו + ה + אירועים. The words of our Hebrew prose (its only source)
# are stored as stems with HEBREW_STEM_TAG as well, and the lattice strips one of these
# proclitics (written here for this table) before a stem of at least MIN_STEM letters.
HEBREW_PREFIXES = "ו ה ב כ ל מ ש וה וב וכ ול ומ וש שה שב של שמ מה לה בה כש וכש ושה".split()
HEBREW_STEM_TAG = 2 * 4 + 4
HEBREW_PREFIX_TAG = 2 * 4 + 5

# Lists stored as whole words: stems without their affixes (too few forms of each to split),
# and short lists; each keeps at most WHOLE_CAP words, the shortest first (the frequent ones),
# so that Mongolian's 573k stems do not double the table.
WHOLE_CAP = 50_000
SOURCES = [
    ("ar", lambda: stems("ar", "utf-8")),
    ("hi_IN", lambda: stems("hi_IN", "utf-8")),
    ("bn_BD", lambda: stems("bn_BD", "utf-8")),
    ("kk_KZ", lambda: stems("kk_KZ", "utf-8-sig")),
    ("sr_RS", lambda: stems("sr_RS", "utf-8")),
    ("mn_MN", lambda: stems("mn_MN", "utf-8")),
    # Persian (myspell-fa, GPL-2+; full forms): its words split at the zero-width non-joiner,
    # which ends a word for the lattice as it ends a run of joined letters (`می‌شود`).
    ("fa_IR", lambda: (piece for word in stems("fa_IR", "utf-8") for piece in word.split("\u200c"))),
]

# --- Georgian and Armenian (branch langs) ----------------------------------------------------
# Sources: the npm package `dictionary-ka` 1.1.0 (MIT; its words from Dato Bumbeishvili's
# GeoWordsDatabase, MIT, and Kevin Scannell's Crúbadán lists, CC-BY 4.0; mostly full forms;
# install: npm install -g dictionary-ka@1.1.0) and myspell-hy (hy_AM, GPL-2+; stems, affix
# flags dropped), as whole words; and the words of our prose in tools/text/corpus/ka and hy.
# The reader of dictionary-ka is gen_letters.py's (comment lines, `#`, are no word: key() drops them).
from gen_letters import dictionary_ka_words  # noqa: E402


# Stored in a table of their own (caucasian_offsets.bin, caucasian_fps.bin; the same layout),
# asked only for words that start with a letter of these scripts: a set shared with the
# other scripts would take new buckets, and every other language's words would meet other
# false fingerprints than before.
CAUCASIAN_SOURCES = [("ka", dictionary_ka_words), ("hy_AM", lambda: stems("hy_AM", "utf-8"))]
CAUCASIAN_CORPUS_LANGS = ["ka", "hy"]
# Each list keeps its shortest CAUCASIAN_CAP words: all of dictionary-ka's 143k forms.
CAUCASIAN_CAP = 150_000


def caucasian_keys():
    keys = set()
    for name, source in CAUCASIAN_SOURCES + [(f"corpus/{lang}", lambda lang=lang: corpus_words(lang))
                                             for lang in CAUCASIAN_CORPUS_LANGS]:
        words = sorted({k for k in map(key, source()) if k}, key=lambda w: (len(w), w))[:CAUCASIAN_CAP]
        keys |= {fnv1a(w, WORD_TAG) for w in words}
        if name.startswith("corpus/"):
            keys |= {fnv1a(w, COMMON_TAG) for w in words}
        print(f"{name}: {len(words)} words")
    return keys
# ---------------------------------------------------------------------------------------------


def added_keys():
    """The words of the prose of ADDED_CORPUS_LANGS, with ADDED_COMMON_TAG, in a table of their
    own (added_offsets.bin, added_fps.bin; the same layout): in the main table they would
    move every other word's fingerprint to another bucket, and the other scripts' repairs
    would meet other false fingerprints than before (measured: a few edits either way on
    tests/corpus, in Turkish and French as much as in Russian)."""
    keys = set()
    # Words of two letters or more: with the one-letter words (Macedonian `е`, Belarusian `ў`)
    # the two-layer repair of French text through ISO-8859-2 read one `ç` as `Ƨ` (tests/corpus
    # c1/2 11,007 -> 11,009 wrong), and each of these is a word of Russian's table already or
    # no word of it anyway.
    for lang in ADDED_CORPUS_LANGS:
        words = {k for k in map(key, corpus_words(lang)) if k and len(k) >= 2}
        keys |= {fnv1a(w, ADDED_COMMON_TAG) for w in words}
        print(f"added/{lang}: {len(words)} words")
    return keys


def is_word_char(c):
    """Letters and combining marks outside ASCII (the lattice's `is_word_char`)."""
    return ord(c) >= 0x80 and unicodedata.category(c)[0] in "LM"


def key(word):
    w = unicodedata.normalize("NFC", word.strip()).lower().replace("ς", "σ")
    return w if w and all(is_word_char(c) for c in w) else None


def corpus_words(lang):
    for path in sorted(glob.glob(os.path.join(CORPUS, lang, "*.txt"))):
        with open(path, encoding="utf-8") as fh:
            text = unicodedata.normalize("NFC", fh.read())
        word = []
        for c in text + " ":
            if is_word_char(c):
                word.append(c)
            elif word:
                yield "".join(word)
                word = []


def fnv1a(s, tag):
    h = 0xCBF29CE484222325
    for b in s.encode("utf-8") + bytes([tag]):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def split(words):
    """The words as (stem, ending) pairs: the ending is the longest of the ENDINGS commonest
    word ends (of 1 to MAX_ENDING letters) that leaves a stem of at least MIN_STEM letters,
    or empty."""
    ends = Counter()
    for w in words:
        for k in range(1, MAX_ENDING + 1):
            if len(w) >= k + MIN_STEM:
                ends[w[-k:]] += 1
    common = {e for e, _ in ends.most_common(ENDINGS)}
    for w in words:
        for k in range(MAX_ENDING, 0, -1):
            if len(w) >= k + MIN_STEM and w[-k:] in common:
                yield w[:-k], w[-k:]
                break
        else:
            yield w, ""


def main():
    keys = set()
    for i, (name, source) in enumerate(SPLIT_SOURCES):
        words = sorted({k for k in map(key, source()) if k})
        stems, endings = set(), set()
        for stem, ending in split(words):
            if ending:
                stems.add(stem)
                endings.add(ending)
            else:
                keys.add(fnv1a(stem, WORD_TAG))
        keys |= {fnv1a(s, 1 + 2 * i) for s in stems} | {fnv1a(e, 2 + 2 * i) for e in endings}
        print(f"{name}: {len(words)} words, {len(stems)} stems, {len(endings)} endings")
    for name, source in SOURCES + [(f"corpus/{lang}", lambda lang=lang: corpus_words(lang)) for lang in CORPUS_LANGS]:
        words = sorted({k for k in map(key, source()) if k}, key=lambda w: (len(w), w))
        if name != "ar":  # Arabic's stems are measured to need all their 108k
            words = words[:WHOLE_CAP]
        if name == "ar":
            # A stem long enough to take affixes is looked up as one, bare or not.
            keys |= {fnv1a(w, ARABIC_STEM_TAG if len(w) >= MIN_STEM else WORD_TAG) for w in words}
            keys |= {fnv1a(a, ARABIC_SUFFIX_TAG) for a in ARABIC_SUFFIXES}
            keys |= {fnv1a(a, ARABIC_PREFIX_TAG) for a in ARABIC_PREFIXES}
        else:
            keys |= {fnv1a(w, WORD_TAG) for w in words}
        if name == "corpus/he":
            keys |= {fnv1a(w, HEBREW_STEM_TAG) for w in words if len(w) >= MIN_STEM}
            keys |= {fnv1a(a, HEBREW_PREFIX_TAG) for a in HEBREW_PREFIXES}
        if name.startswith("corpus/"):
            keys |= {fnv1a(w, COMMON_TAG) for w in words}
        print(f"{name}: {len(words)} words")
    summary = write_table(keys, "")
    summary += "; Georgian and Armenian: " + write_table(caucasian_keys(), "caucasian_")
    summary += "; common words of the added languages: " + write_table(added_keys(), "added_")
    with open(os.path.join(OUT, "README.txt"), "w") as fh:
        fh.write("GENERATED by tools/gen_words.py -- do not edit.\n"
                 "Regenerate: python3 tools/gen_words.py (sources and licenses in its docstring).\n"
                 f"{summary}.\n"
                 "Attribution: the Georgian words come from npm's dictionary-ka 1.1.0 (MIT), whose word list\n"
                 "draws on GeoWordsDatabase (MIT) and Kevin Scannell's Crúbadán lists (CC-BY 4.0,\n"
                 "https://crubadan.org).\n")
    print(summary)


def write_table(keys, prefix):
    """Writes the hashed set of `keys` as PREFIXoffsets.bin and PREFIXfps.bin; its summary."""
    n = len(keys)
    b = math.ceil(n / BUCKET)
    buckets = [[] for _ in range(b)]
    for h in keys:
        buckets[(h >> 16) % b].append(h & 0xFFFF)
    offsets, fps = [0], []
    for bucket in buckets:
        fps.extend(sorted(set(bucket)))
        offsets.append(len(fps))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, prefix + "offsets.bin"), "wb") as fh:
        fh.write(struct.pack(f"<{len(offsets)}I", *offsets))
    with open(os.path.join(OUT, prefix + "fps.bin"), "wb") as fh:
        fh.write(struct.pack(f"<{len(fps)}H", *fps))
    size = 4 * len(offsets) + 2 * len(fps)
    return f"{n} keys in {b} buckets, {size} bytes"


if __name__ == "__main__":
    main()
