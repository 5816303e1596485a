"""Derive the toy en->es package with a 40-position table, for the tests of sentences too long for a model.

Published Argos models store a table of position encodings in ``model.bin``;
CTranslate2 raises ``No position encodings are defined for positions >= 512``
when an input (or the translation it writes) is longer than that table. The toy
models built by ``build_test_models.py`` store no table: CTranslate2 computes
their sinusoidal encodings for any length, so no toy sentence ever reaches a
limit. Rather than train another model, this script copies the committed en->es
package and adds to its ``model.bin`` the very encodings CTranslate2 computes
for it, cut at :data:`POSITIONS` and shared by encoder and decoder. The weights,
and so the translations, stay those of en->es (checked below on the held-out
sentences); an input longer than 40 positions now fails as a long sentence
fails on a real Argos model, and the engine must read the limit from the file.

Output, next to this file: ``translate-en_es-1_0-short.argosmodel`` (its top
folder is ``translate-en_es-1_0-short``). Needs only ctranslate2, sentencepiece
and numpy (no torch, no training) and writes the same bytes on every run::

    .venv/bin/python tests/models/build_short_model.py

Run it again after rebuilding en->es with ``build_test_models.py``.
"""

from __future__ import annotations

import io
import json
import math
import struct
import tempfile
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
POSITIONS = 40  # tests/models/toy.py SHORT_POSITIONS
SOURCE = HERE / "translate-en_es-1_0.argosmodel"
TOP = "translate-en_es-1_0-short"
OUTPUT = HERE / f"{TOP}.argosmodel"
DESCRIPTION = (f"Toy model for workbench's tests: en->es with a table of {POSITIONS} position encodings, "
               "so that long sentences reach its limit.")
ENCODINGS = "encoder/position_encodings/encodings"
DECODER_ENCODINGS = "decoder/position_encodings/encodings"
FLOAT32 = 0
"""CTranslate2's type id of float32 (the order of its DataType enum)."""


# -- model.bin, as CTranslate2 writes it (binary version 6: python/ctranslate2/specs/model_spec.py) ----------


def read_string(data: io.BytesIO) -> str:
    (length,) = struct.unpack("<H", data.read(2))
    return data.read(length).rstrip(b"\0").decode("utf-8")


def write_string(out: io.BytesIO, text: str) -> None:
    encoded = text.encode("utf-8") + b"\0"
    out.write(struct.pack("<H", len(encoded)) + encoded)


def read_model(blob: bytes) -> tuple[str, int, list[tuple[str, tuple[int, ...], int, bytes]], list[tuple[str, str]]]:
    """Spec name, revision, variables (name, shape, type id, raw bytes) and aliases of a version-6 model.bin."""
    data = io.BytesIO(blob)
    (version,) = struct.unpack("<I", data.read(4))
    if version != 6:
        raise SystemExit(f"model.bin has binary version {version}; this script writes version 6 only")
    spec = read_string(data)
    (revision, count) = struct.unpack("<II", data.read(8))
    variables = []
    for _ in range(count):
        name = read_string(data)
        (rank,) = struct.unpack("<B", data.read(1))
        shape = struct.unpack(f"<{rank}I", data.read(4 * rank))
        type_id, size = struct.unpack("<BI", data.read(5))
        variables.append((name, shape, type_id, data.read(size)))
    (alias_count,) = struct.unpack("<I", data.read(4))
    aliases = [(read_string(data), read_string(data)) for _ in range(alias_count)]
    if data.read():
        raise SystemExit("model.bin has bytes after its aliases: not a model this script understands")
    return spec, revision, variables, aliases


def write_model(spec: str, revision: int, variables: list[tuple[str, tuple[int, ...], int, bytes]], aliases: list[tuple[str, str]]) -> bytes:
    out = io.BytesIO()
    out.write(struct.pack("<I", 6))
    write_string(out, spec)
    out.write(struct.pack("<II", revision, len(variables)))
    for name, shape, type_id, raw in variables:
        write_string(out, name)
        out.write(struct.pack(f"<B{len(shape)}I", len(shape), *shape))
        out.write(struct.pack("<BI", type_id, len(raw)) + raw)
    out.write(struct.pack("<I", len(aliases)))
    for alias, name in aliases:
        write_string(out, alias)
        write_string(out, name)
    return out.getvalue()


