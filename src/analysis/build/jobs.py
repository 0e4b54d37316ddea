"""What a build will do: the request, one Job per briefing with its rebuild key, and the key cache.

Nothing here starts a process or imports the notebook's heavy libraries: the build's parent
process plans with it before any briefing work (and `analysis preview` re-plans with it on every
change). A briefing's key is exact: template notebook bytes, the library's files, the rows the
briefing reads (`briefing.inputs.briefing_inputs`), its parameters and the exporter versions.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import config
from analysis.errors import AnalysisError, InputFileError

if TYPE_CHECKING:  # pandas is imported where it is used: the build starts its kernel before paying for it
    import pandas as pd

LANGS = ("vi", "en")
CACHE_NAME = ".build-cache.json"
CACHE_VERSION = 1
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
    wait: bool = True  # another build writing into out_dir: wait for it (False: stop with an error)
    allow_incomplete: bool = False  # build from a clean whose manifest says inputs could not be read

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
        if (provinces or "").strip() and not names:
            raise AnalysisError(f"--provinces: {provinces!r} names no province (use e.g. 'Nghệ An,Lào Cai')")
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
    """One briefing to build; picklable, sent to a worker.

    The province is resolved once, here: `code` + `regime` say which province it is, `name` is its
    registry name (titles, index), `asked` the province the user named, e.g. "Vĩnh Phúc" for 2025,
    whose briefing is Phú Thọ's, with a note on the merger.
    """

    name: str
    code: str
    slug: str
    regime: str
    year: int
    lang: str
    key: str
    clean_dir: str
    asked: str = ""
    notice: str = ""  # said at the top of the briefing (a clean that could not read an input)

    @property
    def rel(self) -> str:
        return f"{self.year}/{self.lang}/{self.slug}"

    @property
    def title(self) -> str:
        """The page title and PDF running head: the briefing's own heading (one title, in labels)."""
        from analysis import provinces
        from analysis.briefing.labels import briefing_title

        name = provinces.get(self.code, self.regime).name_en if self.lang == "en" else self.name
        return briefing_title(name, self.year, self.lang)

    def parameters(self) -> dict[str, Any]:
        """What the notebook receives: the resolved code and regime, so it never resolves again."""
        return {
            "province": self.asked or self.name,
            "province_code": self.code,
            "regime": self.regime,
            "year": self.year,
            "lang": self.lang,
            "clean_dir": self.clean_dir,
        }


@dataclass
class Result:
    job: Job
    ok: bool
    step: str = ""
    error: str = ""
    seconds: float = 0.0
    kind: str = "own"  # a failure's kind: "own" (the briefing's) or "env" (build.publish)
    staged: list[tuple[str, str]] = field(default_factory=list)  # (temporary, published) to commit


