"""A small writer of OLE compound files (CFB version 3, 512-byte sectors), for test samples.

Streams under 4096 bytes go to the mini stream as the format requires, so that readers which
honour the cutoff (python-calamine, olefile) read the samples as they would a real file.
Only streams directly under the root; at most 109 FAT sectors (about 7 MB), enough for samples.
"""
from __future__ import annotations

import struct

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _key(name: str) -> tuple[int, str]:
    # the order the format keeps sibling names in: shorter first, then by upper case
    return len(name), name.upper()


def _tree(indexes: list[int]) -> tuple[int, dict[int, tuple[int, int]]]:
    """A balanced binary tree over already-sorted entry indexes: (root, {index: (left, right)})."""
    links: dict[int, tuple[int, int]] = {}

    def build(lo: int, hi: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        links[indexes[mid]] = (build(lo, mid), build(mid + 1, hi))
        return indexes[mid]

    return build(0, len(indexes)), links


def _entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
    raw = name.encode("utf-16-le")
    return (raw.ljust(64, b"\0") + struct.pack("<HBB3I", len(raw) + 2 if name else 0, kind, 1, left, right, child)
            + bytes(36) + struct.pack("<IQ", start, size))


def cfb(streams: dict[str, bytes]) -> bytes:
    names = sorted(streams, key=_key)
    small = [n for n in names if len(streams[n]) < CUTOFF]
    big = [n for n in names if len(streams[n]) >= CUTOFF]

    mini_stream, minifat, mini_start = b"", [], {}
    for n in small:
        data = streams[n]
        count = -(-len(data) // MINI)
        mini_start[n] = len(minifat) if count else END
        minifat += [len(minifat) + i + 1 for i in range(count - 1)] + ([END] if count else [])
        mini_stream += data.ljust(count * MINI, b"\0")

    def sectors(length: int) -> int:
        return -(-length // SECTOR)

    n_dir = sectors((len(names) + 1) * 128)
    n_minifat = sectors(len(minifat) * 4)
    n_mini = sectors(len(mini_stream))
    n_big = [sectors(len(streams[n])) for n in big]
    rest = n_dir + n_minifat + n_mini + sum(n_big)
    n_fat = 1
    while n_fat * (SECTOR // 4) < rest + n_fat:
        n_fat += 1
    assert n_fat <= 109, "sample too large for this writer"

    fat: list[int] = [FATSECT] * n_fat
    starts = {}

    def chain(count: int) -> int:
        if not count:
            return END
        first = len(fat)
        fat.extend(first + i + 1 for i in range(count - 1))
        fat.append(END)
        return first

    dir_start = chain(n_dir)
    minifat_start = chain(n_minifat)
    mini_start_sector = chain(n_mini)
    for n, count in zip(big, n_big):
        starts[n] = chain(count)
    fat.extend([FREE] * (n_fat * (SECTOR // 4) - len(fat)))

    root_child, links = _tree(list(range(1, len(names) + 1)))
    entries = [_entry("Root Entry", 5, NOSTREAM, NOSTREAM, root_child, mini_start_sector, len(mini_stream))]
    for i, n in enumerate(names, 1):
        left, right = links[i]
        start = mini_start[n] if n in mini_start else starts[n]
        entries.append(_entry(n, 2, left, right, NOSTREAM, start, len(streams[n])))
    directory = b"".join(entries)
    directory += _entry("", 0, NOSTREAM, NOSTREAM, NOSTREAM, 0, 0) * ((n_dir * SECTOR - len(directory)) // 128)

    difat = list(range(n_fat)) + [FREE] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH6sII", 0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, n_fat)
              + struct.pack("<IIIIIII", dir_start, 0, CUTOFF, minifat_start if n_minifat else END, n_minifat, END, 0)
              + struct.pack("<109I", *difat))
    assert len(header) == SECTOR

    def pad(data: bytes) -> bytes:
        return data.ljust(sectors(len(data)) * SECTOR, b"\0")

    body = (struct.pack(f"<{len(fat)}I", *fat) + pad(directory)
            + pad(struct.pack(f"<{len(minifat)}I", *minifat) if minifat else b"")
            + pad(mini_stream) + b"".join(pad(streams[n]) for n in big))
    return header + body
