#!/usr/bin/env python3
"""Generates src/model/letters/*.bin: letter bigram costs for alphabetic scripts.

Why: a unigram cannot tell `Straßenfest` from `Straüenfest` or `niño` from `niùo` (what
Windows-1250 and ISO-8859-2 make of the same bytes); which letter follows which can.

Sources: the word lists of Debian's dictionaries packages (one word per line, no
frequencies), each under a free license that permits redistribution of derived counts:
  wamerican (public domain / SCOWL), wngerman (GPL-2+), wfrench (GPL-2), wspanish (GPL-2+),
  witalian (GPL-2+), wpolish (GPL-2 / LGPL / MPL), wportuguese (GPL-2), wdutch (BSD / CC-BY 3.0),
  wdanish (GPL-2), wswedish (GPL-2), wnorwegian (GPL-2), wcatalan (GPL-2+),
  wukrainian (GPL-2 / LGPL / MPL), wbulgarian (GPL-2+); and for Hangul the stems of
  hunspell-ko (MPL-1.1 / GPL-2+ / LGPL-2.1+; its affix flags are dropped), with Korean
  particles and endings written here (KOREAN_ENDINGS) so that a stem's last syllable meets
  the syllables that follow it in text; and the stems (affix flags dropped) of the hunspell
  dictionaries for Greek (hunspell-el: MPL-1.1 / GPL-2 / LGPL-2.1), Russian (hunspell-ru:
  BSD-style), Czech (hunspell-cs: GPL-2), Turkish (hunspell-tr: MPL-2.0), Vietnamese
  (hunspell-vi: GPL-2), Thai (hunspell-th: LGPL), Hindi (hunspell-hi: GPL-2+) and Arabic
  (hunspell-ar, Ayaspell: GPL-2 / LGPL-2.1 / MPL-1.1). Hebrew's free word list (hspell) is
  AGPL and left out, as are share-alike dictionaries; for Hebrew the words of
  tools/text/he.txt, prose written for this table, are counted instead (running-text tokens,
  ~370 words: enough for which letters are common, which CLDR's flat exemplars cannot say).
  Added with a lower weight (HUNSPELL_ADDED, ASPELL_ADDED), the stems of the hunspell
  dictionaries for Kazakh (hunspell-kk: GPL-2+ / LGPL-2.1+ / MPL-1.1+), Serbian in Cyrillic
  (hunspell-sr, sr_RS: GPL-2+ / LGPL-2.1 / MPL-1.1), Mongolian (hunspell-mn: LPPL-1.3+, a
  free license without share-alike) and Bengali (hunspell-bn: GPL-2), and the Tamil word list
  of aspell-ta (GPL-2+). Left out: hunspell-be and hunspell-is (CC-BY-SA), myspell-et (the
  Institute of the Estonian Language's own licence, not one of the above); and, free but
  measured to cost the tests' languages when pooled: hunspell-lv (Czech and Polish, even at
  weight 0.1), hunspell-ro and -hu (a little), hunspell-lt, -sk, -sl, -hr, -id (Czech; their
  held-out text was repaired well without them) and myspell-fa (Arabic); myspell-hy and
  hunspell-ml/-gu/-te (a script the model does not look up here, or no text to measure on).
  (Install: apt-get install wamerican wngerman wfrench wspanish witalian wpolish
  wportuguese wdutch wdanish wswedish wnorwegian wcatalan wukrainian wbulgarian hunspell-ko
  hunspell-el hunspell-ru hunspell-cs hunspell-tr hunspell-vi hunspell-th hunspell-hi
  hunspell-ar hunspell-kk hunspell-sr hunspell-mn hunspell-bn aspell-ta)
Only aggregated letter-pair statistics are stored, not words.
Georgian and Armenian (their own section below): the word list of the npm package
dictionary-ka 1.1.0 (MIT; words from GeoWordsDatabase, MIT, and Crúbadán, CC-BY 4.0) and the
stems of myspell-hy (GPL-2+), refined by our prose in tools/text/corpus/ka and hy.
(Install: npm install -g dictionary-ka@1.1.0; apt-get install myspell-hy)

Model: per language, P(b | a) over lower-cased letters with a = ' ' at the start of a word,
counted over word types; languages weigh equally (the added ones less, WEIGHT). The letter
unigram and the word-start row mix the scripts; there each script keeps the share the pool
without the added languages gives it, so that a language added in one script leaves the
letters of the others as they were (a Greek letter's cost does not rise because Bengali
joined). Stored: for each pair, the interpolated cost -ln(LAMBDA * P(b|a) + (1 - LAMBDA) *
P(b)) in 1/8 nats, pairs with P(b|a) >= MIN_P only; and for each letter the back-off cost
-ln((1 - LAMBDA) * P(b)).

Run:  python3 tools/gen_letters.py
Layout (little-endian): pairs.bin u64[n] sorted keys (a << 32 | b); pair_cost.bin u8[n];
uni.bin u32[m] sorted letters; uni_cost.bin u8[m].
"""
import glob, math, os, struct, subprocess, unicodedata
from collections import Counter

