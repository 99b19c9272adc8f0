"""Bounded looks inside the two containers returns come in: zip packages and OLE compound files.

Nothing here trusts a length, an offset or a chain read from the file: every loop has a cap,
every chain is walked with a visited set, and what is inflated stops at a fixed number of bytes.
A structure that cannot be followed raises `Truncated` (it points past the end of the file) or
`Malformed` (anything else); nothing else is raised on any input.
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

ZIP_MAX_ENTRIES = 20_000  # names listed; far more than any workbook package holds
ZIP_MAX_READ = 256 * 1024  # bytes of a member inflated to look at it
ZIP_MAX_COMPRESSED = 4 * 2**20  # compressed bytes handed to zlib for one look

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_MAX_DIFAT_SECTORS = 256  # enough FAT for a 4 GB file with 4 KB sectors
OLE_MAX_DIR_SECTORS = 256
OLE_MAX_ENTRIES = 4096
FREE, END = 0xFFFFFFFF, 0xFFFFFFFE


class Malformed(Exception):
    """A container's structure cannot be followed."""


class Truncated(Malformed):
    """A container's structure points past the end of the file: it was cut short."""


def _u16(data, at: int) -> int:
    if at < 0 or at + 2 > len(data):
        raise Truncated(at)
    return struct.unpack_from("<H", data, at)[0]


def _u32(data, at: int) -> int:
    if at < 0 or at + 4 > len(data):
        raise Truncated(at)
    return struct.unpack_from("<I", data, at)[0]


def _u64(data, at: int) -> int:
    if at < 0 or at + 8 > len(data):
        raise Truncated(at)
    return struct.unpack_from("<Q", data, at)[0]


# --- zip ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZipEntry:
    name: str
    flags: int
    method: int
    compressed: int
    size: int
    local: int  # offset of the local header, already corrected for bytes prepended to the zip

    @property
    def encrypted(self) -> bool:
        return bool(self.flags & 1)


def zip_entries(data) -> list[ZipEntry]:
    """The central directory of a zip, at most ZIP_MAX_ENTRIES entries.

    Raises Truncated when there is no end-of-central-directory record (the tail was lost) and
    Malformed when the directory it points to is not there."""
    n = len(data)
    window = max(0, n - 22 - 65_535)
    eocd = bytes(data[window:]).rfind(b"PK\x05\x06")
    if eocd < 0 or window + eocd + 22 > n:
        raise Truncated("no end of central directory")
    eocd += window
    count, cd_size, cd_offset = _u16(data, eocd + 10), _u32(data, eocd + 12), _u32(data, eocd + 16)
    if (count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF) and eocd >= 20 \
            and bytes(data[eocd - 20:eocd - 16]) == b"PK\x06\x07":
        z64 = _u64(data, eocd - 12)
        if bytes(data[z64:z64 + 4]) != b"PK\x06\x06":
            raise Malformed("zip64 end record missing")
        count, cd_size, cd_offset = _u64(data, z64 + 32), _u64(data, z64 + 40), _u64(data, z64 + 48)
        eocd = z64
    # Bytes prepended to a zip (a self-extractor, a mail gateway's banner) shift every offset.
    shift = eocd - cd_size - cd_offset
    start = cd_offset + shift if shift >= 0 else cd_offset
    if shift < 0:
        shift = 0
    out: list[ZipEntry] = []
    at = start
    for _ in range(min(count, ZIP_MAX_ENTRIES)):
        if bytes(data[at:at + 4]) != b"PK\x01\x02":
            if not out:
                raise (Truncated if at >= n else Malformed)("central directory not found")
            break
        flags, method = _u16(data, at + 8), _u16(data, at + 10)
        compressed, size = _u32(data, at + 20), _u32(data, at + 24)
        name_len, extra_len, comment_len = _u16(data, at + 28), _u16(data, at + 30), _u16(data, at + 32)
        local = _u32(data, at + 42)
        raw = bytes(data[at + 46:at + 46 + name_len])
        name = raw.decode("utf-8" if flags & 0x800 else "cp437", "replace")
        out.append(ZipEntry(name, flags, method, compressed, size, local + shift))
        at += 46 + name_len + extra_len + comment_len
    return out


