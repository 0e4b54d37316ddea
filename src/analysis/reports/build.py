"""`analysis reports`: every (province, year, language) briefing as HTML + A4 PDF, in parallel, incrementally.

Design (numbers in ../shared/research/perf_baseline.md): half of the naive cost is per-briefing
overhead (kernel start, imports, three CLI start-ups). So JOBS worker processes each keep ONE warm
kernel (reports.runner) and export in-process (reports.export). A briefing is rebuilt only when its
key changes: template notebook bytes, the library's source files, the rows it reads
(`metrics.briefing_inputs`), its parameters and the exporter versions. Keys live in
`reports/.build-cache.json`.

Failure policy: a briefing that fails loses its previous HTML/PDF and its cache entry, so nobody
reads an out-of-date briefing as current; the others are still built and the command exits 1 with
a summary table.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import io
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config
from analysis.errors import AnalysisError, InputFileError

LANGS = ("vi", "en")
CACHE_NAME = ".build-cache.json"
CACHE_VERSION = 1
TITLES = {
    "vi": "Bản tin CCHC và chính quyền số {year}: {name}",
    "en": "PAR and digital government briefing {year}: {name}",
}
_KEY_PACKAGES = ("nbconvert", "weasyprint", "matplotlib", "pandas", "papermill")


# ---------------------------------------------------------------- request and plan


@dataclass(frozen=True)
class BuildRequest:
    """What to build; empty provinces/years mean every province / the latest year with data."""

    provinces: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    langs: tuple[str, ...] = ("vi",)
    jobs: int = 0
    force: bool = False
    clean_dir: Path = config.CLEAN_DIR
    out_dir: Path = config.REPORTS_DIR
    notebook: Path = config.TEMPLATE_NOTEBOOK
    timeout: int = 600  # seconds per cell
    progress: bool | None = None  # None: a bar on a TTY, plain lines otherwise

    @classmethod
    def from_cli(
        cls,
        provinces: str,
        years: str,
        langs: str,
        jobs: int,
        force: bool,
        clean_dir: Path,
        out_dir: Path,
        **extra: Any,
    ) -> BuildRequest:
        names = tuple(dict.fromkeys(p.strip() for p in (provinces or "").split(",") if p.strip()))
        year_list: list[int] = []
        for y in (years or "").split(","):
            if not y.strip():
                continue
            try:
                year_list.append(int(y.strip()))
            except ValueError:
                raise AnalysisError(f"--years: {y.strip()!r} is not a year") from None
        lang_list = tuple(dict.fromkeys(x.strip().lower() for x in (langs or "vi").split(",") if x.strip()))
        bad = [x for x in lang_list if x not in LANGS]
        if bad or not lang_list:
            raise AnalysisError(f"--lang: {','.join(bad) or langs!r} not supported (use vi, en or vi,en)")
        if jobs < 0:
            raise AnalysisError(f"--jobs: {jobs} must be 0 (all cores) or more")
        return cls(
            provinces=names,
            years=tuple(dict.fromkeys(year_list)),
            langs=lang_list,
            jobs=jobs,
            force=force,
            clean_dir=Path(clean_dir),
            out_dir=Path(out_dir),
            **extra,
        )


@dataclass(frozen=True)
class Job:
    """One briefing to build; picklable, sent to a worker."""

    name: str
    code: str
    slug: str
    regime: str
    year: int
    lang: str
    key: str
    clean_dir: str

    @property
    def rel(self) -> str:
        return f"{self.year}/{self.lang}/{self.slug}"

    @property
    def title(self) -> str:
        return TITLES[self.lang].format(year=self.year, name=self.name)

    def parameters(self) -> dict[str, Any]:
        return {"province": self.name, "year": self.year, "lang": self.lang, "clean_dir": self.clean_dir}


@dataclass
class Result:
    job: Job
    ok: bool
    step: str = ""
    error: str = ""
    seconds: float = 0.0


def sha256_bytes(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def library_hash(root: Path = config.PACKAGE_DIR) -> str:
    """Hash of the package's source, templates and data files: a code change rebuilds everything."""
    parts = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc", ".pyo"}:
            parts += [path.relative_to(root).as_posix().encode(), path.read_bytes()]
    versions = []
    for pkg in _KEY_PACKAGES:
        try:
            versions.append(f"{pkg}={metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{pkg}=?")
    return sha256_bytes(*parts, ";".join(versions).encode())