DICT = "/usr/share/dict"
LISTS = [
    ("american-english", "utf-8"), ("ngerman", "utf-8"), ("french", "utf-8"), ("spanish", "utf-8"),
    ("italian", "utf-8"), ("polish", "utf-8"), ("portuguese", "utf-8"), ("dutch", "utf-8"),
    ("danish", "utf-8"), ("swedish", "latin-1"), ("bokmaal", "latin-1"), ("catalan", "utf-8"),
    ("ukrainian", "utf-8"), ("bulgarian", "utf-8"),
]
HUNSPELL_KO = "/usr/share/hunspell/ko.dic"
HEBREW_TEXT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "text", "he.txt")
HUNSPELL = [("el_GR", "iso-8859-7"), ("ru_RU", "utf-8"), ("cs_CZ", "utf-8"), ("tr_TR", "utf-8"),
            ("vi_VN", "utf-8"), ("th_TH", "utf-8"), ("hi_IN", "utf-8"), ("ar", "utf-8")]
# Languages added to the pool above (ADDED), each with its weight among the languages: less
# than the others', since they share their letters' rows with Russian and Ukrainian (Kazakh,
# Serbian, Mongolian) and since the languages of the tests must not lose to them.
# (name, encoding of the .dic, weight)
HUNSPELL_ADDED = [("kk_KZ", "utf-8-sig", 0.25), ("sr_RS", "utf-8", 0.25), ("mn_MN", "utf-8", 0.25),
                  ("bn_BD", "utf-8", 0.3)]
ASPELL_ADDED = [("ta", 0.3)]  # aspell -d ta dump master
WEIGHT = {name: w for name, _, w in HUNSPELL_ADDED} | {f"aspell-{lang}": w for lang, w in ASPELL_ADDED}
ADDED = set(WEIGHT)
# Common Korean particles and verb endings (written for this table, not taken from a list).
KOREAN_ENDINGS = ("은 는 이 가 을 를 에 에서 에게 의 도 로 으로 와 과 만 까지 부터 보다 처럼 하고 이나 나 "
                  "입니다 습니다 합니다 했습니다 됩니다 있습니다 없습니다 했다 한다 하는 하여 해서 하고 "
                  "하지만 그리고 그러나 있다 없다 이다 였다 었다 았다 겠다 는다 지만 면서 으며 며 고 게 지 "
                  "요 어요 아요 해요 예요 이에요 세요 주세요 네요 군요 죠 다 까 니까 는데 은데 인데 도록").split()
# Prose we wrote for the model (tools/text/corpus/LANG/*.txt): running text, so it knows how
# often words are *used*, which a list of word types cannot say (a Russian word list has as
# many stems starting with я as text has words starting with с). Each corpus refines the
# source of its language as the observations of a Dirichlet posterior whose prior is that
# source's own estimate: P(b | a) = (count(a, b) + KAPPA * P_list(b | a)) / (count(a) + KAPPA),
# and the same for the letter unigram with KAPPA_UNI. Rows the prose saw often follow it; rows
# it hardly saw keep the list's estimate.
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "text", "corpus")
CORPUS_OF = {"ru_RU": "ru", "ukrainian": "uk", "el_GR": "el", "ar": "ar", "th_TH": "th", "hi_IN": "hi",
             "korean": "ko", "hebrew": "he"}