def zip_read(data, entry: ZipEntry, limit: int = ZIP_MAX_READ) -> bytes | None:
    """The first `limit` bytes of a member, or None when they cannot be had (encrypted, an
    unknown method, a damaged stream)."""
    if entry.encrypted or entry.method not in (0, 8):
        return None
    at = entry.local
    if bytes(data[at:at + 4]) != b"PK\x03\x04":
        return None
    try:
        begin = at + 30 + _u16(data, at + 26) + _u16(data, at + 28)
    except Truncated:
        return None
    raw = bytes(data[begin:begin + min(entry.compressed or ZIP_MAX_COMPRESSED, ZIP_MAX_COMPRESSED)])
    if entry.method == 0:
        return raw[:limit]
    try:
        return zlib.decompressobj(-15).decompress(raw, limit)
    except zlib.error:
        return None


def zip_truncated_names(data, limit: int = 50) -> list[str]:
    """Names of the members whose local headers survive at the start of a zip cut short."""
    names, at = [], 0
    for _ in range(limit):
        if bytes(data[at:at + 4]) != b"PK\x03\x04" or at + 30 > len(data):
            break
        flags, compressed = _u16(data, at + 6), _u32(data, at + 18)
        name_len, extra_len = _u16(data, at + 26), _u16(data, at + 28)
        names.append(bytes(data[at + 30:at + 30 + name_len]).decode("utf-8" if flags & 0x800 else "cp437", "replace"))
        if flags & 0x08 and compressed == 0:
            break  # the size follows the data: the next header cannot be found without inflating
        at += 30 + name_len + extra_len + compressed
    return names


# --- OLE compound file (CFB) -------------------------------------------------------------------


@dataclass(frozen=True)
class OleEntry:
    name: str
    type: int  # 1 storage, 2 stream, 5 root
    left: int
    right: int
    child: int
    start: int
    size: int


