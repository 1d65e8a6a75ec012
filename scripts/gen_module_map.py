#!/usr/bin/env python3
"""Generate data/module_map.tsv: Python import name -> PyPI distribution(s).

Two inputs are merged:

1. ``data/module_map_curated.tsv`` -- hand-checked entries (Pants' default module
   mapping, typeshed stub directories, checked pipreqs entries, research notes).
2. ``importlib.metadata.packages_distributions()`` run inside a virtualenv that
   holds the pinned package set below (the backend stack pylint-recover targets).
   Namespace packages (google, opentelemetry, ...) are expanded to dotted names
   from the installed files (RECORD), because packages_distributions() only
   reports top-level names.

Only names that differ from their distribution after PEP 503 normalisation are
kept, plus dotted names under namespace packages.  When several distributions
provide one import name, all are listed: curated order (most popular first),
then providers seen only in the venv.  Nothing is ever overwritten.

Usage:
    python3 scripts/gen_module_map.py                # create/refresh venv, write data/module_map.tsv
    python3 scripts/gen_module_map.py --print-venv   # also print the venv-derived TSV to stdout
    python3 scripts/gen_module_map.py --dump-venv F  # save the venv-derived TSV to F
    python3 scripts/gen_module_map.py --venv-tsv F   # merge a saved venv dump (no venv needed)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "data" / "module_map_curated.tsv"
OUTPUT = ROOT / "data" / "module_map.tsv"
DEFAULT_VENV = Path("/tmp/mapvenv")

# Requested packages (the venv was built from these, then frozen into PINNED):
#   fastapi flask django djangorestframework djangorestframework-simplejwt sqlalchemy sqlmodel
#   alembic flask-sqlalchemy flask-migrate flask-jwt-extended flask-login flask-wtf flask-cors
#   fastapi-users pydantic-settings python-jose PyJWT authlib python-dotenv PyYAML Pillow
#   beautifulsoup4 python-dateutil psycopg2-binary psycopg[binary] asyncpg pymysql redis celery
#   kombu httpx requests aiohttp uvicorn gunicorn starlette python-multipart email-validator
#   passlib bcrypt cryptography pyOpenSSL PyNaCl boto3 google-cloud-storage google-auth protobuf
#   grpcio sentry-sdk structlog python-json-logger opentelemetry-api opentelemetry-sdk
#   prometheus-client marshmallow apispec webargs jinja2 markupsafe itsdangerous werkzeug click
#   typer rich orjson ujson msgpack pyzmq pymongo motor elasticsearch opensearch-py kafka-python
#   confluent-kafka pika dnspython python-slugify python-magic factory-boy faker pytest
#   pytest-asyncio pytest-django mypy types-requests ruff nox tox coverage django-cors-headers
#   django-filter django-environ django-debug-toolbar django-storages django-extensions
#   django-redis channels whitenoise drf-spectacular python-decouple scikit-learn numpy pandas
#   opencv-python-headless GitPython PyGithub websocket-client python-socketio attrs cattrs
#   setuptools pyserial ldap3 pysaml2 xmlsec lxml
# Left out because they need system headers to build: mysqlclient, python-ldap
# (both are covered by the curated table).
#
# Full pinned set: pip freeze of that venv (Python 3.11, linux x86_64), pip excluded.
PINNED = """
    aiohappyeyeballs==2.7.1 aiohttp==3.14.5 aiosignal==1.4.0 alembic==1.20.1 amqp==5.4.2
    annotated-doc==0.0.7 annotated-types==0.8.0 anyio==4.16.0 apispec==6.10.1 argcomplete==3.7.2
    argon2-cffi-bindings==26.2.0 argon2-cffi==25.1.0 asgiref==3.13.0 ast_serialize==0.13.1
    asyncpg==0.32.0 attrs==26.1.0 Authlib==1.9.10 bcrypt==5.0.0 beautifulsoup4==4.15.0
    bidict==0.24.1 billiard==4.3.2 blinker==1.9.0 boto3==1.44.8 botocore==1.44.8 cachetools==8.0.2
    cattrs==26.2.1 celery==5.7.0 certifi==2026.10.19.post1 cffi==2.1.1 channels==4.3.2
    charset-normalizer==3.5.3 click-didyoumean==0.3.1 click-plugins==1.1.1.2 click-repl==0.4.1
    click==8.5.1 cloudpickle==3.1.3 colorama==0.4.6 colorlog==6.12.0 confluent-kafka==2.16.1
    coverage==7.17.5 cryptography==50.0.2 defusedxml==0.7.1 dependency-groups==1.3.2 distlib==0.4.4
    django-cors-headers==4.9.0 django-debug-toolbar==8.0.0 django-environ==0.14.0
    django-extensions==4.1 django-filter==26.2 django-redis==7.0.0 django-storages==1.14.6
    Django==5.2.19 djangorestframework==3.18.3 djangorestframework_simplejwt==5.5.1
    dnspython==2.9.2 drf-spectacular==0.30.0 ecdsa==0.19.2 elastic-transport==9.4.2
    elasticsearch==9.5.1 elementpath==4.8.0 email-validator==2.3.0 Events==0.5 factory_boy==3.3.3
    Faker==40.63.0 fastapi-users==15.0.5 fastapi==0.165.0 filelock==4.3.2 flask-cors==6.0.5
    Flask-JWT-Extended==4.7.4 Flask-Login==0.6.3 Flask-Migrate==4.1.0 Flask-SQLAlchemy==3.1.1
    Flask-WTF==1.3.0 Flask==3.1.3 frozenlist==1.8.0 gitdb==4.0.12 GitPython==3.2.1
    google-api-core==2.44.0 google-auth==2.63.0 google-cloud-core==2.8.0
    google-cloud-storage==3.17.1 google-crc32c==1.9.0 google-resumable-media==2.11.0
    googleapis-common-protos==1.76.0 grpcio==1.85.3 gunicorn==27.0.1 h11==0.16.0 httpcore==1.0.9
    httpx==0.29.0 humanize==4.17.0 idna==3.20 inflection==0.5.1 iniconfig==2.3.1
    itsdangerous==2.2.0 Jinja2==3.1.6 jmespath==1.1.0 joblib==1.6.0 joserfc==1.8.0
    jsonschema-specifications==2025.9.1 jsonschema==4.26.0 kafka-python==3.0.12 kombu==5.7.0
    ldap3==2.9.1 librt==0.17.0 lxml==6.2.0 makefun==1.16.0 Mako==1.4.3 markdown-it-py==4.3.0
    MarkupSafe==3.0.4 marshmallow==4.4.0 mdurl==0.1.2 motor==3.7.1 msgpack==1.2.4 multidict==7.2.1
    mypy==2.4.1 mypy_extensions==1.2.0 narwhals==2.29.0 nox==2026.10.20 numpy==2.4.6
    opencv-python-headless==5.1.0.95 opensearch-protobufs==1.2.0 opensearch-py==3.2.0
    opentelemetry-api==1.45.2 opentelemetry-sdk==1.45.2 opentelemetry-semantic-conventions==0.66b2
    orjson==3.13.0 packaging==26.4 pandas==3.1.1 passlib==1.7.4 pathspec==1.1.1 pika==1.4.4
    pillow==13.0.0 platformdirs==4.14.9 pluggy==1.7.0 prometheus_client==0.26.0
    prompt_toolkit==3.0.53 propcache==0.5.4 proto-plus==1.29.0 protobuf==7.36.2
    psycopg-binary==3.3.9 psycopg2-binary==2.9.13 psycopg==3.3.9 pwdlib==0.3.0 pyasn1==0.6.5
    pyasn1_modules==0.4.2 pycparser==3.12 pydantic-settings==2.16.3 pydantic==2.14.4
    pydantic_core==2.50.5 PyGithub==2.10.0 Pygments==2.21.0 PyJWT==2.15.1 pymongo==4.20.1
    PyMySQL==1.2.4 PyNaCl==1.6.2 pyOpenSSL==26.4.0 pyproject-api==1.12.1 pysaml2==7.5.5
    pyserial==3.5 pytest-asyncio==1.5.0 pytest-django==4.14.0 pytest==9.2.0
    python-dateutil==2.9.0.post0 python-decouple==3.8 python-discovery==1.9.7 python-dotenv==1.2.4
    python-engineio==4.15.1 python-jose==3.5.0 python-json-logger==4.2.0 python-magic==0.4.27
    python-multipart==0.0.34 python-slugify==9.2.0 python-socketio==5.18.1 PyYAML==6.0.4
    pyzmq==27.3.0 redis==8.1.0 referencing==0.37.0 requests==2.34.2 rich==15.0.0 rpds-py==2026.9.1
    rsa==4.9.1 ruff==0.17.6 s3transfer==0.19.3 scikit-learn==1.9.1 scipy==1.17.1 sentry-sdk==2.75.0
    setuptools==84.2.1 shellingham==1.5.4 simple-websocket==1.1.0 six==1.17.0 smmap==5.0.3
    sniffio==1.3.1 soupsieve==4.1.4 SQLAlchemy==2.1.9 sqlmodel==0.0.50 sqlparse==0.6.1
    starlette==1.10.0 structlog==26.1.0 text-unidecode==1.3 threadpoolctl==3.8.0 tomli_w==1.2.0
    tox==4.67.16 typer==0.29.2 types-requests==2.33.0.20261030 typing-inspection==0.4.5
    typing_extensions==4.16.0 tzlocal==5.4.5 ujson==6.1.0 uritemplate==4.2.0 urllib3==2.8.0
    uvicorn==0.55.0 vine==5.1.0 virtualenv==21.15.13 wcwidth==0.9.4 webargs==8.7.1
    websocket-client==1.9.2 Werkzeug==3.1.9 whitenoise==6.12.0 wsproto==1.3.2 WTForms==3.3.2
    xmlschema==2.5.1 xmlsec==1.3.17 yarl==1.25.1
