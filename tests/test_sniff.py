"""sniff names every kind of file a focal point may send, from its bytes, in bounded time, and
never raises; every kind has its words in English and Spanish."""
from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import re
import struct
import sys
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

KINDS = Path(__file__).resolve().parent / "kinds"
sys.path.insert(0, str(KINDS))
# tests/kinds/build.py under a name of its own: tests/corpus has a build.py too
_spec = importlib.util.spec_from_file_location("kinds_build", KINDS / "build.py")
kinds_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kinds_build)
ooxml, real_encrypted_xlsx, samples = kinds_build.ooxml, kinds_build.real_encrypted_xlsx, kinds_build.samples

from kinds_cfb import cfb  # noqa: E402

from rcm_workbooks.core.kinds import FILE_ADVICE, FILE_KIND, describe  # noqa: E402
from rcm_workbooks.intake.peek import Malformed  # noqa: E402
from rcm_workbooks.intake.sniff import Kind, Sniffed, _sniff, sniff  # noqa: E402
from rcm_workbooks.intake.strict import TooLarge, to_transitional  # noqa: E402

SAMPLES = samples()
EXAMPLES = int(os.environ.get("RCM_SNIFF_EXAMPLES", "300"))
PYTHON_ERROR = re.compile(r"Traceback|Exception|\b[A-Z][a-zA-Z]*Error\b|errno|\bNone\b")


@pytest.mark.parametrize("name,data,kind", SAMPLES, ids=[s[0] for s in SAMPLES])
def test_each_sample_is_named_right(name, data, kind):
    found = sniff(data, name)
    assert found.kind is kind, found.detail


def test_the_corpus_has_a_sample_of_every_kind():
    assert {kind for _, _, kind in SAMPLES} == set(Kind)


def test_the_name_only_breaks_ties():
    xlsx = ooxml()
    assert sniff(xlsx, "report.pdf").kind is Kind.XLSX
    assert sniff(b"<html><body><table></table></body></html>", "web.xls").kind is Kind.HTML_XLS
    assert sniff(b"<html><body><table></table></body></html>", "web.htm").kind is Kind.HTML
    assert sniff(b"activity\r\nTraining\r\n", "a.csv").kind is Kind.CSV
    assert sniff(b"activity\r\nTraining\r\n", "a.txt").kind is Kind.TEXT


def test_a_memoryview_or_a_mapped_file_sniffs_as_bytes_do(tmp_path):
    import mmap

    for name, data, kind in SAMPLES:
        if not data:
            continue
        path = tmp_path / "x"
        path.write_bytes(data)
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            assert sniff(mapped, name).kind is kind is sniff(memoryview(data), name).kind, name


def test_a_genuinely_encrypted_workbook_is_agile():
    data = real_encrypted_xlsx()
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    assert sniff(data, "secret.xlsx") == Sniffed(Kind.OOXML_AGILE, "EncryptionInfo 4.4 (agile)")


def test_kind_fields():
    assert Kind.XLS.readable and Kind.XLS.excel_version == "Excel 97-2003" and Kind.XLS.biff == "BIFF8"
    assert Kind.XLS_BIFF4.excel_version == "Excel 4.0" and not Kind.XLS_BIFF4.readable
    assert Kind.XLS_XOR.encrypted and Kind.XLS_XOR.finding == "file-encrypted"
    assert Kind.XLSB.finding == "file-other-format" and Kind.CSV.finding == "file-not-spreadsheet"
    assert Kind.PDF.finding == "file-not-spreadsheet" and Kind.TRUNCATED.finding == "file-damaged"
    assert {k for k in Kind if k.readable} == {Kind.XLSX, Kind.XLSM, Kind.ODS, Kind.XLS, Kind.XLS_BIFF5, Kind.XLSX_STRICT}
    assert {k for k in Kind if k.encrypted} == {Kind.OOXML_AGILE, Kind.OOXML_STANDARD, Kind.OOXML_PROTECTED, Kind.XLS_RC4,
                                                Kind.XLS_CRYPTOAPI, Kind.XLS_XOR, Kind.ODS_ENCRYPTED, Kind.ZIP_ENCRYPTED}