# --- Georgian and Armenian (branch langs) ---------------------------------------------------
# Their letters sit in the model's catch-all class (Script::Other) beside Myanmar, Ethiopic and
# the Canadian syllabics, which are what a lost byte of a Georgian letter (E1 83 xx) reads as
# when another byte is put in its place (E1 81 xx is Myanmar); without statistics the model
# could not tell them apart. Sources: the Georgian word list of the npm package
# `dictionary-ka` 1.1.0 (MIT; its words from Dato Bumbeishvili's GeoWordsDatabase, MIT, and
# Kevin Scannell's Crúbadán lists, CC-BY 4.0; install: npm install -g dictionary-ka@1.1.0)
# and the stems of myspell-hy (hy_AM, GPL-2+; the classical spelling, refined towards the
# reformed one of today's text by our prose), each refined by our prose in
# tools/text/corpus/ka and hy. Scripts of their own: added (ADDED) so that the shared rows
# keep the other scripts' shares as they were.
DICTIONARY_KA = "/usr/lib/node_modules/dictionary-ka/index.dic"
CAUCASIAN_ADDED = [("ka", 1.0), ("hy_AM", 1.0)]
WEIGHT.update(CAUCASIAN_ADDED)
ADDED.update(name for name, _ in CAUCASIAN_ADDED)
CORPUS_OF.update({"ka": "ka", "hy_AM": "hy"})


def is_caucasian_letter(c):
    """A small letter of Georgian (Mkhedruli) or Armenian: the keys of their rows."""
    o = ord(c)
    return (0x10D0 <= o <= 0x10FF or 0x561 <= o <= 0x587) and unicodedata.category(c) == "Ll"


def caucasian_script(c):
    o = ord(c)
    if 0x530 <= o <= 0x58F:
        return "Armenian"
    if 0x10A0 <= o <= 0x10FF or 0x1C90 <= o <= 0x1CBF:
        return "Georgian"
    return None


def dictionary_ka_words():
    with open(DICTIONARY_KA, encoding="utf-8") as fh:
        next(fh)  # the word count
        for line in fh:
            fields = line.split()
            if fields:
                yield fields[0].split("/")[0]  # comment lines (#) are dropped by count()


def caucasian_sources():
    return [("ka", dictionary_ka_words), ("hy_AM", lambda: hunspell_words("hy_AM", "utf-8"))]


# ---------------------------------------------------------------------------------------------
KAPPA = 50.0
KAPPA_UNI = 300.0
LAMBDA = 0.9
MIN_P = 1e-4
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "model", "letters")


def is_letter(c):
    if is_caucasian_letter(c):
        return True
    o = ord(c)
    if 0x0E00 <= o <= 0x0E7F or 0x0900 <= o <= 0x097F or 0x0980 <= o <= 0x09FF or 0x0B80 <= o <= 0x0BFF \
            or 0x0620 <= o <= 0x06FF:
        # Thai and the Indic scripts (Devanagari, Bengali, Tamil) write vowels as combining
        # marks inside words; so does Arabic when it writes its short vowels at all. The Arabic
        # block's letters reach U+06FF: Persian's and Urdu's own (ی ک گ پ چ ژ ے ہ ھ ں ٹ ڈ ڑ).
        return unicodedata.category(c)[0] in "LM"
    if 0x05D0 <= o <= 0x05EA:
        return True  # the Hebrew letters
    return unicodedata.category(c).startswith("L") and (o < 0x530 or 0x1E00 <= o <= 0x1EFF or 0xAC00 <= o <= 0xD7A3)


def hunspell_words(name, encoding):
    with open(f"/usr/share/hunspell/{name}.dic", encoding=encoding) as fh:
        next(fh)  # the word count
        for line in fh:
            fields = line.split()
            if fields:
                yield fields[0].split("/")[0]  # the stem, without affix flags or morphology


