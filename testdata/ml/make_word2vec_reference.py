"""Reference values for gspark's Word2Vec tests (numpy), written from word2vec's description.

Run with /usr/bin/python3 (numpy 1.24):
    /usr/bin/python3 testdata/ml/make_word2vec_reference.py > testdata/ml/word2vec_reference.json

Spark's Word2Vec is word2vec.c's skip-gram with hierarchical softmax:

- Huffman tree (CreateBinaryTree): words sorted by count, descending, are
  the leaves 0..n-1; inner nodes n..2n-2 are created in order, each joining
  the two smallest remaining nodes, found by walking the leaves from the
  least frequent up and the new inner nodes from the first up (on a tie the
  inner node is taken); the first picked gets bit 0, the second bit 1. A
  word's code is the bits from the root down; its points are the inner
  nodes on that path from the root, numbered from 0 (node index - n).
- Training step for a center position with window shrink b: for every
  context position c in [pos-window+b, pos+window-b], c != pos, inside the
  sentence, and every node d on the center word's path: f = syn0[c].syn1[d];
  if -6 < f < 6: s = table[int((f + 6) * 83)] where table[i] =
  float32(sigmoid((2i/1000 - 1) * 6)) (83 is Spark's 1000 / 6 / 2.0 with
  the integer division first); g = (1 - code[d] - s) * alpha; neu1e += g *
  syn1[d]; syn1[d] += g * syn0[c]. Then syn0[c] += neu1e. Spark stores the
  vectors as float32 and so does this model.
- Merge of partitions (Spark since SPARK-24666): after an iteration every
  row of syn0 and syn1 changed by some partition is the mean of that row
  over the partitions that changed it (a syn0 row counts as changed when
  it was a context word, a syn1 row when an update with -6 < f < 6 hit it).
- Vocabulary: words with count >= minCount, by count descending (ties by
  word here); each sentence keeps its vocabulary words, cut into chunks of
  maxSentenceLength.
- findSynonyms: cosine similarity to the query, highest first, the query
  word left out.
"""
import json

import numpy as np

rng = np.random.RandomState(15)


def huffman(counts):
    n = len(counts)
    cnt = list(counts) + [10 ** 15] * n
    parent = [0] * (2 * n)
    bit = [0] * (2 * n)
    leaf, inner = n - 1, n

    def smallest():
        nonlocal leaf, inner
        if leaf >= 0 and cnt[leaf] < cnt[inner]:
            leaf -= 1
            return leaf + 1
        inner += 1
        return inner - 1

    for k in range(n - 1):
        a = smallest()
        b = smallest()
        cnt[n + k] = cnt[a] + cnt[b]
        parent[a] = parent[b] = n + k
        bit[b] = 1
    root = 2 * n - 2
    out = []
    for w in range(n):
        path, node = [], w
        while node != root:
            path.append(node)
            node = parent[node]
        path.reverse()  # from the node below the root down to the leaf
        code = [bit[x] for x in path]
        points = [parent[x] - n for x in path]  # the inner node that code[i] leaves
        out.append({"code": code, "points": points})
    return out


def check_huffman(counts, tree):
    # A Huffman code: prefix-free and of minimal total length sum(count*len).
    codes = ["".join(map(str, t["code"])) for t in tree]
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            assert i == j or not b.startswith(a) or len(counts) == 1
    import heapq
    h = list(counts)
    heapq.heapify(h)
    cost = 0
    while len(h) > 1:
        x, y = heapq.heappop(h), heapq.heappop(h)
        cost += x + y
        heapq.heappush(h, x + y)
    assert cost == sum(c * len(code) for c, code in zip(counts, codes))


huff_cases = [[10, 5, 3, 2, 1], [4, 4, 4, 4, 2, 2, 1], [7], [3, 3], sorted(rng.randint(1, 50, size=40).tolist(), reverse=True)]
huff = []
for counts in huff_cases:
    tree = huffman(counts)
    check_huffman(counts, tree)
    huff.append({"counts": counts, "codes": [t["code"] for t in tree], "points": [t["points"] for t in tree]})

table = np.array([np.float32(np.exp((2 * i / 1000 - 1) * 6) / (np.exp((2 * i / 1000 - 1) * 6) + 1)) for i in range(1000)], dtype=np.float32)


def train_sentence(vocab_tree, syn0, syn1, sent, window, alpha, bs, dtype):
    syn0, syn1 = syn0.astype(dtype).copy(), syn1.astype(dtype).copy()
    mod0, mod1 = set(), set()
    indexes = []
    for pos, word in enumerate(sent):
        b = bs[pos]
        for a in range(b, 2 * window + 1 - b):
            c = pos - window + a
            if a == window or c < 0 or c >= len(sent):
                continue
            ctx = sent[c]
            neu1e = np.zeros(syn0.shape[1], dtype=dtype)
            for bitv, node in zip(vocab_tree[word]["code"], vocab_tree[word]["points"]):
                f = dtype(np.dot(syn0[ctx], syn1[node]))
                if not (-6 < f < 6):
                    indexes.append(None)
                    continue
                ind = int((float(f) + 6) * 83.0)
                indexes.append(ind)
                g = dtype((1 - bitv - float(table[ind])) * alpha)
                neu1e += g * syn1[node]
                syn1[node] += g * syn0[ctx]
                mod1.add(node)
            syn0[ctx] += neu1e
            mod0.add(ctx)
    return syn0, syn1, mod0, mod1, indexes


