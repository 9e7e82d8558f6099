#!/usr/bin/env python3
"""Measure how well the word lexicon (src/model/lexicon/*.bin) alone refills lossy-mojibake
holes in Japanese text.

    python3 tools/eval_lexicon.py                 # the committed tables
    python3 tools/eval_lexicon.py --dir DIR -v    # other tables; -v prints every error

Standard library only. The test sentences below were written for this script (tech-news and
blog style, katakana loanwords, verbs in many forms); they are not taken from any source.

Damage model: UTF-8 decoded as Windows-1254 with its undefined bytes dropped loses the bytes
0x81 0x8D 0x8E 0x8F 0x90 0x9D 0x9E 0xAD. For every character whose UTF-8 contains one of
them, the candidates are all assigned code points (not Cn/Cs/Co) whose UTF-8 with those
bytes removed equals the damaged character's (e.g. チ's E3 83 81 -> E3 83 -> チ ネ ノ ハ バ ポ
マ ロ); other characters are known.

Decoder: a unigram word segmentation over the candidate lattice (Viterbi). A span that
spells a lexicon word with one candidate per position costs that word's cost; any single
character costs UNK (a fixed penalty) plus, only to break ties between the candidates of an
uncovered damaged character, a tiny tie-breaker from the lexicon itself (how much word mass
contains the character), scaled so that it never outweighs a word. Reported: accuracy on
the damaged characters, the share of them the chosen path covers with a word, the accuracy
on those and on the rest, and the remaining errors grouped by kind.
"""

import argparse
import math
import os
import struct
import sys
import unicodedata
from collections import Counter, defaultdict

LOST = frozenset(b'\x81\x8d\x8e\x8f\x90\x9d\x9e\xad')

SENTENCES = [
    "新しいチームが今月からクラウドサービスの開発を担当している。",
    "サーバーのログを確認したところ、ノードの一つが応答していなかった。",
    "ページのロードが遅いので、キャッシュの設定を見直しました。",
    "このライブラリはデータベースに繋いでから初期化する必要があります。",
    "スマホ向けのアプリを公開したら、ユーザーから多くの意見が届いた。",
    "ネットワークが不安定なときは、自動的に再接続するように作られている。",
    "新バージョンでは検索機能が大幅に改善され、動作も軽くなった。",
    "管理画面のボタンを押すと、設定ファイルがダウンロードされます。",
    "開発者向けのドキュメントを読んでから、テストを書き始めた。",
    "バックアップを取らずにアップデートするのは危険だと思う。",
    "メモリの使用量が増え続けていたため、原因を調べることにした。",
    "クラスタの各ノードにコンテナを配置して負荷を分散させる。",
    "ブラウザの拡張機能がページの表示を邪魔していたらしい。",
    "セキュリティ上の問題が見つかったので、すぐにパッチを当てた。",
    "社内のエンジニアが集まって、新しいツールの使い方を話し合った。",
    "ファイルを保存しようとしたら、エラーメッセージが表示された。",
    "このプロジェクトではマイクロサービスの構成を採用しています。",
    "昨日リリースされた機能について、利用者の反応を調べてみた。",
    "テスト環境と本番環境の違いが、思わぬ不具合を引き起こしていた。",
    "キーボードのショートカットを覚えると、作業がかなり速くなる。",
    "チームのメンバーは毎朝短いミーティングで進み具合を共有する。",
    "インストールが終わったら、パソコンを再起動してください。",
    "アクセスが集中してサーバーが落ちたため、復旧に時間がかかった。",
    "データを分析した結果、夜間の利用者が増えていることが分かった。",
    "パスワードは定期的に変更し、ほかのサイトと同じものを使わないこと。",
    "オープンソースのプロジェクトに初めてプルリクエストを送った。",
    "画像の読み込みに失敗した場合は、代わりのテキストを表示する。",
    "ソフトウェアの品質を保つには、レビューの仕組みが欠かせない。",
    "ユーザーの声を聞きながら、画面のデザインを少しずつ変えていく。",
    "通信量を減らすために、データを圧縮してから送信している。",
    "クラウドに移行してから、運用の手間が大きく減ったと感じる。",
    "古いプログラムを書き直すか、そのまま使い続けるかで迷っている。",
    "スマートフォンの電池が急に減るのは、バックグラウンドの処理が原因だった。",
    "週末にイベントを開いて、参加者と一緒にゲームを作りました。",
    "モデルの学習には大量のデータと長い時間が必要になる。",
    "ロボットを使った自動化が、工場の生産性を高めている。",
    "ネットで話題になった記事を読み、自分でも試してみたくなった。",
    "ケーブルを繋ぎ直したら、モニターに映像が映るようになった。",
    "サポートに問い合わせたが、返事が来るまで三日も待たされた。",
    "ウェブサイトのデザインを変更したところ、売り上げが伸びた。",
    "ポイントをためて、新しいノートパソコンを買うつもりだ。",
    "この機能はまだ実験的なので、本番では使わないでください。",
]