""".split()

# Top-level names that are namespace packages: never emitted bare, always expanded.
NAMESPACES = {
    "google", "azure", "opentelemetry", "jaraco", "zope", "backports", "sphinxcontrib", "ruamel",
    "snowflake", "databricks", "mysql", "paho", "sorl", "dogpile", "honeycomb",
    # opensearch-protobufs owns a regular package `opensearch` that only holds `opensearch.protobufs`
    "opensearch",
}
# Second-level directories shared by many distributions: expand one level further.
NESTED_NAMESPACES = {
    "google.cloud", "azure.mgmt", "azure.storage", "azure.keyvault", "azure.ai", "azure.data",
    "azure.monitor", "opentelemetry.instrumentation", "opentelemetry.exporter",
}
# Private (underscore) names that real code imports and that are worth mapping.
ALLOWED_PRIVATE = {
    "_pytest", "_distutils_hack", "_cffi_backend", "_yaml", "_jsonnet",
    "opentelemetry._logs", "opentelemetry._events",
}
# Canonical PyPI spelling where installed metadata spells the name differently
# (spellings used in the curated file take precedence anyway).
SPELLING = {
    "pillow": "Pillow",
    "factory-boy": "factory-boy",
    "djangorestframework-simplejwt": "djangorestframework-simplejwt",
}

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DIST = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)


def norm(name: str) -> str:
    """PEP 503 normalisation."""
    return re.sub(r"[-_.]+", "-", name).lower()


def valid_import(name: str) -> bool:
    return all(IDENT.match(part) for part in name.split("."))


def is_private(name: str) -> bool:
    return name not in ALLOWED_PRIVATE and any(p.startswith("_") for p in name.split("."))


# --------------------------------------------------------------------------- venv side

# Runs inside the venv interpreter.  Prints JSON [[import, [dist, ...]], ...].
EXTRACT = r"""
import importlib.metadata as md, json, sys
cfg = json.loads(sys.argv[1])
namespaces, nested = set(cfg["namespaces"]), set(cfg["nested"])

