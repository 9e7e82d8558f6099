#!/usr/bin/env python3
"""Measure how well the generated tables (src/model/data/*.bin) refill lossy-mojibake holes.

    python3 tools/eval_model.py [--data DIR] [-v]

Simulation: UTF-8 Japanese decoded as Windows-1254 loses the bytes 0x81 0x8D 0x8E 0x8F 0x90
0x9D 0x9E (undefined there; 0xAD, the soft hyphen, is lost by many pipelines too). For every
kanji / hiragana / katakana of the test sentences whose UTF-8 holds one of those bytes, the
candidates are all characters whose UTF-8 minus those bytes equals what survived (the lead
byte is never lost, so it fixes the length). A candidate's score is
bigram_cost(prev, X) + bigram_cost(X, next) — the within-class costs from the tables, read
here by a Python mirror of src/model/data.rs. Two figures:

  * within-class: candidates of the true character's class only (what the tables decide);
  * all classes: every candidate, with a coarse class-transition cost added
    (CLASS_COST below, hand-set, standing in for the engine's own).

The sentences are written for this test (no external text); they are not used to build the
tables.
"""
import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_model import SCRIPTS, CJK4, CJK4_SLOT, script_of  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DROP = {0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E, 0xAD}

SENTENCES = """
新しいサーバーのメモリ使用量が急に増えたため、エンジニアはログを確認した。
このライブラリはデータベースへの接続をプールして再利用する。
東京都は来年度の予算案を発表し、子育て支援に重点を置く方針を示した。
ユーザーがパスワードを忘れた場合は、メールで再設定用のリンクを送ります。
チームはクラウド環境への移行を三か月で完了させる計画だ。
ネットワークの遅延を測定するために、小さなツールを書いてみました。
ロードバランサーの設定を変更したところ、レスポンスが大幅に改善された。
駅前の商店街では、週末に地元の野菜を売る市場が開かれている。
彼女は大学でコンピューターサイエンスを学び、卒業後はゲーム会社に就職した。
台風の影響で、新幹線は午後から運転を見合わせる見込みです。
このプログラムは入力された文字列を解析し、エラーがあれば警告を表示する。
政府は電気自動車の普及を促すため、補助金の対象を広げることを決めた。
ファイルをダウンロードする前に、ウイルスチェックを必ず行ってください。
データの整合性を保つため、トランザクションの途中で処理を中断しないこと。
昨日の試合では、若い選手たちが最後まで粘り強く戦った。
新製品のカメラは暗い場所でもノイズの少ない写真が撮れると評判だ。
私たちは毎朝コーヒーを飲みながら、その日のタスクを話し合います。
研究チームは新しい素材を使って、電池の寿命を二倍に延ばすことに成功した。
アプリのアップデートで、ダークモードと通知の細かい設定が追加された。
図書館の開館時間は、平日が午前九時から午後八時までとなっております。
ノードが一つ落ちても、クラスター全体のサービスは止まらない設計になっている。
このレストランのランチは安くておいしいので、いつも行列ができる。
セキュリティ上の理由から、古いバージョンのブラウザはサポートを終了します。
祖母の家の庭には、春になると桜の花がたくさん咲く。
会議の資料は共有フォルダーに置いてあるので、事前に目を通しておいてください。
円安の影響で、輸入品の価格が上がり続けている。
テストが失敗した原因は、タイムゾーンの扱いに関するバグだった。
子どもたちは川で魚を捕まえたり、石を投げたりして遊んでいた。
新しいキーボードはキーが軽く、長時間タイピングしても疲れにくい。
市役所の窓口は混雑しているため、オンラインでの手続きをお勧めします。
スマートフォンの画面が割れてしまったので、修理に出すことにした。
彼は締め切りに間に合わせるため、週末も返上して原稿を書き続けた。
地震の後、多くのボランティアが被災地に集まり、がれきの撤去を手伝った。
このフレームワークでは、コンポーネントごとに状態を管理することができる。
ポイントカードを作ると、次回から買い物のたびに割引が受けられます。
サーバーのディスク容量が足りなくなったので、古いログを圧縮して削除した。
この関数は引数がヌルの場合に例外を投げるので、呼び出し側でチェックが必要だ。
インターネット通販の売り上げは、この五年で二倍以上に伸びている。
マネージャーはプロジェクトの進捗を毎週レポートにまとめて提出する。
雨が降りそうなので、傘を持って出かけたほうがいいと思う。
ソフトウェアのライセンスを確認せずに配布すると、後で問題になることがある。
気象庁によると、今年の夏は例年より暑くなる見通しだという。
キャッシュの有効期限を短くしたら、ページの表示が少し遅くなった。
彼はギターを弾きながら、昔よく聴いていた歌を口ずさんだ。
オープンソースのコミュニティでは、誰でもバグの報告や修正の提案ができる。
町内会の夏祭りでは、子ども向けのゲームや屋台がたくさん並んだ。
センサーから送られてくるデータを、リアルタイムでグラフに表示します。
部長は来週の出張に備えて、ホテルと飛行機のチケットを予約した。
エラーメッセージが文字化けしていたので、エンコーディングの設定を見直した。
この地域では高齢化が進み、バスの路線が次々と廃止されている。
新しいモデルは、以前のバージョンに比べて消費電力が三割ほど少ない。
週末は友人と山に登り、頂上でお弁当を食べた。
バックアップからデータベースを復元するのに、およそ二時間かかった。
ニュースサイトのアクセス数は、選挙の開票日に過去最高を記録した。
""".split()

