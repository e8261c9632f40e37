"""Near-duplicate sentence groups across articles (wire copy reprinted by several outlets).

Exact duplicates after normalisation always share a group; near duplicates are
pairs whose word shingles reach the Jaccard threshold: MinHash LSH (datasketch's
sketch and band choice) proposes them, their exact similarity decides. A corpus
may be far larger than memory, so the sentences are read once, what the
comparison needs goes to a temporary folder, and only a union-find array of a few
bytes per sentence stays in memory; the groups come back in the order read.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

import numpy as np

from builder.records.model import AnalysedArticle
from builder.rules.splits import DedupConfig
from builder.steps.base import Step

_NON_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")

_BAND_BUCKETS = 128  # band-key files (b records per sentence), sorted in memory one at a time; with the
# text buckets and the rest, under the 256 open files macOS allows a process by default
_TEXT_BUCKETS = 16  # text-key files (one record per sentence)
_PART = 1 << 18  # records sorted at once (3 MiB); a larger bucket file is first split by the next key bits
_BATCH = 8192  # sentences hashed together in the reading pass
_SLICE = 4096  # shingles whose permutations are computed at once (a 2 MiB array per step)
_CHUNK = 1 << 18  # sentences per step of the final passes
_SMALL_RUN = 32  # distinct texts in a run up to which its groups are compared pair by pair
_RUN_BLOCK = 4096  # sentences of a long run read at once
_PAIRS = 1 << 17  # candidate pairs of a long run made at once
_REC = np.dtype([("key", "<u8"), ("idx", "<u4")])
_U64 = np.dtype("<u8")
_CODE_BITS = 48  # a group id is "g" + 12 hex digits


def normalise(text: str) -> str:
    """Lower case, punctuation dropped, whitespace folded: how two copies of a sentence are compared."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text.lower())).strip()


def shingles(norm: str, n: int) -> set[str]:
    words = norm.split()
    if len(words) <= n:
        return {" ".join(words)}
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def group_name(code: int) -> str:
    return f"g{int(code):012x}"


# --- hashing -------------------------------------------------------------------------------


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch's pre-mix of the "affine32" MinHash scheme)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