def sinusoidal_encodings(length: int, depth: int) -> np.ndarray:
    """CTranslate2's computed encodings (build_test_models.position_encodings): [sin | cos], positions from 1."""
    increment = math.log(10000.0) / (depth // 2 - 1)
    inv_timescales = np.exp(np.arange(depth // 2, dtype=np.float32) * np.float32(-increment))
    scaled = np.arange(1, length + 1, dtype=np.float32)[:, None] * inv_timescales[None, :]
    return np.concatenate([np.sin(scaled), np.cos(scaled)], axis=1).astype(np.float32)


# -- the package ----------------------------------------------------------------------------------


def package_bytes(files: dict[str, bytes]) -> bytes:
    """A zip of ``files`` under the top folder, with fixed timestamps and sorted names, as build_test_models writes one."""
    folders = {f"{name.rsplit('/', 1)[0]}/" for name in files if "/" in name}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(folders | set(files)):
            info = zipfile.ZipInfo(f"{TOP}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o40755 << 16) if name in folders else (0o644 << 16)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, b"" if name in folders else files[name])
    return buffer.getvalue()


def derive() -> bytes:
    with zipfile.ZipFile(SOURCE) as archive:
        top = archive.namelist()[0].split("/", 1)[0]
        files = {name.removeprefix(f"{top}/"): archive.read(name) for name in archive.namelist() if not name.endswith("/")}
    spec, revision, variables, aliases = read_model(files["model/model.bin"])
    if any(name in (ENCODINGS, DECODER_ENCODINGS) for name, *_ in variables):
        raise SystemExit(f"{SOURCE.name} already stores position encodings")
    depth = next(shape[1] for name, shape, _, _ in variables if name == "decoder/embeddings/weight")
    table = sinusoidal_encodings(POSITIONS, depth)
    variables.append((ENCODINGS, table.shape, FLOAT32, table.tobytes()))
    aliases.append((DECODER_ENCODINGS, ENCODINGS))
    files["model/model.bin"] = write_model(spec, revision, variables, aliases)
    metadata = json.loads(files["metadata.json"])
    metadata["description"] = DESCRIPTION
    files["metadata.json"] = (json.dumps(metadata, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    files["README.md"] = (
        f"# Toy English to Spanish model, {POSITIONS} positions\n\n"
        "Derived by workbench's tests/models/build_short_model.py from the toy en->es package:\n"
        f"the same weights, with a table of {POSITIONS} position encodings, so long sentences reach its limit.\n"
    ).encode()
    return package_bytes(files)


def check(package: bytes) -> None:
    """The derived model translates the held-out sentences as en->es does, and refuses a 65th source token."""
    import ctranslate2
    import sentencepiece

    held_out = json.loads((HERE / "toy_sentences.json").read_text(encoding="utf-8"))["pairs"]["en-es"]["sentences"]
    decoding = json.loads((HERE / "toy_sentences.json").read_text(encoding="utf-8"))["decoding"]
    with tempfile.TemporaryDirectory() as tmp:
        for blob, folder in ((SOURCE.read_bytes(), "full"), (package, "short")):
            with zipfile.ZipFile(io.BytesIO(blob)) as archive:
                archive.extractall(Path(tmp) / folder)
        full_dir = next((Path(tmp) / "full").iterdir())
        short_dir = Path(tmp) / "short" / TOP
        tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(short_dir / "sentencepiece.model"))
        sources = [tokenizer.encode(s["source"], out_type=str) for s in held_out]
        outputs = {}
        for name, folder in (("full", full_dir), ("short", short_dir)):
            translator = ctranslate2.Translator(str(folder / "model"))
            outputs[name] = [r.hypotheses[0] for r in translator.translate_batch(sources, **decoding)]
        if outputs["short"] != outputs["full"]:
            different = sum(a != b for a, b in zip(outputs["short"], outputs["full"], strict=True))
            raise SystemExit(f"the derived model translates {different} held-out sentences differently: the table is wrong")
        try:
            translator.translate_batch([["▁migrants"] * (POSITIONS + 1)], max_decoding_length=4)
        except RuntimeError as error:
            if f">= {POSITIONS}" not in str(error):
                raise
        else:
            raise SystemExit(f"the derived model took {POSITIONS + 1} source tokens: the table is not used")


def main() -> None:
    package = derive()
    check(package)
    OUTPUT.write_bytes(package)
    print(f"{OUTPUT.name}: {len(package) // 1024} KB, {POSITIONS} positions, translations identical to {SOURCE.name}")


if __name__ == "__main__":
    main()