# Coarse class-transition costs (nats) for the all-classes figure: same class cheap, kana and
# kanji mixing cheap, jumping into CJK punctuation/compatibility symbols mid-word dear.
def class_cost(a, b):
    if a == b:
        return 0.3
    text = ('Han', 'Hiragana', 'Katakana')
    if a in text and b in text:
        return 1.2
    if b == 'CjkPunct':
        return 3.0
    if a == 'CjkPunct':
        return 1.5
    return 5.0


class Model:
    def __init__(self, d):
        def rd(name):
            with open(os.path.join(d, name), 'rb') as fh:
                return fh.read()
        cp = rd('uni_cp.bin')
        n = len(cp) // 4
        self.cps = struct.unpack(f'<{n}I', cp)
        self.id = {chr(u): i for i, u in enumerate(self.cps)}
        self.ucost = struct.unpack(f'<{n}H', rd('uni_cost.bin'))
        self.floor = dict(zip(SCRIPTS, struct.unpack('<21H', rd('class_floor.bin'))))
        rows = rd('bi_row.bin')
        self.row = struct.unpack(f'<{len(rows) // 4}I', rows)
        nx = rd('bi_next.bin')
        self.next = struct.unpack(f'<{len(nx) // 2}H', nx)
        self.cost = rd('bi_cost.bin')
        self.backoff = struct.unpack(f'<{(n + 2) * 4}b', rd('bi_backoff.bin'))
        self.n = n
        self.size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d) if f.endswith('.bin'))

    def unigram_cost(self, c):
        k = script_of(c)
        f = self.floor[k]
        if f == 0xFFFF:
            return None
        i = self.id.get(c)
        return (self.ucost[i] if i is not None else f) / 256.0

    def bigram_cost(self, prev, c):
        k = script_of(c)
        uc = self.unigram_cost(c)
        if uc is None or k not in CJK4_SLOT:
            return uc
        pk = script_of(prev)
        if pk in CJK4_SLOT:
            r = self.id.get(prev)
            if r is None:
                return uc
        elif pk == 'Digit':
            r = self.n
        else:
            r = self.n + 1
        ci = self.id.get(c)
        if ci is not None:
            lo, hi = self.row[r], self.row[r + 1]
            import bisect
            j = bisect.bisect_left(self.next, ci, lo, hi)
            if j < hi and self.next[j] == ci:
                return self.cost[j] / 8.0
        return max(0.0, self.backoff[r * 4 + CJK4_SLOT[k]] / 16.0 + uc)


def squeeze(b):
    return bytes(x for x in b if x not in DROP)


def candidate_map():
    m = {}
    for u in range(0x800, 0x10000):
        if 0xD800 <= u <= 0xDFFF:
            continue
        c = chr(u)
        b = c.encode('utf-8')
        if any(x in DROP for x in b):
            m.setdefault(squeeze(b), []).append(c)
    return m


def evaluate(model, verbose=False):
    cmap = candidate_map()
    res = {'within': [0, 0], 'all': [0, 0]}
    by_class = {}
    for sent in SENTENCES:
        text = '\n' + sent + '\n'
        for i in range(1, len(text) - 1):
            c = text[i]
            k = script_of(c)
            if k not in ('Han', 'Hiragana', 'Katakana'):
                continue
            b = c.encode('utf-8')
            if not any(x in DROP for x in b):
                continue
            prev, nxt = text[i - 1], text[i + 1]
            cands = cmap[squeeze(b)]

            def score(x, with_class):
                s = model.bigram_cost(prev, x)
                t = model.bigram_cost(x, nxt)
                s = 30.0 if s is None else s
                t = 30.0 if t is None else t
                if with_class:
                    s += class_cost(script_of(prev), script_of(x)) + class_cost(script_of(x), script_of(nxt))
                return s + t
            for mode in ('within', 'all'):
                cs = [x for x in cands if mode == 'all' or script_of(x) == k]
                best = min(cs, key=lambda x: (score(x, mode == 'all'), x))
                ok = best == c
                res[mode][0] += ok
                res[mode][1] += 1
                if mode == 'within':
                    bc = by_class.setdefault(k, [0, 0])
                    bc[0] += ok
                    bc[1] += 1
                if verbose and not ok:
                    print(f'  {mode:6} {prev}[{c}→{best}]{nxt}  of {len(cs)} candidates  '
                          f'{score(c, mode == "all"):.2f} vs {score(best, mode == "all"):.2f}')
    return res, by_class


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default=os.path.join(ROOT, 'src', 'model', 'data'))
    ap.add_argument('-v', action='store_true')
    args = ap.parse_args()
    model = Model(args.data)
    res, by_class = evaluate(model, args.v)
    for mode, (ok, n) in res.items():
        print(f'{mode:7} accuracy: {ok}/{n} = {100.0 * ok / n:.1f}%')
    print('within-class by class: ' + ', '.join(f'{k} {a}/{b}' for k, (a, b) in sorted(by_class.items())))
    print(f'table size: {model.size} bytes')


if __name__ == '__main__':
    main()