# --- the words ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(Kind), ids=[k.value for k in Kind])
def test_every_kind_has_its_words_in_both_languages(kind):
    (what_en, send_en), (what_es, send_es) = describe(kind, "en"), describe(kind, "es")
    assert what_en and what_es and what_en != what_es
    assert what_en[0].islower() and what_es[0].islower()  # they read inside a sentence
    # every kind has its advice, the readable ones too (an .ods that is not the template: save it as .xlsx)
    assert send_en.endswith(".") and send_es.endswith(".") and send_en != send_es
    for text in (what_en, send_en, what_es, send_es):
        assert not PYTHON_ERROR.search(text), text
    if kind.excel_version and kind.biff:
        version = kind.excel_version.replace("Excel ", "")
        assert version.split("-")[0] in what_en and version.split("-")[0] in what_es


def test_words_for_the_kinds_the_issue_names():
    assert describe(Kind.XLSB) [0] == "an Excel binary workbook (.xlsb)" and ".xlsx" in describe(Kind.XLSB)[1]
    for kind in (Kind.CSV, Kind.TSV, Kind.SYLK, Kind.DIF):
        assert "text export" in describe(kind)[0] and "exportación de texto" in describe(kind, "es")[0]
        assert "workbook itself" in describe(kind)[1] and "libro mismo" in describe(kind, "es")[1]
    for kind, year in ((Kind.XLS_BIFF2, "1987"), (Kind.XLS_BIFF3, "1990"), (Kind.XLS_BIFF4, "1992")):
        assert year in describe(kind)[0] and year in describe(kind, "es")[0]
    assert "Numbers" in describe(Kind.NUMBERS, "es")[1] and "Quattro Pro" in describe(Kind.QUATTRO)[0]
    assert set(FILE_KIND["en"]) == set(FILE_ADVICE["es"]) == {k.value for k in Kind}


# --- never raises, bounded ----------------------------------------------------------------------


def _checked(data: bytes, name: str = "x") -> None:
    """Only the two structural refusals may leave _sniff; sniff itself returns a Kind."""
    try:
        assert isinstance(_sniff(data, name), Sniffed)
    except Malformed:
        pass
    assert isinstance(sniff(data, name).kind, Kind)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_never_raise(data):
    _checked(data)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(SAMPLES), st.data())
def test_damaged_samples_never_raise(sample, draw):
    name, data, _ = sample
    raw = bytearray(data)
    for _ in range(draw.draw(st.integers(0, 8))):
        at = draw.draw(st.integers(0, max(len(raw) - 1, 0)))
        if raw:
            raw[at] = draw.draw(st.integers(0, 255))
    cut = draw.draw(st.integers(0, len(raw)))
    _checked(bytes(raw[:cut]) if draw.draw(st.booleans()) else bytes(raw), name)


def _field_offsets(data: bytes) -> list[int]:
    """Where the lengths, offsets and links of a sample's container live."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        first_dir = 512 * (struct.unpack_from("<I", data, 48)[0] + 1)
        entries = [first_dir + e * 128 + f for e in range(4) for f in (64, 66, 68, 72, 76, 116, 120)]
        return [26, 30, 32, 44, 48, 56, 60, 64, 68, 72, 76, 80] + list(range(512, 640, 4)) + entries
    end = data.rfind(b"PK\x05\x06")
    if end < 0:
        return [0]
    cd = struct.unpack_from("<I", data, end + 16)[0]
    return [end + f for f in (8, 10, 12, 16, 20)] + [cd + f for f in (8, 10, 20, 24, 28, 30, 32, 42)] + [6, 8, 18, 22, 26, 28]


CONTAINERS = [s for s in SAMPLES if s[1][:2] == b"PK" and len(s[1]) > 100 or s[1][:4] == b"\xd0\xcf\x11\xe0" and len(s[1]) > 1000]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(CONTAINERS), st.data())
def test_lying_container_fields_never_raise(sample, draw):
    name, data, _ = sample
    raw = bytearray(data)
    offsets = [o for o in _field_offsets(data) if o + 4 <= len(raw)]
    for _ in range(draw.draw(st.integers(1, 4))):
        at = draw.draw(st.sampled_from(offsets))
        value = draw.draw(st.one_of(st.sampled_from([0, 1, 2, 0xFFFF, 0xFFFFFFFA, 0xFFFFFFFE, 0xFFFFFFFF, 2**31]),
                                    st.integers(0, 2**32 - 1)))
        struct.pack_into("<I", raw, at, value)
    _checked(bytes(raw), name)


def _bounded(data: bytes, seconds: float = 1.0, megabytes: float = 64) -> Sniffed:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        found = sniff(data, "hostile.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < seconds
    assert peak < megabytes * 2**20
    return found


def _raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip from already-deflated members: (name, deflated bytes, crc32, inflated size)."""
    body, directory = b"", b""
    for name, packed, crc, size in members:
        local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), size, len(name), 0)
        directory += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed), size,
                                 len(name), 0, 0, 0, 0, 0, len(body)) + name.encode()
        body += local + name.encode() + packed
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(body), 0)
    return body + directory + end


