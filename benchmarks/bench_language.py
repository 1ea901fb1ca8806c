"""Benchmark: finding an article's language, timeline's choice next to the alternatives.

    python benchmarks/bench_language.py [--fragments]

Each system runs in a fresh process (so that its memory is its own) on:
- benchmarks/data/language_samples.yaml: short news sentences written for timeline in the
  eight languages it detects (en, ru, be, uk, pl, lt, fr, de), whole and cut to their first
  four and two words (the hard case: a headline, a caption);
- whole news documents, where they are beside the repository: the 256 TempEval-3 training
  documents (English) and the 54 French TimeBank development documents.
Prints, per system: right answers, milliseconds a text, and the process's peak resident
memory above a bare Python. Systems: timeline's `detect` (lingua, low-accuracy mode, its
thresholds), lingua's raw answer in low- and high-accuracy mode, and py3langid when it is
installed (it is not a dependency: `pip install py3langid` to compare).
"""
from __future__ import annotations

import importlib.util
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SAMPLES = HERE / "data" / "language_samples.yaml"
SHARED = HERE.parents[1] / "shared" / "data"
CODES = ("en", "ru", "be", "uk", "pl", "lt", "fr", "de")


def _texts() -> list[tuple[str, str, str]]:
    """(set, language, text) of every text the systems are asked about."""
    out = []
    for code, sentences in yaml.safe_load(SAMPLES.read_text(encoding="utf-8")).items():
        for s in sentences:
            words = s.split()
            out += [("sentences", code, s), ("4 words", code, " ".join(words[:4])),
                    ("2 words", code, " ".join(words[:2]))]
    for code, folder in (("en", SHARED / "tempeval3-train"), ("fr", SHARED / "fr-timebank-dev")):
        for path in sorted(folder.rglob("*.tml")):
            raw = path.read_text(encoding="utf-8")
            body = raw.split("<TEXT>", 1)[-1].split("</TEXT>", 1)[0]
            out.append(("documents", code, re.sub(r"<[^>]+>", "", body)))
    return out


def _system(name: str):
    if name == "timeline":
        from timeline.lang.detect import detect
        return lambda text: detect(text) or "en"
    if name.startswith("lingua"):
        from lingua import IsoCode639_1, LanguageDetectorBuilder
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*(getattr(IsoCode639_1, c.upper()) for c in CODES))
        detector = (builder.with_low_accuracy_mode() if name == "lingua-low" else builder).build()

        def lingua(text: str) -> str:
            found = detector.detect_language_of(text)
            return found.iso_code_639_1.name.lower() if found else "?"
        return lingua
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(CODES))
    return lambda text: identifier.classify(text)[0]


def _run_one(name: str) -> None:
    """In a child process: one system over every text; prints a JSON line of results."""
    bare = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    texts = _texts()
    detect = _system(name)
    detect("warm up")
    right: dict[str, list[int]] = {}
    started = time.perf_counter()
    for group, code, text in texts:
        counts = right.setdefault(group, [0, 0])
        counts[0] += detect(text) == code
        counts[1] += 1
    ms = (time.perf_counter() - started) / len(texts) * 1000
    mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - bare) / 1024
    print(json.dumps({"system": name, "right": right, "ms": ms, "mb": mb}))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        _run_one(sys.argv[2])
        return
    systems = ["timeline", "lingua-low", "lingua-high"]
    if importlib.util.find_spec("py3langid") is not None:
        systems.append("py3langid")
    else:
        print("py3langid is not installed: not compared")
    groups = ("sentences", "4 words", "2 words", "documents")
    print(f"{'system':<12}" + "".join(f"{g:>14}" for g in groups) + f"{'ms/text':>10}{'peak MB':>10}")
    for name in systems:
        out = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True, check=True)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        cells = "".join(f"{'%d/%d' % tuple(row['right'].get(g, (0, 0))):>14}" for g in groups)
        print(f"{name:<12}{cells}{row['ms']:>10.2f}{row['mb']:>10.0f}")


if __name__ == "__main__":
    main()