class _Sketch:
    """datasketch's MinHash (default scheme) and MinHashLSH bands, computed for a batch of sentences
    at once: the same signatures, so LSH proposes the same candidates as the index would."""

    def __init__(self, cfg: DedupConfig):
        from datasketch import MinHash, MinHashLSH

        lsh = MinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm)  # its optimal (b, r)
        self.b, self.r = lsh.b, lsh.r
        probe = MinHash(num_perm=cfg.num_perm, seed=cfg.seed)
        a, c = probe.permutations
        self.a, self.c = a.astype(np.uint32), c.astype(np.uint32)
        self.band_seeds = _fmix64(np.arange(1, self.b + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
        words = [b"a b", b"b c", b"near duplicate", b""]  # the replica must agree with datasketch itself
        probe.update_batch(words)
        h32 = np.array([struct.unpack("<I", hashlib.sha1(w).digest()[:4])[0] for w in words], dtype=np.uint32)
        if probe.scheme != "affine32" or not np.array_equal(self.signatures(h32, np.array([0])), probe.hashvalues[None, :]):
            raise RuntimeError("datasketch's MinHash is no longer the one builder/steps/dedup.py computes "
                               "(datasketch 2.0.0's default scheme, affine32)")

    def signatures(self, h32: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """(sentences, num_perm) MinHash values; sentence i's shingle hashes are h32[starts[i]:starts[i+1]]."""
        hv = _fmix32(h32)
        ends = np.append(starts[1:], len(hv))
        out = np.empty((len(starts), len(self.a)), dtype=np.uint32)
        i = 0
        while i < len(starts):  # slices of whole sentences with at most _SLICE shingles (at least one sentence)
            j = max(i + 1, int(np.searchsorted(ends, starts[i] + _SLICE, side="right")))
            lo, hi = starts[i], ends[j - 1]
            phv = hv[lo:hi, None] * self.a[None, :] + self.c[None, :]  # wraps modulo 2^32, as datasketch's does
            out[i:j] = np.minimum.reduceat(phv, starts[i:j] - lo, axis=0)
            i = j
        return out

    def band_keys(self, sig: np.ndarray) -> np.ndarray:
        """(sentences, b) 64-bit hashes of each band's r values (and the band's number)."""
        v = sig[:, : self.b * self.r].reshape(len(sig), self.b, self.r).astype(np.uint64)
        k = np.broadcast_to(self.band_seeds, (len(sig), self.b))
        for t in range(self.r):
            k = _fmix64(k ^ v[:, :, t])
        return k


# --- the reading pass ------------------------------------------------------------------------


class _Buckets:
    """Records (key, sentence index) appended to up to `count` files chosen by the key's bits below
    the `skip` top ones (which all these records share); a file is made at its first record."""

    def __init__(self, folder: Path, prefix: str, count: int, skip: int = 0):
        self.folder, self.prefix, self.count, self.skip = folder, prefix, count, skip
        self.bits = skip + count.bit_length() - 1
        self.files: dict[int, BinaryIO] = {}

    def add(self, keys: np.ndarray, idx: np.ndarray) -> None:
        bucket = ((keys << np.uint64(self.skip)) >> np.uint64(64 - self.bits + self.skip)).astype(np.intp)
        order = np.argsort(bucket, kind="stable")
        rec = np.empty(len(keys), _REC)
        rec["key"], rec["idx"] = keys[order], idx[order]
        bounds = np.searchsorted(bucket[order], np.arange(self.count + 1))
        for i in np.flatnonzero(np.diff(bounds)).tolist():
            if i not in self.files:
                self.files[i] = open(self.folder / f"{self.prefix}{i:03d}.bin", "wb", buffering=0)
            self.files[i].write(rec[bounds[i] : bounds[i + 1]].tobytes())

    def close(self) -> None:
        for f in self.files.values():
            f.close()

    def parts(self) -> Iterator[np.ndarray]:
        """Each file's records sorted by key; a file of over _PART records split first by the next key bits."""
        for i in sorted(self.files):
            yield from _sorted_parts(Path(self.files[i].name), self.bits)


def _sorted_parts(path: Path, bits: int, before: int = -1) -> Iterator[np.ndarray]:
    """The records of one bucket file sorted by key (the file is removed once read). A file that
    splitting did not make smaller (`before`: its parent's size) holds the runs of a few keys: read whole."""
    size = path.stat().st_size // _REC.itemsize
    if size <= _PART or size == before or bits >= 48:
        rec = np.fromfile(path, _REC)
        path.unlink()
        if size > 1:
            yield rec[np.argsort(rec["key"], kind="stable")]
        return
    split = max(1, min(8, int(np.ceil(np.log2(size / _PART)))))
    sub = _Buckets(path.parent, path.stem + "-", 1 << split, bits)
    with open(path, "rb") as f:
        while (chunk := np.fromfile(f, _REC, count=_PART)).size:
            sub.add(chunk["key"], chunk["idx"])
    sub.close()
    path.unlink()
    for i in sorted(sub.files):
        yield from _sorted_parts(Path(sub.files[i].name), sub.bits, size)


class _Work:
    """The temporary folder of one run: the reading pass writes it, the grouping passes read it.

    shingles.bin: each sentence's 64-bit shingle hashes (sha1, whose low 32 bits are datasketch's
    input), offsets.bin: where each sentence's hashes start there (n + 1 entries), codes.bin: each
    sentence's 48-bit hash of its normalised text, and the bucket files of text keys (a 64-bit hash
    of the normalised text) and of band keys."""

    def __init__(self, folder: Path, cfg: DedupConfig, sketch: _Sketch):
        self.cfg, self.sketch, self.folder = cfg, sketch, folder
        self.texts = _Buckets(folder, "t", _TEXT_BUCKETS)
        self.bands = _Buckets(folder, "b", _BAND_BUCKETS)
        self.shingles = open(folder / "shingles.bin", "wb")
        self.offsets = open(folder / "offsets.bin", "wb")
        self.codes = open(folder / "codes.bin", "wb")
        self.offsets.write(np.zeros(1, _U64).tobytes())
        self.n = 0
        self.stored = 0  # shingle hashes written

    def read(self, data: Iterable[AnalysedArticle], key, order) -> None:
        """The one pass over the sentences; `key`/`order` (hashlib objects or None) take their ids and texts."""
        sha1, blake2b, width = hashlib.sha1, hashlib.blake2b, self.cfg.shingle_words
        digests: list[bytes] = []
        counts: list[int] = []
        texts: list[bytes] = []
        for a in data:
            for s in a.sentences:
                if key is not None:
                    key.update(f"{s.id}\0{s.text}\0".encode("utf-8"))
                if order is not None:
                    order.update(f"{s.id}\0".encode("utf-8"))
                norm = normalise(s.text)
                texts.append(blake2b(norm.encode("utf-8"), digest_size=8).digest())
                sh = shingles(norm, width)
                digests.append(b"".join([sha1(x.encode("utf-8")).digest() for x in sh]))
                counts.append(len(sh))
            if len(counts) >= _BATCH:
                self._write(digests, counts, texts)
                digests, counts, texts = [], [], []
        self._write(digests, counts, texts)
        for f in (self.shingles, self.offsets, self.codes):
            f.close()
        self.texts.close()
        self.bands.close()

    def _write(self, digests: list[bytes], counts: list[int], texts: list[bytes]) -> None:
        if not counts:
            return
        if self.n + len(counts) >= 2**32:
            raise ValueError("near-duplicates: more than 2^32 sentences")
        raw = np.frombuffer(b"".join(digests), np.uint8).reshape(-1, 20)
        h64 = np.ascontiguousarray(raw[:, :8]).view("<u8").ravel()
        h32 = np.ascontiguousarray(raw[:, :4]).view("<u4").ravel().astype(np.uint32)
        cnt = np.array(counts, dtype=np.int64)
        ends = np.cumsum(cnt)
        idx = np.arange(self.n, self.n + len(counts), dtype=np.uint32)
        self.shingles.write(h64.tobytes())
        self.offsets.write((ends + self.stored).astype(_U64).tobytes())
        text = np.frombuffer(b"".join(texts), "<u8")
        self.codes.write((text >> np.uint64(64 - _CODE_BITS)).astype(_U64).tobytes())
        self.texts.add(text, idx)
        keys = self.sketch.band_keys(self.sketch.signatures(h32, ends - cnt))
        self.bands.add(keys.ravel(), np.repeat(idx, self.sketch.b))
        self.n += len(counts)
        self.stored += int(ends[-1])

    # --- grouping ---

    def union_find(self) -> np.ndarray:
        """parent[i] = i's representative (the smallest index of its group) after every union."""
        uf = _UnionFind(self.n, self.folder, self.cfg.threshold)
        try:
            for rec in self.texts.parts():  # same normalised text: one group, no verification
                starts, lens = _runs(rec["key"])
                members, first = _run_members(starts, lens), np.repeat(starts, lens)
                later = members != first
                uf.union_pairs(rec["idx"][first[later]].astype(np.int64), rec["idx"][members[later]].astype(np.int64))
            for rec in self.bands.parts():  # same band: verified by the exact Jaccard similarity
                uf.verify_runs(rec)
        finally:
            uf.close()
        return uf.parent

    def write_codes(self, parent: np.ndarray, out: BinaryIO) -> int:
        """Each sentence's group code (the smallest text code among its group) into `out` as a .npy
        file, in order; returns where the codes start."""
        n = self.n
        for s in range(0, n, _CHUNK):  # representatives all the way up, in place
            p = parent[s : s + _CHUNK]
            while True:
                q = parent[p]
                if np.array_equal(q, p):
                    break
                p[...] = q
        shared = []  # representatives of groups of more than one sentence
        for s in range(0, n, _CHUNK):
            p = parent[s : s + _CHUNK]
            shared.append(np.unique(p[p != np.arange(s, s + len(p))]))
        reps = np.unique(np.concatenate(shared)) if shared else np.zeros(0, parent.dtype)
        del shared
        least = np.full(len(reps), np.iinfo(np.uint64).max, dtype=np.uint64)
        with open(self.folder / "codes.bin", "rb") as f:
            for s in range(0, n, _CHUNK):
                p, codes = parent[s : s + _CHUNK], np.fromfile(f, _U64, count=_CHUNK)
                pos, inside = _lookup(reps, p)
                np.minimum.at(least, pos[inside], codes[inside])
        _npy_header(out, n)
        start = out.tell()
        with open(self.folder / "codes.bin", "rb") as f:
            for s in range(0, n, _CHUNK):
                p, codes = parent[s : s + _CHUNK], np.fromfile(f, _U64, count=_CHUNK)
                pos, inside = _lookup(reps, p)
                codes[inside] = least[pos[inside]]
                out.write(codes.astype(_U64).tobytes())
        return start


def _runs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and lengths of the runs of two or more equal keys in sorted `keys`."""
    if len(keys) < 2:
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    lens = np.diff(np.append(starts, len(keys)))
    many = lens > 1
    return starts[many], lens[many]


def _run_members(starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The record positions covered by the runs."""
    return np.repeat(starts - np.cumsum(np.append(0, lens[:-1])), lens) + np.arange(int(lens.sum()))


def _lookup(sorted_values: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pos = np.searchsorted(sorted_values, x)
    pos = np.minimum(pos, max(len(sorted_values) - 1, 0))
    inside = sorted_values[pos] == x if len(sorted_values) else np.zeros(len(x), bool)
    return pos, inside


class _UnionFind:
    """Union-find over the global sentence index in one numpy array (root: a group's smallest index),
    with each sentence's shingle hashes read back from the work folder when a pair needs verifying."""

    def __init__(self, n: int, folder: Path, threshold: float):
        self.parent = np.arange(n, dtype=np.int32 if n < 2**31 else np.int64)
        self.threshold = threshold
        self.offsets = os.open(folder / "offsets.bin", os.O_RDONLY)
        self.shingles = os.open(folder / "shingles.bin", os.O_RDONLY)
        self.codes = os.open(folder / "codes.bin", os.O_RDONLY)
        self.compared = 0  # Jaccard similarities computed

    def close(self) -> None:
        os.close(self.offsets)
        os.close(self.shingles)
        os.close(self.codes)

    def roots(self, x: np.ndarray) -> np.ndarray:
        p = self.parent
        r = p[x]
        while True:
            q = p[r]
            if np.array_equal(q, r):
                p[x] = r  # path compression for these
                return r
            r = q

    def find(self, i: int) -> int:
        p = self.parent
        while (q := int(p[i])) != i:
            g = int(p[q])
            p[i] = g  # path halving
            i = g
        return i

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            ra, rb = min(ra, rb), max(ra, rb)
            self.parent[rb] = ra
        return ra

    def union_pairs(self, a: np.ndarray, b: np.ndarray) -> None:
        """Every pair (a[i], b[i]) joined, vectorised: each round links the larger of two roots to the smaller."""
        while len(a):
            ra, rb = self.roots(a), self.roots(b)
            apart = ra != rb
            a, b, ra, rb = a[apart], b[apart], ra[apart], rb[apart]
            self.parent[np.maximum(ra, rb)] = np.minimum(ra, rb)  # where a root has several, one wins; the rest loop

    def shingle_array(self, i: int) -> np.ndarray:
        lo, hi = struct.unpack("<QQ", os.pread(self.offsets, 16, 8 * i))
        return np.frombuffer(os.pread(self.shingles, 8 * (hi - lo), 8 * lo), "<u8")

    def shingle_set(self, i: int) -> frozenset[int]:
        return frozenset(self.shingle_array(i).tolist())

    def verify_runs(self, rec: np.ndarray) -> None:
        """Runs of one band key (sorted `rec`): whatever is not yet one group is compared."""
        starts, lens = _runs(rec["key"])
        if not len(starts):
            return
        members = rec["idx"][_run_members(starts, lens)].astype(np.int64)
        roots = self.roots(members)
        local = np.append(0, np.cumsum(lens)[:-1])
        apart = np.minimum.reduceat(roots, local) != np.maximum.reduceat(roots, local)
        for lo, ln in zip(local[apart].tolist(), lens[apart].tolist()):
            self.verify_run(members[lo : lo + ln])

    def verify_run(self, run: np.ndarray) -> None:
        """The sentences of `run` (they share a band) joined where their exact Jaccard similarity reaches
        the threshold. Copies of one text count once; only sentences of two groups not yet joined are
        compared, and two groups only until their first similar pair, so the groups are those of
        comparing every pair: an edge between two sentences already in one group changes nothing."""
        texts: dict[int, dict[int, int]] = {}  # group -> {text code: its first sentence here}
        for i in run.tolist():
            texts.setdefault(self.find(i), {}).setdefault(self.text_code(i), i)
        if len(texts) < 2:
            return
        if sum(map(len, texts.values())) > _SMALL_RUN:
            roots = np.array([r for r, t in sorted(texts.items()) for _ in t], dtype=np.int64)
            return self.verify_by_prefix(roots, np.array([i for _, t in sorted(texts.items()) for i in t.values()], dtype=np.int64))
        groups: list[tuple[int, list[frozenset[int]]]] = []  # this run's groups so far, none joined to another
        for root, first in sorted(texts.items()):
            own = list({self.shingle_set(i) for i in first.values()})  # same shingles, same similarities: once
            sets, rest = list(own), []
            for other, other_sets in groups:
                if self.similar(own, other_sets):
                    root = self.union(root, other)
                    sets += other_sets
                else:
                    rest.append((other, other_sets))
            groups = [*rest, (root, sets)]

    def verify_by_prefix(self, roots: np.ndarray, run: np.ndarray) -> None:
        """A long run (many sentences sharing a band through a frequent word pair, mostly unlike each
        other) by prefix filtering (AllPairs, Bayardo et al. 2007): two sets whose Jaccard similarity
        reaches t share at least ceil(t |x|) of x's elements, so in any one order of the elements
        they share one among the first |x| - ceil(t |x|) + 1 of each. With the run's frequent
        elements last (counted in a small table of hashes: any fixed order is exact, this one is
        fast), only sets of two groups sharing a prefix element are compared. Memory: the prefixes,
        a dozen bytes an element, the sets themselves read from the work folder again as needed."""
        t, m = self.threshold, len(run)
        table = np.zeros(1 << 16, np.int64)
        for block in range(0, m, _RUN_BLOCK):
            h, _ = self.read_sets(run[block : block + _RUN_BLOCK])
            table += np.bincount((h & np.uint64(0xFFFF)).astype(np.intp), minlength=len(table))
        elements, owners, sizes = [], [], []
        for block in range(0, m, _RUN_BLOCK):
            h, size = self.read_sets(run[block : block + _RUN_BLOCK])
            owner = np.repeat(np.arange(block, block + len(size), dtype=np.int32), size)
            order = np.lexsort((h, table[(h & np.uint64(0xFFFF)).astype(np.intp)], owner))
            rank = np.arange(len(h)) - np.repeat(np.cumsum(size) - size, size)
            keep = rank < np.repeat(size - np.ceil(t * size - 1e-9).astype(np.int64) + 1, size)
            elements.append(h[order][keep])
            owners.append(owner[order][keep])
            sizes.append(size)
        element, owner, size = np.concatenate(elements), np.concatenate(owners), np.concatenate(sizes)
        del elements, owners, sizes
        group = roots[owner]
        order = np.lexsort((owner, group, element))  # by element, then group
        element, owner, group = element[order], owner[order], group[order]
        del order
        n = len(element)
        new_element = np.concatenate(([True], element[1:] != element[:-1]))
        new_group = new_element | np.concatenate(([True], group[1:] != group[:-1]))
        del element, group
        element_end = np.append(np.flatnonzero(new_element)[1:], n)[np.cumsum(new_element) - 1]
        group_end = np.append(np.flatnonzero(new_group)[1:], n)[np.cumsum(new_group) - 1]
        del new_element, new_group
        partners = element_end - group_end  # the entries of later groups with the same element
        del element_end
        done = np.cumsum(partners)
        cache: dict[int, frozenset[int]] = {}
        a = 0
        while a < n:  # candidate pairs made at most _PAIRS at a time (or one entry's, if more)
            b = max(a + 1, int(np.searchsorted(done, (done[a - 1] if a else 0) + _PAIRS, side="right")))
            reps = partners[a:b]
            x = np.repeat(np.arange(a, b), reps)
            y = np.repeat(group_end[a:b], reps) + (np.arange(len(x)) - np.repeat(np.cumsum(reps) - reps, reps))
            i, j = owner[x].astype(np.int64), owner[y].astype(np.int64)
            pair = np.unique(np.minimum(i, j) * m + np.maximum(i, j))
            i, j = pair // m, pair % m
            small, large = np.minimum(size[i], size[j]), np.maximum(size[i], size[j])
            fits = small / large >= t  # jaccard <= min/max
            for i, j in zip(i[fits].tolist(), j[fits].tolist()):
                ri, rj = int(roots[i]), int(roots[j])
                if self.find(ri) == self.find(rj):
                    continue
                if len(cache) > _RUN_BLOCK:
                    cache.clear()
                x_set = cache.get(i) or cache.setdefault(i, self.shingle_set(int(run[i])))
                y_set = cache.get(j) or cache.setdefault(j, self.shingle_set(int(run[j])))
                if self.similar((x_set,), (y_set,)):
                    self.union(ri, rj)
            a = b

    def read_sets(self, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The shingle hashes of these sentences, one after another, and how many each has."""
        parts = [self.shingle_array(i) for i in members.tolist()]
        return (np.concatenate(parts) if parts else np.zeros(0, np.uint64)), np.array([len(x) for x in parts], dtype=np.int64)

    def text_code(self, i: int) -> int:
        return struct.unpack("<Q", os.pread(self.codes, 8, 8 * i))[0]

    def similar(self, xs, ys) -> bool:
        t = self.threshold
        for x in xs:
            nx = len(x)
            for y in ys:
                ny = len(y)
                if min(nx, ny) / max(nx, ny) < t:  # jaccard(x, y) <= min/max: below the threshold
                    continue
                self.compared += 1
                inter = len(x & y)
                if inter / (nx + ny - inter) >= t:  # jaccard(x, y), as the sets' sizes are known
                    return True
        return False


# --- the result ------------------------------------------------------------------------------


def _npy_header(f: BinaryIO, n: int) -> None:
    np.lib.format.write_array_header_1_0(f, {"descr": "<u8", "fortran_order": False, "shape": (n,)})


class DuplicateGroups:
    """The `duplicate_group` of every sentence, in the order NearDuplicates read them (the global
    sentence index): a .npy file of 48-bit group codes, read a chunk at a time.

    `groups[i]` is sentence i's group id, iterating gives them all in order (what MarkDuplicates
    does), `codes()` the whole array (for tests and small corpora)."""

    def __init__(self, file: BinaryIO, n: int, start: int, order: str):
        self._file, self._n, self._start = file, n, start
        self.order = order  # sha256 of the sentence ids in order: MarkDuplicates checks its stream against it

    @classmethod
    def load(cls, path: Path, n: int, order: str) -> DuplicateGroups | None:
        """The groups of a .npy file of `n` codes, or None if it is missing or damaged."""
        try:
            f = open(path, "rb")
        except OSError:
            return None
        try:
            version = np.lib.format.read_magic(f)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read_header(f)
            start = f.tell()
            ok = (shape == (n,) and not fortran and dtype == _U64
                  and os.fstat(f.fileno()).st_size == start + 8 * n)
            groups = cls(f, n, start, order)
            if ok and all(not len(c) or int(c.max()) < 1 << _CODE_BITS for c in groups.chunks()):
                return groups
        except (OSError, ValueError, SyntaxError):
            pass
        f.close()
        return None

    def __len__(self) -> int:
        return self._n

    def close(self) -> None:
        """The file goes when the groups are no longer read (the build closes it after marking)."""
        self._file.close()

    def __enter__(self) -> DuplicateGroups:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __getitem__(self, i: int) -> str:
        if not -self._n <= i < self._n:
            raise IndexError(i)
        i %= self._n
        return group_name(struct.unpack("<Q", os.pread(self._file.fileno(), 8, self._start + 8 * i))[0])

    def chunks(self, size: int = _CHUNK) -> Iterator[np.ndarray]:
        fd = self._file.fileno()
        for s in range(0, self._n, size):
            m = min(size, self._n - s)
            yield np.frombuffer(os.pread(fd, 8 * m, self._start + 8 * s), "<u8")

    def __iter__(self) -> Iterator[str]:
        for chunk in self.chunks():
            yield from map(group_name, chunk.tolist())

    def codes(self) -> np.ndarray:
        return np.concatenate([np.zeros(0, np.uint64), *self.chunks()]).astype(np.uint64)

    def close(self) -> None:
        self._file.close()


class NearDuplicates(Step):
    """The duplicate group of every sentence of the corpus (a corpus-wide pass), as DuplicateGroups.

    `work_dir` holds the temporary files (the system's temporary folder otherwise) while it runs:
    about 600 bytes per sentence of 18 words (band keys, mostly), removed after. With `cache_dir` (the analysis cache's
    namespace folder, so keyed by rules, model and code already) the groups of the same sentences
    are read back instead of recomputed; given a sequence (a list already in memory), its ids and
    texts are hashed first, so an unchanged rebuild skips the MinHash pass (most of the step's time)."""

    def __init__(self, cfg: DedupConfig, cache_dir: Path | None = None, work_dir: Path | None = None):
        self.cfg = cfg
        self.cache_dir = cache_dir
        self.work_dir = work_dir

    def run(self, data: Iterable[AnalysedArticle], rank: int = 0, world_size: int = 1) -> DuplicateGroups:
        key, order = hashlib.sha256(repr(self.cfg).encode()), hashlib.sha256()  # cache key; ids in order
        hashed = self.cache_dir is not None and isinstance(data, Sequence)
        if hashed:  # already in memory: hash it first, so that a cache hit skips the reading pass
            n = 0
            for a in data:
                for s in a.sentences:
                    key.update(f"{s.id}\0{s.text}\0".encode("utf-8"))
                    order.update(f"{s.id}\0".encode("utf-8"))
                    n += 1
            if (hit := self._cached(key, n, order)) is not None:
                return hit
        with tempfile.TemporaryDirectory(prefix="stance-dedup-", dir=self.work_dir) as folder:
            work = _Work(Path(folder), self.cfg, _Sketch(self.cfg))
            work.read(data, None if hashed or self.cache_dir is None else key, None if hashed else order)
            if not hashed and (hit := self._cached(key, work.n, order)) is not None:
                return hit
            parent = work.union_find()
            if self.cache_dir is None:
                out = tempfile.TemporaryFile(dir=self.work_dir)  # removed when the groups are
                start = work.write_codes(parent, out)
                out.flush()
                return DuplicateGroups(out, work.n, start, order.hexdigest())
            path = self._path(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as out:
                work.write_codes(parent, out)
            os.replace(tmp, path)  # a killed build never leaves a half-written entry
        groups = DuplicateGroups.load(path, work.n, order.hexdigest())
        if groups is None:
            raise OSError(f"near-duplicates: could not read back {path}")
        return groups

    def _path(self, key) -> Path:
        """The cache file of these sentences (ids and texts, in order) under these settings."""
        return self.cache_dir / "near_duplicates" / f"{key.hexdigest()}.npy"

    def _cached(self, key, n: int, order) -> DuplicateGroups | None:
        return None if self.cache_dir is None else DuplicateGroups.load(self._path(key), n, order.hexdigest())


class MarkDuplicates(Step):
    """The articles again, each sentence carrying its `duplicate_group` from NearDuplicates: `data` is
    the stream NearDuplicates read, in the same order (checked by the sentence ids at its end)."""

    def __init__(self, groups: DuplicateGroups):
        self.groups = groups

    def run(self, data: Iterable[AnalysedArticle], rank: int = 0, world_size: int = 1) -> Iterator[AnalysedArticle]:
        names = iter(self.groups)
        order = hashlib.sha256()
        for a in data:
            sentences = [replace(s, duplicate_group=g) for s, g in zip(a.sentences, names)]
            if len(sentences) < len(a.sentences):
                raise ValueError("MarkDuplicates: more sentences than NearDuplicates read")
            for s in a.sentences:
                order.update(f"{s.id}\0".encode("utf-8"))
            yield replace(a, sentences=sentences)
        if next(names, None) is not None or order.hexdigest() != self.groups.order:
            raise ValueError("MarkDuplicates: not the sentences NearDuplicates read, in its order")