def _deflated(chunk: bytes, times: int) -> tuple[bytes, int, int]:
    packer, crc, out = zlib.compressobj(9, zlib.DEFLATED, -15), 0, []
    for _ in range(times):
        out.append(packer.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    out.append(packer.flush())
    return b"".join(out), crc, len(chunk) * times


def test_a_bomb_member_is_not_inflated():
    # 256 MB of workbook XML in about 250 KB: the sniffer inflates 16 KB of it
    packed, crc, size = _deflated(b"<workbook>" + b" " * (2**20 - 10), 256)
    types, types_crc, types_size = _deflated(b"<Types/>", 1)
    data = _raw_zip([("[Content_Types].xml", types, types_crc, types_size), ("xl/workbook.xml", packed, crc, size)])
    assert len(data) < 400_000 and zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/workbook.xml").file_size == 2**28
    assert _bounded(data, seconds=0.5, megabytes=8).kind is Kind.XLSX


def test_hostile_containers_are_bounded():
    # a zip claiming 65,535 entries in a directory that is not there
    assert _bounded(b"PK\x03\x04" + bytes(100) + b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 65535, 65535, 10**9, 26, 0)).kind \
        in (Kind.DAMAGED, Kind.TRUNCATED)
    # a compound file whose directory chain loops back on itself
    ole = bytearray(cfb({"Workbook": bytes(5000)}))
    fat_sector = 512
    dir_sid = struct.unpack_from("<I", ole, 48)[0]
    struct.pack_into("<I", ole, fat_sector + dir_sid * 4, dir_sid)
    assert _bounded(bytes(ole)).kind is Kind.DAMAGED
    # a compound file claiming a huge FAT and a directory far past its end
    header = bytearray(cfb({"Workbook": bytes(5000)})[:512])
    struct.pack_into("<II", header, 44, 10**9, 10**8)
    assert _bounded(bytes(header) + bytes(4096)).kind in (Kind.DAMAGED, Kind.TRUNCATED)
    # 64 MB of text: only the head is looked at
    assert _bounded(b"a,b,c\r\n" * (9 * 2**20), megabytes=96).kind is Kind.CSV


# --- strict Open XML: python-calamine reads it; the reader does after the namespace swap ----------


def test_a_strict_template_reads_like_its_transitional_twin():
    from python_calamine import CalamineWorkbook

    from rcm_workbooks.intake.reader import open_return

    corpus = Path(__file__).resolve().parent / "corpus"
    original = next(p for p in sorted(corpus.glob("*.xlsx")) if "Panam" in p.name).read_bytes()
    strict = _to_strict(original)
    assert sniff(strict, "strict.xlsx").kind is Kind.XLSX_STRICT

    def values(data):
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [(m.name, str(m.visible), wb.get_sheet_by_name(m.name).to_python()) for m in wb.sheets_metadata]

    assert values(strict) == values(original)  # calamine reads strict as it is
    mended, plain = open_return(Path("s.xlsx"), data=to_transitional(strict, 2**28)), open_return(Path("t.xlsx"), data=original)
    direct = open_return(Path("s.xlsx"), data=strict)  # the reader swaps the namespaces itself
    assert [(s.name, s.state) for s in direct.sheets] == [(s.name, s.state) for s in plain.sheets]
    assert direct.sha256 == hashlib.sha256(strict).hexdigest() and direct.meta() == plain.meta()
    assert [(s.name, s.state) for s in mended.sheets] == [(s.name, s.state) for s in plain.sheets]
    assert mended.structure_locked is plain.structure_locked is True
    assert mended.meta() == plain.meta() and mended.meta()
    matrix = plain.sheets[1].name
    assert mended.specials(matrix) == plain.specials(matrix)
    assert mended.sheet_protected(matrix) is plain.sheet_protected(matrix) is True
    with pytest.raises(TooLarge) as refused:
        to_transitional(strict, 1000)
    assert refused.value.limit == 1000 and refused.value.size > 1000


def _to_strict(data: bytes) -> bytes:
    from rcm_workbooks.intake.strict import URIS

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for strict, transitional in URIS:
                    body = body.replace(transitional, strict)
            dst.writestr(info.filename, body)
    return out.getvalue()
