#!/usr/bin/env python3
"""Fetch the pinned real-code corpus (PyPI sdists of real backends) into ./corpus/
(ignored by git), run pylint-recover on each, and compare with the triage ledgers in
tests/corpus/<project>-<version>.tsv.

usage: scripts/corpus.py [--bin PATH] [--select IMP] [--write-new] [NAME...]

Each ledger line: path<TAB>line<TAB>code<TAB>verdict<TAB>why
(verdict: true, false-alarm, unsure). The script prints findings that are not in the
ledger (NEW) and ledger lines no longer reported (GONE), the wall time per project,
and the number of files. --write-new appends NEW findings to the ledger with verdict
"unsure" so they can be triaged by hand.
"""
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile

CORPUS = [
    ("apache-superset", "6.1.0"),
    ("apache-airflow-core", "3.3.2"),
    ("mlflow", "3.18.0"),
    ("prefect", "3.9.1"),
    ("fastapi-users", "15.0.5"),
    ("flask-jwt-extended", "4.7.4"),
    ("djangorestframework-simplejwt", "5.5.1"),
    ("flask-appbuilder", "5.3.0"),
]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS_DIR = os.path.join(ROOT, "corpus")
LEDGERS = os.path.join(ROOT, "tests", "corpus")


def fetch(name, version):
    dest = os.path.join(CORPUS_DIR, f"{name}-{version}")
    if os.path.isdir(dest):
        return dest
    os.makedirs(CORPUS_DIR, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                        "-q", "-d", tmp, f"{name}=={version}"], check=True)
        (archive,) = os.listdir(tmp)
        path = os.path.join(tmp, archive)
        unpack = os.path.join(tmp, "x")
        if archive.endswith(".zip"):
            zipfile.ZipFile(path).extractall(unpack)
        else:
            with tarfile.open(path) as tf:
                tf.extractall(unpack, filter="data")
        (top,) = os.listdir(unpack)
        os.rename(os.path.join(unpack, top), dest)
    return dest


def load_ledger(path):
    entries = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.rstrip("\n").split("\t")
                if len(cols) >= 4:
                    entries[(cols[0], int(cols[1]), cols[2])] = (cols[3], cols[4] if len(cols) > 4 else "")
    return entries


def main(argv):
    binary = os.path.join(ROOT, "target", "release", "pylint-recover")
    select, write_new, names = None, False, []
    it = iter(argv)
    for a in it:
        if a == "--bin":
            binary = next(it)
        elif a == "--select":
            select = next(it)
        elif a == "--write-new":
            write_new = True
        else:
            names.append(a)
    total_new = 0
    for name, version in CORPUS:
        if names and name not in names:
            continue
        src = fetch(name, version)
        cmd = [binary, "check", ".", "--output-format", "json", "--exit-zero"]
        if select:
            cmd += ["--select", select]
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=src, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            print(f"{name}-{version}: exit {proc.returncode}: {proc.stderr.strip()[-400:]}")
            continue
        findings = json.loads(proc.stdout or "[]")
        nfiles = sum(1 for r, _, fs in os.walk(src) for f in fs if f.endswith(".py"))
        ledger_path = os.path.join(LEDGERS, f"{name}-{version}.tsv")
        ledger = load_ledger(ledger_path)
        seen = set()
        new = []
        by_code = {}
        for d in findings:
            rel = os.path.relpath(d["filename"], src)
            key = (rel, d["location"]["row"], d["code"])
            seen.add(key)
            by_code[d["code"]] = by_code.get(d["code"], 0) + 1
            if key not in ledger:
                new.append((key, d["message"]))
        gone = [k for k in ledger if k not in seen and (not select or k[2].startswith(select))]
        codes = ", ".join(f"{c} {n}" for c, n in sorted(by_code.items())) or "none"
        print(f"{name}-{version}: {nfiles} .py files, {wall:.2f}s, findings: {codes}; new {len(new)}, gone {len(gone)}")
        for key, msg in sorted(new):
            print(f"   NEW  {key[0]}:{key[1]} {key[2]} {msg}")
        for key in sorted(gone):
            print(f"   GONE {key[0]}:{key[1]} {key[2]} ({ledger[key][0]})")
        total_new += len(new)
        if write_new and new:
            os.makedirs(LEDGERS, exist_ok=True)
            with open(ledger_path, "a", encoding="utf-8") as fh:
                for key, msg in sorted(new):
                    fh.write(f"{key[0]}\t{key[1]}\t{key[2]}\tunsure\t{msg}\n")
    return 1 if total_new else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