def aspell_words(lang):
    out = subprocess.run(["aspell", "-d", lang, "dump", "master"], capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        yield line.split("/")[0]


def hebrew_words():
    with open(HEBREW_TEXT, encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                for token in line.split():
                    yield token.strip(".,:;!?\"'()")


def korean_words():
    with open(HUNSPELL_KO, encoding="utf-8") as fh:
        next(fh)  # the word count
        for line in fh:
            stem = unicodedata.normalize("NFC", line.split("/")[0].strip())  # the .dic is in NFD
            if stem and all(0xAC00 <= ord(c) <= 0xD7A3 for c in stem):
                yield stem
                # A stem followed by each particle or ending, as text shows it.
                for ending in KOREAN_ENDINGS[:12]:
                    yield stem + ending
    yield from KOREAN_ENDINGS


def corpus_words(lang):
    """The words (maximal runs of letters, lower-cased) of our prose in `lang`."""
    for path in sorted(glob.glob(os.path.join(CORPUS, lang, "*.txt"))):
        with open(path, encoding="utf-8") as fh:
            text = unicodedata.normalize("NFC", fh.read().lower())
        word = []
        for c in text + " ":
            if is_letter(c):
                word.append(c)
            elif word:
                yield "".join(word)
                word = []


def count(words, ends=False):
    """Letter pairs and letters of `words`; with `ends`, also each word's last letter
    followed by WORD_END (see the right-to-left section)."""
    bi, uni = Counter(), Counter()
    for line in words:
        w = unicodedata.normalize("NFC", line.strip().lower())
        if not w or not all(is_letter(c) for c in w):
            continue
        prev = " "
        for c in w:
            bi[(prev, c)] += 1
            uni[c] += 1
            prev = c
        if ends:
            bi[(prev, WORD_END)] += 1
    return bi, uni


def refine(bi, uni, lang, ends=False):
    """The source's counts with our prose in `lang` as Dirichlet observations (see KAPPA); the
    row masses and the total stay the source's."""
    cbi, cuni = count(corpus_words(lang), ends)
    if not cuni:
        return bi, uni, 0
    row, crow = Counter(), Counter()
    for (a, _), v in bi.items():
        row[a] += v
    for (a, _), v in cbi.items():
        crow[a] += v
    targets = {}
    for a, b in list(bi) + list(cbi):
        targets.setdefault(a, set()).add(b)
    out_bi = Counter()
    for a, n in row.items():
        m = crow[a]
        for b in targets[a]:
            out_bi[(a, b)] = n * (cbi[(a, b)] + KAPPA * bi[(a, b)] / n) / (m + KAPPA)
    n_uni, m_uni = sum(uni.values()), sum(cuni.values())
    out_uni = Counter({c: n_uni * (cuni[c] + KAPPA_UNI * uni[c] / n_uni) / (m_uni + KAPPA_UNI)
                       for c in set(uni) | set(cuni)})
    return out_bi, out_uni, m_uni


def script_of(c):
    """The script of a letter, as far as the pool's weights go."""
    if caucasian_script(c):
        return caucasian_script(c)
    o = ord(c)
    for end, script in ((0x36F, "Latin"), (0x3FF, "Greek"), (0x52F, "Cyrillic"), (0x5FF, "Hebrew"),
                        (0x6FF, "Arabic"), (0x97F, "Devanagari"), (0x9FF, "Bengali"), (0xBFF, "Tamil"),
                        (0xE7F, "Thai"), (0x1EFF, "Latin"), (0xD7A3, "Hangul")):
        if o <= end:
            return script
    return "other"


def by_script_of_base(total, base):
    """`total` (letter -> mass) as probabilities whose mass per script is the one `base` gives it:
    a language added to the pool reshapes the letters of its script, not the weight of the
    scripts. A script `base` lacks keeps its mass in `total`, on the scale of `base`."""
    mass, base_mass = Counter(), Counter()
    for c, v in total.items():
        mass[script_of(c)] += v
    for c, v in base.items():
        base_mass[script_of(c)] += v
    n = sum(base.values())
    return {c: v * (base_mass[script_of(c)] / mass[script_of(c)] if base_mass[script_of(c)] else 1.0) / n
            for c, v in total.items()}


# --- Right-to-left scripts (Arabic, Persian, Urdu, Hebrew) -----------------------------------
# Which letters end words: Hebrew writes ך ם ן ף ץ only there and their plain forms (כ מ נ פ צ)
# hardly ever there; Arabic writes ة and ى only there. A lost byte that may be ם or א (D7 9D or
# D7 90) is told by whether a word ends after it, which the letter pairs alone cannot say.
# For the sources of RTL_SOURCES each word's last letter is counted followed by WORD_END. A
# row a of theirs then has an end probability e(a) (clamped to END_CLAMP), and is stored as
#   pair (a, b):        -ln((1 - e(a)) * (LAMBDA * P(b | a, not end) + (1 - LAMBDA) * P(b)))
#   key (a, END_KEY):   -ln e(a)       (the word ends after a)
#   key (a, CONT_KEY):  -ln(1 - e(a))  (it goes on: added to the back-off of an unstored pair)
# (END_KEY and CONT_KEY are a space and U+0001, which no pair of letters uses.)
# Persian (myspell-fa, fa_IR: GPL-2+; full forms; apt-get install myspell-fa) joins the pool
# as an added language: its own letters (ی ک گ پ چ ژ) are code points of their own, and its
# words share ا ب ت with Arabic. (The docstring's measurement, that myspell-fa cost Arabic,
# was taken when is_letter stopped at U+065F: then every Persian word with a letter of its
# own was dropped, and only its words of Arabic letters were counted.) Its words are split
# at the zero-width non-joiner (U+200C), which Persian writes inside words (می‌شود) and
# which ends a run of joined letters as a space does.
WORD_END = "\x00"
END_KEY, CONT_KEY = 0x20, 0x01
END_CLAMP = (0.003, 0.997)
# Urdu has no free word list here: its letters (ے ہ ھ ں ٹ ڈ ڑ) come from our prose in
# tools/text/corpus/ur, counted as a source of its own, added like Persian.
PERSIAN = ("fa_IR", 0.3)  # (the .dic's name, its weight among the languages)
URDU = ("urdu", 0.3)  # (the source's name, its weight)
RTL_SOURCES = {"ar", "hebrew", PERSIAN[0], URDU[0]}
for _name, _weight in (PERSIAN, URDU):
    WEIGHT[_name] = _weight
    ADDED.add(_name)


def persian_words():
    for word in hunspell_words(PERSIAN[0], "utf-8"):
        yield from word.split("\u200c")


def rtl_rows(bi_total, p_uni):
    """The stored costs of the rows that have word ends (see above): (key, cost in nats)."""
    row, end = Counter(), Counter()
    for (a, b), v in bi_total.items():
        row[a] += v
        if b == WORD_END:
            end[a] += v
    # Every row of the scripts, the letters no word ends with (מ, ة's neighbours) included.
    rtl = {a for a in row if script_of(a) in ("Hebrew", "Arabic")}
    out = []
    for a in sorted(rtl):
        v_end = end[a]
        e = min(max(v_end / row[a], END_CLAMP[0]), END_CLAMP[1])
        letters_mass = row[a] - v_end
        for (x, b), v in bi_total.items():
            if x != a or b == WORD_END:
                continue
            p = v / letters_mass if letters_mass else 0.0
            if p >= MIN_P:
                out.append(((ord(a) << 32) | ord(b), -math.log((1 - e) * (LAMBDA * p + (1 - LAMBDA) * p_uni[b]))))
        out.append(((ord(a) << 32) | END_KEY, -math.log(e)))
        out.append(((ord(a) << 32) | CONT_KEY, -math.log(1 - e)))
    return rtl, out


def main():
    bi_total, uni_total = Counter(), Counter()
    bi_base, uni_base = Counter(), Counter()  # the pool without the languages added to it
    sources = [(name, lambda name=name, enc=enc: open(os.path.join(DICT, name), encoding=enc))
               for name, enc in LISTS]
    sources.append(("korean", korean_words))
    sources.append(("hebrew", hebrew_words))
    sources.extend((name, lambda name=name, enc=enc: hunspell_words(name, enc))
                   for name, enc in HUNSPELL + [(name, enc) for name, enc, _ in HUNSPELL_ADDED])
    sources.extend((f"aspell-{lang}", lambda lang=lang: aspell_words(lang)) for lang, _ in ASPELL_ADDED)
    sources.extend(caucasian_sources())
    sources.append((PERSIAN[0], persian_words))
    sources.append((URDU[0], lambda: corpus_words("ur")))
    for name, source in sources:
        bi, uni = count(source(), name in RTL_SOURCES)
        if name in CORPUS_OF:
            bi, uni, letters = refine(bi, uni, CORPUS_OF[name], name in RTL_SOURCES)
            if letters:
                print(f"{name}: refined with {letters} letters of tools/text/corpus/{CORPUS_OF[name]}")
        weight = WEIGHT.get(name, 1.0)
        n_bi, n_uni = sum(bi.values()) / weight, sum(uni.values()) / weight
        for k, v in bi.items():
            bi_total[k] += v / n_bi
            if name not in ADDED:
                bi_base[k] += v / n_bi
        for k, v in uni.items():
            uni_total[k] += v / n_uni
            if name not in ADDED:
                uni_base[k] += v / n_uni
    # The letter unigram and the word-start row mix the scripts: there the added languages keep
    # to their scripts' share (see by_script_of_base). The other rows are a letter's.
    p_uni = by_script_of_base(uni_total, uni_base)
    p_start = by_script_of_base({b: v for (a, b), v in bi_total.items() if a == " "},
                                {b: v for (a, b), v in bi_base.items() if a == " "})
    row = Counter()
    for (a, b), v in bi_total.items():
        row[a] += v
    rtl, rtl_pairs = rtl_rows(bi_total, p_uni)
    pairs = [(k, min(255, round(cost * 8))) for k, cost in rtl_pairs]
    for (a, b), v in bi_total.items():
        if a in rtl:
            continue
        p = p_start[b] if a == " " else v / row[a]
        if p < MIN_P:
            continue
        cost = -math.log(LAMBDA * p + (1 - LAMBDA) * p_uni[b])
        pairs.append(((ord(a) << 32) | ord(b), min(255, round(cost * 8))))
    pairs.sort()
    unis = sorted((ord(c), min(255, round(-math.log((1 - LAMBDA) * p) * 8))) for c, p in p_uni.items())
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "pairs.bin"), "wb") as fh:
        fh.write(struct.pack(f"<{len(pairs)}Q", *[k for k, _ in pairs]))
    with open(os.path.join(OUT, "pair_cost.bin"), "wb") as fh:
        fh.write(bytes(c for _, c in pairs))
    with open(os.path.join(OUT, "uni.bin"), "wb") as fh:
        fh.write(struct.pack(f"<{len(unis)}I", *[k for k, _ in unis]))
    with open(os.path.join(OUT, "uni_cost.bin"), "wb") as fh:
        fh.write(bytes(c for _, c in unis))
    with open(os.path.join(OUT, "README.txt"), "w") as fh:
        fh.write("Generated by tools/gen_letters.py -- do not edit.\n"
                 "Regenerate: python3 tools/gen_letters.py (sources and licenses in its docstring).\n"
                 f"{len(pairs)} letter pairs, {len(unis)} letters.\n"
                 "Attribution: the Georgian words come from npm's dictionary-ka 1.1.0 (MIT), whose word list\n"
                 "draws on GeoWordsDatabase (MIT) and Kevin Scannell's Crúbadán lists (CC-BY 4.0,\n"
                 "https://crubadan.org).\n")
    print(f"{len(pairs)} pairs, {len(unis)} letters, {len(pairs) * 9 + len(unis) * 5} bytes")


if __name__ == "__main__":
    main()