class Ole:
    """The directory of a compound file and the first bytes of its streams."""

    def __init__(self, data):
        if bytes(data[:8]) != OLE_MAGIC:
            raise Malformed("not a compound file")
        if len(data) < 512:
            raise Truncated("header cut short")
        self.data = data
        self.major = _u16(data, 26)
        shift, mini_shift = _u16(data, 30), _u16(data, 32)
        if shift not in (9, 12) or mini_shift != 6:
            raise Malformed(f"sector shift {shift}/{mini_shift}")
        self.ssize = 1 << shift
        self.cutoff = _u32(data, 56)
        self.first_dir, self.first_minifat = _u32(data, 48), _u32(data, 60)
        self.fat_sectors = self._fat_sectors(_u32(data, 44), _u32(data, 68), _u32(data, 72))
        self.entries = self._directory()
        self._mini: tuple[list[int], list[int]] | None = None

    def _sector(self, sid: int) -> bytes:
        at = (sid + 1) * self.ssize
        if at + self.ssize > len(self.data):
            raise Truncated(f"sector {sid} lies past the end")
        return bytes(self.data[at:at + self.ssize])

    def _fat_sectors(self, count: int, difat: int, difat_count: int) -> list[int]:
        per = self.ssize // 4
        count = min(count, 109 + OLE_MAX_DIFAT_SECTORS * (per - 1))
        sids = [s for s in struct.unpack_from("<109I", self.data, 76) if s < END][:count]
        seen: set[int] = set()
        for _ in range(min(difat_count, OLE_MAX_DIFAT_SECTORS)):
            if difat >= END or difat in seen or len(sids) >= count:
                break
            seen.add(difat)
            values = struct.unpack(f"<{per}I", self._sector(difat))
            sids.extend(s for s in values[:-1] if s < END)
            difat = values[-1]
        return sids[:count]

    def _next(self, sid: int) -> int:
        per = self.ssize // 4
        index = sid // per
        if index >= len(self.fat_sectors):
            raise Malformed(f"sector {sid} beyond the FAT")
        return struct.unpack_from("<I", self._sector(self.fat_sectors[index]), (sid % per) * 4)[0]

    def chain(self, start: int, most: int | None = None) -> list[int]:
        """Up to `most` sectors of the chain from `start` (never more than the file holds);
        a loop or a link out of the FAT is Malformed."""
        most = min(most if most is not None else len(self.data), len(self.data) // self.ssize + 1)
        out, seen, sid = [], set(), start
        while sid < 0xFFFFFFFA and len(out) < most:
            if sid in seen:
                raise Malformed("sector chain loops")
            seen.add(sid)
            out.append(sid)
            sid = self._next(sid)
        return out

    def _directory(self) -> list[OleEntry]:
        entries: list[OleEntry] = []
        for sid in self.chain(self.first_dir, OLE_MAX_DIR_SECTORS):
            sector = self._sector(sid)
            for at in range(0, self.ssize, 128):
                if len(entries) >= OLE_MAX_ENTRIES:
                    return entries
                raw = sector[at:at + 128]
                name_len = min(struct.unpack_from("<H", raw, 64)[0], 64)
                name = raw[:max(name_len - 2, 0)].decode("utf-16-le", "replace")
                left, right, child = struct.unpack_from("<3I", raw, 68)
                start, size = struct.unpack_from("<IQ", raw, 116)
                if self.major == 3:
                    size &= 0xFFFFFFFF  # version 3 leaves the high half undefined
                entries.append(OleEntry(name, raw[66], left, right, child, start, size))
        if not entries or entries[0].type != 5:
            raise Malformed("no root entry")
        return entries

    def top_names(self) -> set[str]:
        """Names of the streams and storages directly under the root (the red-black tree of
        the root's children), walked without trusting its links."""
        names, stack, seen = set(), [self.entries[0].child], set()
        while stack:
            i = stack.pop()
            if i >= len(self.entries) or i in seen:
                continue
            seen.add(i)
            e = self.entries[i]
            if e.type in (1, 2):
                names.add(e.name)
            stack.extend((e.left, e.right))
        return names

    def find(self, name: str) -> OleEntry | None:
        """A stream by name, exact spelling first, then in any case."""
        streams = [e for e in self.entries[1:] if e.type == 2]
        return next((e for e in streams if e.name == name), None) \
            or next((e for e in streams if e.name.upper() == name.upper()), None)

    def read(self, entry: OleEntry, limit: int) -> bytes:
        """The first `limit` bytes of a stream (fewer if the stream is shorter)."""
        want = min(entry.size, limit)
        if want <= 0:
            return b""
        if entry.size < self.cutoff:
            return self._read_mini(entry.start, want)
        sids = self.chain(entry.start, -(-want // self.ssize))
        return b"".join(self._sector(s) for s in sids)[:want]

    def _read_mini(self, start: int, want: int) -> bytes:
        # The mini FAT and the mini stream (the root's chain) are small in any real file; both
        # chains are walked once, never past the number of sectors the file can hold.
        if self._mini is None:
            self._mini = (self.chain(self.first_minifat), self.chain(self.entries[0].start))
        minifat, root = self._mini
        per = self.ssize // 4
        out, seen, msid = [], set(), start
        while msid < 0xFFFFFFFA and len(out) * 64 < want:
            if msid in seen:
                raise Malformed("mini chain loops")
            seen.add(msid)
            at = msid * 64
            if at // self.ssize >= len(root) or msid // per >= len(minifat):
                raise Malformed("mini sector beyond the mini stream")
            out.append(self._sector(root[at // self.ssize])[at % self.ssize:at % self.ssize + 64])
            msid = struct.unpack_from("<I", self._sector(minifat[msid // per]), (msid % per) * 4)[0]
        return b"".join(out)[:want]