class Lexicon:
    """The trie of src/model/lexicon (same layout as src/model/lexicon.rs reads)."""

    def __init__(self, d):
        def rd(name):
            with open(os.path.join(d, name), 'rb') as fh:
                return fh.read()
        bl = rd('block.bin')
        block = struct.unpack(f'<{len(bl) // 4}I', bl)
        of = rd('off.bin')
        off = struct.unpack(f'<{len(of) // 2}H', of)
        self.start = [block[i >> 6] + o for i, o in enumerate(off)]
        lb = rd('label.bin')
        self.label = struct.unpack(f'<{len(lb) // 2}H', lb)
        self.cost = rd('cost.bin')
        self.base, _ = struct.unpack('<2H', rd('base.bin'))
        self.size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d)
                        if f.endswith('.bin'))
        self.kids = {}

    def child(self, node, c):
        o = ord(c)
        if o > 0xFFFF:
            return None
        lo, hi = self.start[node], self.start[node + 1]
        while lo < hi:
            mid = (lo + hi) // 2
            if self.label[mid] < o:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < self.start[node + 1] and self.label[lo] == o else None

    def word_cost(self, node):
        q = self.cost[node]
        return None if q == 0xFF else self.base + q / 8

    def words(self):
        """(word, cost) for every word, by walking the trie."""
        stack = [(0, '')]
        while stack:
            n, s = stack.pop()
            wc = self.word_cost(n)
            if wc is not None:
                yield s, wc
            for k in range(self.start[n], self.start[n + 1]):
                stack.append((k, s + chr(self.label[k])))


def strip(b):
    return bytes(x for x in b if x not in LOST)


def candidate_index(keys):
    """stripped UTF-8 -> assigned characters with that stripped form, for the keys needed."""
    out = defaultdict(list)
    for cp in range(0x80, 0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        b = c.encode('utf-8')
        if not LOST.intersection(b):
            continue
        k = strip(b)
        if k in keys and unicodedata.category(c) not in ('Cn', 'Cs', 'Co'):
            out[k].append(c)
    return out


def decode(lex, cands, unk, tie):
    """Viterbi over the lattice. cands: list of candidate lists. Returns (chars, covered)."""
    n = len(cands)
    INF = math.inf
    best = [INF] * (n + 1)
    back = [None] * (n + 1)
    best[0] = 0.0
    for i in range(n):
        if best[i] == INF:
            continue
        # single character
        for c in cands[i]:
            v = best[i] + unk + tie.get(c, 0.01)
            if v < best[i + 1]:
                best[i + 1], back[i + 1] = v, (i, c, False)
        # words starting at i: depth-first over candidates
        stack = [(0, i, '')]
        while stack:
            node, j, s = stack.pop()
            if j == n:
                continue
            for c in cands[j]:
                k = lex.child(node, c)
                if k is None:
                    continue
                w = s + c
                wc = lex.word_cost(k)
                if wc is not None and len(w) >= 2:
                    v = best[i] + wc
                    if v < best[j + 1]:
                        best[j + 1], back[j + 1] = v, (i, w, True)
                stack.append((k, j + 1, w))
    out = [None] * n
    covered = [False] * n
    j = n
    while j > 0:
        i, w, is_word = back[j]
        for t, c in enumerate(w):
            out[i + t] = c
            covered[i + t] = is_word
        j = i
    return out, covered


def kind(c):
    o = ord(c)
    if 0x3040 <= o <= 0x309F:
        return 'hiragana'
    if 0x30A0 <= o <= 0x30FF:
        return 'katakana'
    if 0x4E00 <= o <= 0x9FFF:
        return 'kanji'
    return 'other'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  '..', 'src', 'model', 'lexicon'))
    ap.add_argument('--unk', type=float, nargs='*', default=[8.0, 10.0, 12.0, 14.0, 16.0])
    ap.add_argument('-v', '--verbose', action='store_true')
    args = ap.parse_args()
    lex = Lexicon(args.dir)

    # Tie-breaker: -ln of the word mass containing c, squeezed into [0, 0.01).
    mass = Counter()
    for w, wc in lex.words():
        for c in set(w):
            mass[c] += math.exp(-wc)
    top = max(mass.values())
    tie = {c: 0.01 * (1 - 1 / (1 + math.log(top / m))) for c, m in mass.items()}

    keys = {strip(c.encode()) for s in SENTENCES for c in s if LOST.intersection(c.encode())}
    index = candidate_index(keys)
    lattices = []
    for s in SENTENCES:
        cl = [index[strip(c.encode())] if LOST.intersection(c.encode()) else [c] for c in s]
        lattices.append(cl)
    damaged = sum(bool(LOST.intersection(c.encode())) for s in SENTENCES for c in s)
    amb = sum(len(c) > 1 for cl in lattices for c in cl)
    print(f'lexicon {args.dir}: {lex.size} bytes, {len(lex.label)} nodes')
    print(f'{len(SENTENCES)} sentences, {sum(map(len, SENTENCES))} chars, {damaged} damaged '
          f'({amb} with >1 candidate, mean {sum(len(c) for cl in lattices for c in cl if len(c) > 1) / max(amb, 1):.1f} candidates)')
    for unk in args.unk:
        ok = cov = cov_ok = 0
        errors = Counter()
        detail = []
        for s, cl in zip(SENTENCES, lattices):
            out, covered = decode(lex, cl, unk, tie)
            for i, c in enumerate(s):
                if not LOST.intersection(c.encode()):
                    continue
                good = out[i] == c
                ok += good
                cov += covered[i]
                cov_ok += good and covered[i]
                if not good:
                    why = 'in a wrong word' if covered[i] else 'no word covers it'
                    errors[(kind(c), why)] += 1
                    ctx = s[max(0, i - 4):i] + '[' + c + '→' + out[i] + ']' + s[i + 1:i + 5]
                    detail.append(ctx)
        unc = damaged - cov
        print(f'UNK={unk:5.1f}: accuracy {ok}/{damaged} = {ok / damaged:.1%}; covered by a word '
              f'{cov / damaged:.1%} (accuracy {cov_ok / max(cov, 1):.1%}), uncovered {unc} '
              f'(accuracy {(ok - cov_ok) / max(unc, 1):.1%})')
        print('    errors: ' + ', '.join(f'{k[0]} {k[1]}: {v}' for k, v in errors.most_common()))
        if args.verbose:
            for d in detail:
                print('      ' + d)


if __name__ == '__main__':
    main()