def frame_hash(df: pd.DataFrame) -> str:
    """Content hash of the rows a briefing reads (column names, dtypes and values; not the index)."""
    header = json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()]).encode()
    values = pd.util.hash_pandas_object(df.reset_index(drop=True), index=False).to_numpy().tobytes()
    return sha256_bytes(header, values)


def briefing_key(notebook_hash: str, lib_hash: str, data_hash: str, params: dict[str, Any]) -> str:
    """The incremental-build key of one briefing."""
    return sha256_bytes(
        notebook_hash.encode(),
        lib_hash.encode(),
        data_hash.encode(),
        json.dumps(params, sort_keys=True, ensure_ascii=False).encode(),
    )


def _briefing_inputs(df: pd.DataFrame, code: str, regime: str, year: int) -> pd.DataFrame:
    from analysis.briefing.inputs import briefing_inputs

    return briefing_inputs(df, code, regime, year)


def read_figures(clean_dir: Path) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(read_figures_bytes(clean_dir)))


def read_figures_bytes(clean_dir: Path) -> bytes:
    path = Path(clean_dir) / "figures.parquet"
    if not path.exists():
        raise InputFileError(path, "missing: run `make data` (analysis clean) first")
    return path.read_bytes()


def data_version(figures_parquet: bytes) -> str:
    """The clean table's version: the same sha256 prefix as `data_version` in manifest.json."""
    return hashlib.sha256(figures_parquet).hexdigest()[:12]


def select(request: BuildRequest, df: pd.DataFrame) -> list[tuple[Any, int]]:
    """(Province, year) pairs to build, in a stable order; unknown names raise UnknownProvinceError."""
    from analysis import provinces
    from analysis.briefing import inputs

    years = list(request.years) or [inputs.default_year(df)]
    chosen: dict[tuple[str, str, int], tuple[Any, int]] = {}
    for year in years:
        if request.provinces:
            found = [provinces.resolve(name, year).province for name in request.provinces]
        else:
            found = list(provinces.all_provinces(provinces.regime_for_year(year)))
        for p in found:
            chosen.setdefault((p.regime, p.code, year), (p, year))
    return sorted(chosen.values(), key=lambda py: (py[1], py[0].slug))


def plan(
    request: BuildRequest,
    df: pd.DataFrame,
    inputs: Callable[[pd.DataFrame, str, str, int], pd.DataFrame] = _briefing_inputs,
    pairs: Sequence[tuple[Any, int]] | None = None,
    memo: dict[str, str] | None = None,
    lib_hash: str | None = None,
) -> list[Job]:
    """Every briefing of the request with its key (nothing is built here).

    `memo` maps "code/regime/year" to the hash of that briefing's inputs; it is only valid for one
    figures file and one library version (run_reports checks), and saves the `briefing_inputs` calls
    (about 2 s for 63 provinces) on a no-change rebuild.
    """
    pairs = select(request, df) if pairs is None else pairs
    memo = {} if memo is None else memo
    nb_hash = hashlib.sha256(Path(request.notebook).read_bytes()).hexdigest()
    lib_hash = lib_hash or library_hash()
    clean_dir = str(Path(request.clean_dir).resolve())
    jobs = []
    for province, year in pairs:
        slot = f"{province.code}/{province.regime}/{year}"
        if slot not in memo:
            memo[slot] = frame_hash(inputs(df, province.code, province.regime, year))
        data_hash = memo[slot]
        for lang in request.langs:
            job = Job(province.name, province.code, province.slug, province.regime, year, lang, "", clean_dir)
            key = briefing_key(nb_hash, lib_hash, data_hash, job.parameters() | {"title": job.title})
            jobs.append(Job(**(asdict(job) | {"key": key})))
    return jobs


# ---------------------------------------------------------------- cache


def output_paths(out_dir: Path, job: Job) -> tuple[Path, Path]:
    base = Path(out_dir) / job.rel
    return base.with_suffix(".html"), base.with_suffix(".pdf")


