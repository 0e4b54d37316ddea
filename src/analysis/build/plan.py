"""The plan: every briefing of a request with its rebuild key, and which of them to build.

`plan(request, data)` is pure: everything it reads from disk (the clean table, the notebook's and
library's hashes, the key cache, which briefings are complete on disk) comes in `PlanData`, so a
plan can be tested, and re-planned by `analysis preview`, without touching files. A briefing's key
is exact: template notebook bytes, the library's files, the rows the briefing reads (its
contract: `briefing.contract.rows_read`), its parameters and title, and the versions of the
packages the engine and the output formats depend on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import config
from analysis.briefing import contract
from analysis.build.jobs import BuildRequest, Job, Selected, is_fresh, make_job, select

if TYPE_CHECKING:
    import pandas as pd

ENGINE_PACKAGES = ("matplotlib", "pandas", "papermill")  # the formats add theirs (outputs.registry)


def sha256_bytes(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def library_hash(root: Path = config.PACKAGE_DIR, raw_dir: Path = config.RAW_DIR) -> str:
    """Hash of the package's source, templates and data files, and of the provenance the citations
    read (`data/raw/**/*.meta.json`, the register of sources): a code change or a corrected citation
    rebuilds everything."""
    parts = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc", ".pyo"}:
            parts += [path.relative_to(root).as_posix().encode(), path.read_bytes()]
    register = Path(raw_dir) / config.SOURCES_REGISTER
    for path in [*sorted(Path(raw_dir).glob("*/*.meta.json")), *([register] if register.is_file() else [])]:
        parts += [path.relative_to(raw_dir).as_posix().encode(), path.read_bytes()]
    from importlib import metadata  # here, not at the top: the one-briefing build starts its kernel first

    from analysis.outputs.registry import key_packages

    versions = []
    for pkg in (*ENGINE_PACKAGES, *key_packages()):
        try:
            versions.append(f"{pkg}={metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{pkg}=?")
    return sha256_bytes(*parts, ";".join(versions).encode())


def frame_hash(df: pd.DataFrame) -> str:
    """Content hash of the rows a briefing reads (column names, dtypes and values; not the index)."""
    import pandas as pd

    header = json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()]).encode()
    values = pd.util.hash_pandas_object(df.reset_index(drop=True), index=False).to_numpy().tobytes()
    return sha256_bytes(header, values)


def briefing_key(notebook_hash: str, lib_hash: str, data_hash: str, params: dict[str, Any]) -> str:
    """The incremental-build key of one briefing. The clean folder's path is not part of it: the
    build's kernels read a snapshot named by the table's hash (build.dataversion), and the rows the
    briefing reads are in `data_hash`."""
    params = {k: v for k, v in params.items() if k != "clean_dir"}
    return sha256_bytes(
        notebook_hash.encode(),
        lib_hash.encode(),
        data_hash.encode(),
        json.dumps(params, sort_keys=True, ensure_ascii=False).encode(),
    )


@dataclass(frozen=True)
class PlanData:
    """What the plan reads, read beforehand by the caller (run_reports, preview, tests)."""

    df: Any  # the clean table
    pairs: Sequence[Selected]  # the request's provinces and years, resolved (jobs.select)
    notebook_hash: str
    lib_hash: str
    memo: Mapping[str, str] = field(default_factory=dict)  # "code/regime/year" -> rows' hash
    cache: Mapping[str, dict[str, Any]] = field(default_factory=dict)  # the key cache's entries
    present: frozenset[str] = frozenset()  # briefings whose every file is on disk

    @classmethod
    def read(cls, request: BuildRequest, df: pd.DataFrame, **given: Any) -> PlanData:
        """The data for `request` from its notebook and this library (tests, preview); `given`
        replaces any field."""
        fields = {
            "df": df,
            "pairs": given.pop("pairs", None) or select(request, df),
            "notebook_hash": hashlib.sha256(Path(request.notebook).read_bytes()).hexdigest(),
            "lib_hash": given.pop("lib_hash", None) or library_hash(),
        }
        return cls(**(fields | given))


@dataclass(frozen=True)
class Plan:
    jobs: tuple[Job, ...]  # every briefing selected, with its key
    todo: tuple[Job, ...]  # those to build: forced, changed, or missing a file
    memo: dict[str, str]  # the rows' hashes, including those computed now (saved with the cache)


def plan(
    request: BuildRequest,
    data: PlanData,
    rows_read: Callable[[pd.DataFrame, str, str, int], pd.DataFrame] = contract.rows_read,
) -> Plan:
    """Every briefing of the request with its key, and those to build (nothing is built here).

    The memo saves the `rows_read` calls (about 2 s for 63 provinces) on a no-change rebuild; it is
    only valid for one figures file and one library version (run_reports keeps it per scope).
    """
    memo = dict(data.memo)
    clean_dir = str(Path(request.clean_dir).resolve())
    jobs = []
    for sel in data.pairs:
        province, year = sel
        slot = f"{province.code}/{province.regime}/{year}"
        if slot not in memo:
            memo[slot] = frame_hash(rows_read(data.df, province.code, province.regime, year))
        for lang in request.langs:
            job = make_job(province, year, lang, clean_dir, getattr(sel, "asked", ""))
            params = job.parameters() | {"title": job.title}
            key = briefing_key(data.notebook_hash, data.lib_hash, memo[slot], params)
            jobs.append(replace(job, key=key))
    todo = [job for job in jobs if request.force or not is_fresh(job, dict(data.cache), data.present)]
    return Plan(tuple(jobs), tuple(todo), memo)