result = {}
for top, dists in md.packages_distributions().items():
    result.setdefault(top, set()).update(dists)

owners = {}       # tuple(path components of a package dir or module) -> {dist}
has_init = set()  # package dirs that contain __init__.py
for d in md.distributions():
    name = d.metadata["Name"]
    for f in d.files or ():
        parts = tuple(f.parts)
        if not parts or "__pycache__" in parts or parts[0].endswith((".dist-info", ".egg-info", ".data")):
            continue
        last = parts[-1]
        if last in ("__init__.py", "__init__.pyi"):
            has_init.add(parts[:-1])
        for i in range(1, len(parts)):
            owners.setdefault(parts[:i], set()).add(name)
        if last.endswith((".py", ".pyi", ".so", ".pyd")) and not last.startswith("__init__."):
            owners.setdefault(parts[:-1] + (last.split(".")[0],), set()).add(name)

def expand(prefix, out):
    n = len(prefix)
    for child in sorted({k[n] for k in owners if len(k) > n and k[:n] == prefix}):
        path = prefix + (child,)
        dotted = ".".join(path)
        if dotted in nested or (len(owners[path]) > 1 and path not in has_init and len(path) < 4):
            expand(path, out)
        else:
            out[dotted] = set(owners[path])

expanded = {}
for top in list(result):
    if top in namespaces or (len(result[top]) > 1 and (top,) not in has_init):
        result.pop(top)
        if (top,) in owners:
            expand((top,), expanded)