def _read_cache(out_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((Path(out_dir) / CACHE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == CACHE_VERSION else {}


def load_cache(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Built briefings by "year/lang/slug": their key and who they are (for the index)."""
    return dict(_read_cache(out_dir).get("entries", {}))


def load_memo(out_dir: Path, scope: str) -> dict[str, str]:
    """Input hashes saved by the last build, if it used the same figures file and library (`scope`)."""
    inputs = _read_cache(out_dir).get("inputs", {})
    return dict(inputs.get("hashes", {})) if inputs.get("scope") == scope else {}


def save_cache(
    out_dir: Path, entries: dict[str, dict[str, Any]], memo: dict[str, str] | None = None, scope: str = ""
) -> None:
    from analysis.writing import atomic_write

    body: dict[str, Any] = {"version": CACHE_VERSION, "entries": dict(sorted(entries.items()))}
    if memo and scope:
        body["inputs"] = {"scope": scope, "hashes": dict(sorted(memo.items()))}
    atomic_write(Path(out_dir) / CACHE_NAME, json.dumps(body, ensure_ascii=False, indent=1))


def is_fresh(job: Job, cache: dict[str, dict[str, Any]], out_dir: Path) -> bool:
    entry = cache.get(job.rel)
    return bool(entry and entry.get("key") == job.key and all(p.exists() for p in output_paths(out_dir, job)))


# ---------------------------------------------------------------- worker side

_WORKER: dict[str, Any] = {}


def _init_worker(notebook: str, timeout: int) -> None:
    """Per worker process: one warm kernel and one exporter, shut down when the pool closes."""
    from multiprocessing import util

    import nbformat

    from analysis.reports.export import Exporter
    from analysis.reports.runner import WarmKernel

    kernel = WarmKernel(cwd=Path(notebook).parent, timeout=timeout)
    _WORKER.update(kernel=kernel, exporter=Exporter(), template=nbformat.read(notebook, as_version=4))
    util.Finalize(kernel, kernel.shutdown, exitpriority=100)


def build_one(job: Job, out_dir: str) -> Result:
    """Execute, export and write one briefing in this worker; errors come back as a Result."""
    from analysis.reports.export import print_variant
    from analysis.reports.runner import CellFailure, parameterize
    from analysis.writing import atomic_write

    t0 = time.perf_counter()
    step = "execute"
    try:
        nb = parameterize(_WORKER["template"], job.parameters())
        _WORKER["kernel"].run(nb)
        step = "html"
        page = _WORKER["exporter"].html(nb, job.title, job.lang)
        variant = print_variant(nb)
        printed = page if variant is None else _WORKER["exporter"].html(variant, job.title, job.lang)
        step = "pdf"
        html_path, pdf_path = output_paths(Path(out_dir), job)
        pdf = _WORKER["exporter"].pdf(printed, job.title, html_path.parent)
        step = "write"
        atomic_write(html_path, page)
        atomic_write(pdf_path, pdf)
    except CellFailure as exc:
        return Result(job, False, step, str(exc), time.perf_counter() - t0)
    except Exception as exc:  # one briefing's failure must not stop the others
        return Result(job, False, step, f"{type(exc).__name__}: {exc}"[:500], time.perf_counter() - t0)
    return Result(job, True, seconds=time.perf_counter() - t0)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_jobs(jobs: Sequence[Job], request: BuildRequest, on_result: Callable[[Result], None]) -> None:
    """Run the jobs on a pool of warm workers; every job yields exactly one Result."""
    if not jobs:
        return
    workers = max(1, min(request.jobs or default_jobs(), len(jobs)))
    ctx = multiprocessing.get_context("spawn")  # no fork of a process with threads (tqdm, zmq)
    with cf.ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_worker, initargs=(str(request.notebook), request.timeout)
    ) as pool:
        futures = {pool.submit(build_one, job, str(request.out_dir)): job for job in jobs}
        for fut in cf.as_completed(futures):
            job = futures[fut]
            try:
                result = fut.result()
            except Exception as exc:  # the worker process died (killed, out of memory)
                result = Result(job, False, "worker", f"{type(exc).__name__}: {exc}"[:500])
            on_result(result)


# ---------------------------------------------------------------- reporting


class Progress:
    """One tqdm bar on stderr for the batch; plain lines when stderr is not a terminal."""

    def __init__(self, total: int, enabled: bool | None):
        self.total, self.done = total, 0
        self.tty = sys.stderr.isatty() if enabled is None else enabled
        self.bar = None
        if self.tty and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="briefing", file=sys.stderr, dynamic_ncols=True)

    def update(self, result: Result) -> None:
        self.done += 1
        if result.ok:
            msg = f"[{self.done}/{self.total}] built {result.job.rel} ({result.seconds:.1f} s)"
        else:
            msg = f"[{self.done}/{self.total}] FAILED {result.job.rel} at {result.step}: {result.error}"
        if self.bar is not None:
            if not result.ok:
                self.bar.write(msg, file=sys.stderr)
            self.bar.update(1)
        else:
            print(msg, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def summary_table(failures: Iterable[Result]) -> str:
    rows = [("province", "year", "lang", "step", "error")]
    rows += [
        (r.job.name, str(r.job.year), r.job.lang, r.step, r.error.splitlines()[0][:160]) for r in failures
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True)) + "  " + row[4]
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 5)
    return "\n".join(lines)


def write_index(
    out_dir: Path,
    cache: dict[str, dict[str, Any]],
    version: str,
    failures: Sequence[Result] = (),
    built_at: datetime | None = None,
) -> Path:
    """reports/index.html: every briefing on disk by year (newest first) and province, relative links."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from analysis.reports.export import TEMPLATES_DIR
    from analysis.writing import atomic_write

    by_year: dict[int, dict[str, dict[str, Any]]] = {}
    langs: list[str] = []
    total = 0
    for rel, entry in sorted(cache.items()):
        html_rel, pdf_rel = f"{rel}.html", f"{rel}.pdf"
        if not ((out_dir / html_rel).exists() and (out_dir / pdf_rel).exists()):
            continue
        year, lang = int(entry["year"]), entry["lang"]
        row = by_year.setdefault(year, {}).setdefault(
            entry["slug"], {"name": entry["name"], "slug": entry["slug"], "links": {}}
        )
        row["links"][lang] = {"html": html_rel, "pdf": pdf_rel}
        if lang not in langs:
            langs.append(lang)
        total += 1
    years = [
        # By slug: Vietnamese order puts Đ with D, which code-point order of the names would not.
        (year, sorted(rows.values(), key=lambda r: (r["slug"], r["name"])))
        for year, rows in sorted(by_year.items(), reverse=True)
    ]
    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(default=True))
    page = env.get_template("index.html.j2").render(
        years=years,
        langs=sorted(langs, key=lambda x: LANGS.index(x) if x in LANGS else 99),
        data_version=version,
        built_at=(built_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        total=total,
        failures=[
            {"province": r.job.name, "year": r.job.year, "lang": r.job.lang, "step": r.step, "error": r.error}
            for r in failures
        ],
    )
    path = out_dir / "index.html"
    atomic_write(path, page)
    return path


# ---------------------------------------------------------------- entry point


def run_reports(request: BuildRequest) -> int:
    """Build what changed; 0 when every briefing is built or unchanged, 1 when any failed."""
    figures_bytes = read_figures_bytes(request.clean_dir)
    df = pd.read_parquet(io.BytesIO(figures_bytes))
    pairs = select(request, df)  # unknown province names fail here, before any work
    notebook = Path(request.notebook).resolve()
    request = replace(request, notebook=notebook)
    if not notebook.exists():
        raise InputFileError(notebook, "template notebook missing")
    out_dir = Path(request.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lib_hash = library_hash()
    scope = sha256_bytes(figures_bytes, lib_hash.encode())
    memo = load_memo(out_dir, scope)
    jobs = plan(request, df, pairs=pairs, memo=memo, lib_hash=lib_hash)
    cache = load_cache(out_dir)
    todo = [job for job in jobs if request.force or not is_fresh(job, cache, out_dir)]
    print(
        f"briefings: {len(jobs)} selected, {len(jobs) - len(todo)} unchanged, {len(todo)} to build",
        file=sys.stderr,
    )
    failures: list[Result] = []
    progress = Progress(len(todo), request.progress)

    def on_result(result: Result) -> None:
        job = result.job
        if result.ok:
            cache[job.rel] = {
                "key": job.key,
                "name": job.name,
                "code": job.code,
                "slug": job.slug,
                "regime": job.regime,
                "year": job.year,
                "lang": job.lang,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        else:
            failures.append(result)
            cache.pop(job.rel, None)
            for path in output_paths(out_dir, job):  # no stale briefing that looks current
                path.unlink(missing_ok=True)
        progress.update(result)

    try:
        run_jobs(todo, request, on_result)
    finally:
        progress.close()
        save_cache(out_dir, cache, memo, scope)
        write_index(out_dir, cache, data_version(figures_bytes), failures)
    built = len(todo) - len(failures)
    print(
        f"built {built}, unchanged {len(jobs) - len(todo)}, failed {len(failures)} -> {out_dir}",
        file=sys.stderr,
    )
    if failures:
        print("\n" + summary_table(failures), file=sys.stderr)
        return 1
    return 0