def sha256_bytes(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def library_hash(root: Path = config.PACKAGE_DIR, raw_dir: Path = config.RAW_DIR) -> str:
    """Hash of the package's source, templates and data files, and of the provenance sidecars the
    citations read (`data/raw/**/*.meta.json`): a code change or a corrected citation rebuilds
    everything."""
    parts = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc", ".pyo"}:
            parts += [path.relative_to(root).as_posix().encode(), path.read_bytes()]
    for path in sorted(Path(raw_dir).glob("*/*.meta.json")):
        parts += [path.relative_to(raw_dir).as_posix().encode(), path.read_bytes()]
    from importlib import metadata  # here, not at the top: the one-briefing build starts its kernel first

    versions = []
    for pkg in _KEY_PACKAGES:
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


def _briefing_inputs(df: pd.DataFrame, code: str, regime: str, year: int) -> pd.DataFrame:
    from analysis.briefing.inputs import briefing_inputs

    return briefing_inputs(df, code, regime, year)


def read_figures(clean_dir: Path) -> pd.DataFrame:
    return load_figures(read_figures_bytes(clean_dir), Path(clean_dir) / "figures.parquet")


def read_figures_bytes(clean_dir: Path) -> bytes:
    path = Path(clean_dir) / "figures.parquet"
    if not path.is_file():
        raise InputFileError(path, "missing: run `make data` (analysis clean) first")
    return path.read_bytes()


def load_figures(figures_parquet: bytes, path: Path) -> pd.DataFrame:
    """The clean table, or a clear error saying what to run when it is unreadable or empty."""
    import pandas as pd

    try:
        df = pd.read_parquet(io.BytesIO(figures_parquet))
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise InputFileError(path, f"not a readable clean table ({exc}); run `make data` again") from None
    from analysis.build.dataversion import check_clean_table

    check_clean_table(df, path)  # columns and types, before anything is built from it
    return df


def check_years(years: Sequence[int], df: pd.DataFrame) -> None:
    """Every asked year lies within the data's years (a typo such as -5 or 1900 is not built)."""
    have = sorted({int(y) for y in df["year"].unique()})
    first, last = have[0], have[-1]
    bad = [y for y in years if not first <= y <= last]
    if bad:
        shown = ", ".join(str(y) for y in bad)
        raise AnalysisError(f"--years: {shown} outside the data's years ({first}–{last})")


def data_version(figures_parquet: bytes) -> str:
    """The clean table's version: the same sha256 prefix as `data_version` in manifest.json."""
    return hashlib.sha256(figures_parquet).hexdigest()[:12]


def select(request: BuildRequest, df: pd.DataFrame) -> list[Selected]:
    """(Province, year) pairs to build, in a stable order; unknown names raise UnknownProvinceError,
    years outside the data an AnalysisError."""
    from analysis import provinces
    from analysis.briefing import inputs

    check_years(request.years, df)
    years = list(request.years) or [inputs.default_year(df)]
    chosen: dict[tuple[str, str, int], Selected] = {}
    for year in years:
        if request.provinces:
            found = []
            for name in request.provinces:
                res = provinces.resolve(name, year)
                found.append(Selected(res.province, year, res.successor_of.name if res.successor_of else ""))
        else:
            found = [Selected(p, year) for p in provinces.all_provinces(provinces.regime_for_year(year))]
        for sel in found:
            chosen.setdefault((sel.province.regime, sel.province.code, year), sel)
    return sorted(chosen.values(), key=lambda s: (s.year, s.province.slug))


@dataclass(frozen=True)
class Selected:
    """A province resolved for a year, and the former province asked for, if a merger mapped it."""

    province: Any
    year: int
    asked: str = ""

    def __iter__(self):  # (province, year), as before
        return iter((self.province, self.year))


def make_job(province: Any, year: int, lang: str, clean_dir: str, asked: str = "", key: str = "") -> Job:
    """A Job for a resolved province (the one constructor, so an early run and the plan agree)."""
    return Job(
        province.name, province.code, province.slug, province.regime, year, lang, key, clean_dir, asked
    )


def plan(
    request: BuildRequest,
    df: pd.DataFrame,
    inputs: Callable[[pd.DataFrame, str, str, int], pd.DataFrame] = _briefing_inputs,
    pairs: Sequence[Selected | tuple[Any, int]] | None = None,
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
    for pair in pairs:
        province, year = pair
        asked = getattr(pair, "asked", "")
        slot = f"{province.code}/{province.regime}/{year}"
        if slot not in memo:
            memo[slot] = frame_hash(inputs(df, province.code, province.regime, year))
        data_hash = memo[slot]
        for lang in request.langs:
            job = make_job(province, year, lang, clean_dir, asked)
            key = briefing_key(nb_hash, lib_hash, data_hash, job.parameters() | {"title": job.title})
            jobs.append(Job(**(asdict(job) | {"key": key})))
    return jobs


# ---------------------------------------------------------------- cache


def output_paths(out_dir: Path, job: Job) -> tuple[Path, Path]:
    base = Path(out_dir) / job.rel
    return base.with_suffix(".html"), base.with_suffix(".pdf")


def csv_path(out_dir: Path, job: Job) -> Path:
    """The briefing's figures to take away, beside its HTML and PDF (the notes section links it)."""
    return (Path(out_dir) / job.rel).with_suffix(".csv")


def _read_cache(out_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((Path(out_dir) / CACHE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == CACHE_VERSION else {}


_ENTRY_FIELDS = {"key": str, "name": str, "code": str, "slug": str, "regime": str, "year": int, "lang": str}


def load_cache(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Built briefings by "year/lang/slug": their key and who they are (for the index).

    A cache that is valid JSON but not ours in shape (edited by hand, another version's, damaged) is
    not trusted: its bad entries are dropped, so those briefings are rebuilt, and the build says so."""
    entries = _read_cache(out_dir).get("entries", {})
    if not isinstance(entries, dict):
        entries = {"": entries}
    good = {
        rel: entry
        for rel, entry in entries.items()
        if isinstance(entry, dict)
        and all(
            isinstance(entry.get(k), t) and not isinstance(entry.get(k), bool)
            for k, t in _ENTRY_FIELDS.items()
        )
        and rel == f"{entry['year']}/{entry['lang']}/{entry['slug']}"
    }
    if len(good) != len(entries):
        import sys

        from analysis.errors import printable

        print(
            f"warning: {printable(Path(out_dir) / CACHE_NAME)} was damaged "
            f"({len(entries) - len(good)} entries not readable): those briefings are rebuilt",
            file=sys.stderr,
        )
    return good


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
    """Built with this key, and every file of its set is there (a deleted CSV is rebuilt too)."""
    entry = cache.get(job.rel)
    files = (*output_paths(out_dir, job), csv_path(out_dir, job))
    return bool(entry and entry.get("key") == job.key and all(p.exists() for p in files))