result.update(expanded)
json.dump(sorted([k, sorted(v)] for k, v in result.items()), sys.stdout)
"""


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def build_venv(venv: Path, recreate: bool) -> None:
    py = venv_python(venv)
    if recreate or not py.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(PINNED) + "\n")
        req = fh.name
    try:
        pip = [str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        if subprocess.run(pip + ["-r", req]).returncode != 0:
            print("bulk install failed; installing one by one", file=sys.stderr)
            for spec in PINNED:
                if subprocess.run(pip + ["--no-deps", spec]).returncode != 0:
                    print(f"  skipped {spec}", file=sys.stderr)
    finally:
        os.unlink(req)


def extract_from_venv(venv: Path) -> list[tuple[str, list[str]]]:
    cfg = json.dumps({"namespaces": sorted(NAMESPACES), "nested": sorted(NESTED_NAMESPACES)})
    out = subprocess.run(
        [str(venv_python(venv)), "-I", "-c", EXTRACT, cfg], check=True, capture_output=True, text=True
    ).stdout
    return [(k, v) for k, v in json.loads(out)]


def is_stub_dist(dist: str) -> bool:
    n = norm(dist)
    return n.startswith("types-") or n.endswith("-stubs")


def filter_venv(rows: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    kept = []
    for imp, dists in rows:
        if not valid_import(imp) or is_private(imp):
            continue  # e.g. requests-stubs, <hash>__mypyc, _sodium, distutils-precedence(.pth)
        if imp in NAMESPACES:
            continue
        dists = [d for d in dists if not is_stub_dist(d)]
        if not dists:
            continue
        if "." not in imp and all(norm(d) == norm(imp) for d in dists):
            continue  # trivial: import name equals the distribution name
        kept.append((imp, dists))
    return kept


def read_venv_tsv(path: Path) -> list[tuple[str, list[str]]]:
    rows = []
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            imp, dists = line.split("\t")[:2]
            rows.append((imp, dists.split()))
    return rows


# --------------------------------------------------------------------------- curated side

def read_curated(path: Path) -> list[tuple[str, list[str], list[str]]]:
    rows, seen = [], set()
    for lineno, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            sys.exit(f"{path}:{lineno}: expected 3 tab-separated fields")
        imp, dists, tags = fields[0].strip(), fields[1].split(), fields[2].strip().split(",")
        if not valid_import(imp):
            sys.exit(f"{path}:{lineno}: invalid import name {imp!r}")
        if imp in NAMESPACES:
            sys.exit(f"{path}:{lineno}: bare namespace {imp!r}; use dotted names")
        if imp in seen:
            sys.exit(f"{path}:{lineno}: duplicate import name {imp!r}")
        bad = [d for d in dists if not DIST.match(d)]
        if not dists or bad:
            sys.exit(f"{path}:{lineno}: invalid distribution name(s) {bad}")
        seen.add(imp)
        rows.append((imp, dists, tags))
    return rows


# --------------------------------------------------------------------------- merge

def merge(curated, venv_rows):
    spelling: dict[str, str] = {}
    for _, dists, _ in curated:
        for d in dists:
            spelling.setdefault(norm(d), d)
    for k, v in SPELLING.items():
        spelling.setdefault(k, v)

    table: dict[str, list[str]] = {}
    sources: dict[str, set[str]] = {}

    def add(imp: str, dists: list[str], tag: str) -> None:
        cur = table.setdefault(imp, [])
        for d in dists:
            d = spelling.get(norm(d), d)
            if norm(d) not in {norm(x) for x in cur}:
                cur.append(d)  # append only: earlier (curated, popularity-ordered) providers keep their place
        sources.setdefault(imp, set()).add(tag)

    for imp, dists, tags in curated:
        for tag in tags:
            add(imp, dists, tag)
    for imp, dists in venv_rows:
        add(imp, sorted(dists, key=str.lower), "venv")
    return table, sources


def write_output(table, sources, venv_desc: str) -> None:
    counts: dict[str, int] = {}
    for tags in sources.values():
        for t in tags:
            counts[t] = counts.get(t, 0) + 1
    per_source = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    for imp in table:
        assert imp not in NAMESPACES, imp
    header = [
        "# Python import name -> PyPI distribution(s) providing it.",
        "# GENERATED by scripts/gen_module_map.py; do not edit. Edit data/module_map_curated.tsv and re-run.",
        "# Format: <import name>TAB<dist> [<dist> ...]; any listed distribution provides the import,",
        "# most popular first. Dotted names live below namespace packages (google, azure, opentelemetry,",
        "# jaraco, zope, backports, sphinxcontrib, ruamel, ...), which never appear bare.",
        "# Listed: names that differ from their distribution after PEP 503 normalisation, and dotted",
        "# names below namespace packages. Sorted by import name (code point order).",
        "# Inputs: data/module_map_curated.tsv (pants, pants-pattern, typeshed, pipreqs-checked, research,",
        f"#   manual) and importlib.metadata.packages_distributions() + RECORD files of {venv_desc}.",
        f"# Entries per source (an entry can have several): {per_source}",
        f"# Entries: {len(table)}",
    ]
    lines = [f"{imp}\t{' '.join(table[imp])}" for imp in sorted(table)]
    OUTPUT.write_text("\n".join(header + lines) + "\n")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(table)} entries; {per_source}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--venv", type=Path, default=DEFAULT_VENV, help="virtualenv to create/use")
    ap.add_argument("--recreate", action="store_true", help="wipe and recreate the venv")
    ap.add_argument("--no-install", action="store_true", help="use the venv as it is")
    ap.add_argument("--venv-tsv", type=Path, help="read venv-derived rows from this TSV instead of a venv")
    ap.add_argument("--dump-venv", type=Path, help="write the venv-derived rows to this TSV")
    ap.add_argument("--print-venv", action="store_true", help="print the venv-derived rows to stdout")
    args = ap.parse_args()

    if args.venv_tsv:
        venv_rows = read_venv_tsv(args.venv_tsv)
        venv_desc = f"a saved venv dump ({args.venv_tsv.name})"
    else:
        if not args.no_install:
            build_venv(args.venv, args.recreate)
        venv_rows = filter_venv(extract_from_venv(args.venv))
        ver = subprocess.run(
            [str(venv_python(args.venv)), "-c", "import sys; print('.'.join(map(str, sys.version_info[:2])))"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
        venv_desc = f"a venv (Python {ver}) holding the {len(PINNED)} pinned distributions"
    tsv = "".join(f"{imp}\t{' '.join(d)}\n" for imp, d in venv_rows)
    if args.print_venv:
        sys.stdout.write(tsv)
    if args.dump_venv:
        args.dump_venv.write_text("# venv-derived rows from scripts/gen_module_map.py\n" + tsv)

    table, sources = merge(read_curated(CURATED), venv_rows)
    write_output(table, sources, venv_desc)


if __name__ == "__main__":
    main()