counts = [9, 6, 5, 3, 2, 1]
tree = huffman(counts)
dim, window, alpha = 4, 2, 0.05
syn0 = rng.uniform(-1, 1, size=(6, dim))
syn0[5] *= 12  # large enough that some scores leave (-6, 6) and skip the update
syn1 = rng.uniform(-1, 1, size=(5, dim))  # n - 1 inner nodes
syn1 = np.vstack([syn1, np.zeros((1, dim))])  # Spark allocates n rows; the last is never used
syn0 = syn0.astype(np.float32).astype(np.float64)
syn1 = syn1.astype(np.float32).astype(np.float64)
sentA, bsA = [0, 2, 1, 5, 3, 0, 4, 1], [0, 1, 0, 1, 0, 0, 1, 0]
sentB, bsB = [1, 0, 3, 3, 2, 5], [1, 0, 0, 1, 0, 0]
a0, a1, m0a, m1a, idxA = train_sentence(tree, syn0, syn1, sentA, window, alpha, bsA, np.float32)
d0, d1, _, _, idx64 = train_sentence(tree, syn0, syn1, sentA, window, alpha, bsA, np.float64)
assert idxA == idx64  # float32 and float64 read the same table entries
assert np.max(np.abs(a0 - d0)) < 1e-5 and np.max(np.abs(a1 - d1)) < 1e-5
assert None in idxA and len(idxA) > 30  # some updates skip, most do not
b0, b1, m0b, m1b, _ = train_sentence(tree, syn0, syn1, sentB, window, alpha, bsB, np.float32)
assert m0a & m0b and m1a & m1b and m0a ^ m0b  # rows changed by both parts and by one
merged0, merged1 = syn0.astype(np.float32).copy(), syn1.astype(np.float32).copy()
for r in range(6):
    parts0 = [x for x, m in ((a0, m0a), (b0, m0b)) if r in m]
    if parts0:
        merged0[r] = np.mean([p[r] for p in parts0], axis=0)
    parts1 = [x for x, m in ((a1, m1a), (b1, m1b)) if r in m]
    if parts1:
        merged1[r] = np.mean([p[r] for p in parts1], axis=0)
step = {
    "counts": counts, "dim": dim, "window": window, "alpha": alpha,
    "syn0": syn0.ravel().tolist(), "syn1": syn1.ravel().tolist(),
    "sentenceA": sentA, "bA": bsA, "sentenceB": sentB, "bB": bsB,
    "syn0A": a0.astype(np.float64).ravel().tolist(), "syn1A": a1.astype(np.float64).ravel().tolist(),
    "merged0": merged0.astype(np.float64).ravel().tolist(), "merged1": merged1.astype(np.float64).ravel().tolist(),
    "table": table.astype(np.float64).tolist(),
}

sentences = [["a", "b", "c", "a", "d"], ["e", "a", "b", "b", "f", "a", "c", "c", "a"], [], ["x", "y"], ["b", "a", "e", "e", "g", "a", "d"]]  # d is seen exactly minCount times
min_count, max_len = 2, 3
cnt = {}
for s in sentences:
    for w in s:
        cnt[w] = cnt.get(w, 0) + 1
vocab = sorted([(w, c) for w, c in cnt.items() if c >= min_count], key=lambda t: (-t[1], t[0]))
index = {w: i for i, (w, _) in enumerate(vocab)}
chunks = []
for s in sentences:
    ids = [index[w] for w in s if w in index]
    chunks += [ids[i:i + max_len] for i in range(0, len(ids), max_len)]

words = ["w%d" % i for i in range(12)]
vecs = rng.normal(size=(12, 5))
vecs[3] = 2.5 * vecs[0] + 0.1 * rng.normal(size=5)
vecs[7] = -vecs[0]


def synonyms(v, exclude, num):
    sims = vecs @ v / (np.linalg.norm(vecs, axis=1) * np.linalg.norm(v))
    order = [i for i in np.argsort(-sims, kind="stable") if words[i] != exclude]
    return [[words[i], float(sims[i])] for i in order[:num]]


query = rng.normal(size=5)
out = {
    "huffman": huff,
    "step": step,
    "vocab": {"sentences": sentences, "minCount": min_count, "maxSentenceLength": max_len,
              "words": [w for w, _ in vocab], "counts": [c for _, c in vocab], "chunks": chunks, "trainWords": sum(map(len, chunks))},
    "synonyms": {"words": words, "vectors": vecs.ravel().tolist(), "word": "w0", "num": 5, "ofWord": synonyms(vecs[0], "w0", 5),
                 "vector": query.tolist(), "ofVector": synonyms(query, "", 12)},
}
print(json.dumps(out))
