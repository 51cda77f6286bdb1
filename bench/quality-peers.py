"""What a researcher would try instead of ftm's UMAP + HDBSCAN, on the same vectors of the hand-written corpus.

    npx tsx bench/quality-dump.ts && /usr/bin/python3 bench/quality-peers.py [test-output/bench-quality/corpus-vectors.json]

Needs Debian's python3-sklearn (scikit-learn 1.2). Vectors are ftm's offline embeddings mixed with their Q&A
exchange as the pipeline mixes them (window × weight); "hybrid" is both backends, each unit length, side by side.
Scores leave out sentences labelled 'none', as bench/quality.ts does; means over the 10 calls. Rows "told the
true K" are upper bounds no unsupervised default has: they are given each call's labelled topic count.
"""
import json
import sys

import numpy as np
from scipy.sparse.csgraph import laplacian
from sklearn.cluster import AgglomerativeClustering, KMeans, SpectralClustering
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.neighbors import kneighbors_graph

calls = json.load(open(sys.argv[1] if len(sys.argv) > 1 else 'test-output/bench-quality/corpus-vectors.json'))


def unit(rows):
    rows = np.asarray(rows, dtype=float)
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def mixed(call, backend, window, weight):
    """ftm's mixContext: each vector plus weight × the mean of its neighbours within window in the same group."""
    vectors = np.hstack([unit(call['wordVectors']), unit(call['tfidfSvd'])]) if backend == 'hybrid' else np.asarray(call[backend], dtype=float)
    groups = call['exchange']
    out = []
    for index in range(len(vectors)):
        neighbours = [other for other in range(index - window, index + window + 1)
                      if other != index and 0 <= other < len(vectors) and groups[other] == groups[index]]
        vector = vectors[index] + (weight * vectors[neighbours].mean(0) if neighbours else 0)
        out.append(vector)
    return unit(out)


def labelled_topics(call):
    return len({topic for topic in call['truth'] if topic != 'none'})


def spectral_eigengap(vectors, neighbours=8, smallest=4, largest=16):
    """Normalised spectral clustering of the symmetric kNN graph, K from the largest eigengap in [smallest, largest]."""
    graph = kneighbors_graph(vectors, neighbours, metric='cosine', include_self=False)
    values, vectors_ = np.linalg.eigh(laplacian(0.5 * (graph + graph.T), normed=True).toarray())
    k = smallest + int(np.argmax(np.diff(values[:largest + 1])[smallest - 1:largest]))
    return KMeans(k, n_init=10, random_state=0).fit_predict(unit(vectors_[:, :k]))


def knn_agreement(vectors, truth, k=5):
    """Share of each labelled sentence's k nearest labelled neighbours (cosine) that carry its label."""
    keep = [index for index, topic in enumerate(truth) if topic != 'none']
    similarity = vectors[keep] @ vectors[keep].T
    np.fill_diagonal(similarity, -np.inf)
    nearest = np.argsort(-similarity, axis=1)[:, :k]
    labels = np.array([truth[index] for index in keep])
    return float(np.mean(labels[nearest] == labels[:, None]))


methods = {
    'Ward, told the true K': lambda vectors, call: AgglomerativeClustering(n_clusters=labelled_topics(call), linkage='ward').fit_predict(vectors),
    'average linkage (cosine), told the true K': lambda vectors, call: AgglomerativeClustering(n_clusters=labelled_topics(call), linkage='average', metric='cosine').fit_predict(vectors),
    'spectral (10-NN graph), told the true K': lambda vectors, call: SpectralClustering(n_clusters=labelled_topics(call), affinity='nearest_neighbors', n_neighbors=10, random_state=0).fit_predict(vectors),
    'spectral (8-NN graph), K by eigengap': lambda vectors, call: spectral_eigengap(vectors),
}

print('| vectors | context | method | ARI | NMI | 5-NN label agreement |')
print('|---|---|---|---|---|---|')
for backend in ['wordVectors', 'tfidfSvd', 'hybrid']:
    for window, weight in [(1, 0.5), (2, 1)]:
        for name, method in methods.items():
            aris, nmis, agreements = [], [], []
            for call in calls:
                vectors = mixed(call, backend, window, weight)
                predicted = method(vectors, call)
                keep = [index for index, topic in enumerate(call['truth']) if topic != 'none']
                truth = [call['truth'][index] for index in keep]
                aris.append(adjusted_rand_score(truth, [predicted[index] for index in keep]))
                nmis.append(normalized_mutual_info_score(truth, [predicted[index] for index in keep]))
                agreements.append(knn_agreement(vectors, call['truth']))
            print(f'| {backend} | {window} × {weight} | {name} | {np.mean(aris):.3f} | {np.mean(nmis):.3f} | {np.mean(agreements):.3f} |', flush=True)
