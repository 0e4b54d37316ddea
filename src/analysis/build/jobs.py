"""What a build will do: the request, one Job per briefing with its rebuild key, and the key cache.

Nothing here starts a process or imports the notebook's heavy libraries: the build's parent
process plans with it before any briefing work (and `analysis preview` re-plans with it on every
change). Keys are computed by build.plan.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis import config
from analysis.briefing import contract
from analysis.errors import AnalysisError, InputFileError

if TYPE_CHECKING:  # pandas is imported where it is used: the build starts its kernel before paying for it
    import pandas as pd

LANGS = ("vi", "en")
CACHE_NAME = ".build-cache.json"
CACHE_VERSION = 1


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
    briefing_timeout: int = 1800  # seconds per briefing (all its cells together)
    progress: bool | None = None  # None: a bar on a TTY, plain lines otherwise
    wait: bool = True  # another build writing into out_dir: wait for it (False: stop with an error)
    allow_incomplete: bool = False  # build from a clean whose manifest says inputs could not be read

    @property
    def time_limits(self) -> tuple[int, int]:
        """(a cell's, a briefing's) seconds, as a kernel takes them."""
        return (self.timeout, self.briefing_timeout)

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
        from analysis import selection  # one reading of names, years and languages (CLI, Jupyter, build)

        names = selection.parse_names(provinces)
        year_list = selection.parse_years(years)
        lang_list = selection.parse_langs(langs)
        if jobs < 0:
            raise AnalysisError(f"--jobs: {jobs} must be 0 (all cores) or more")
        for name in ("timeout", "briefing_timeout"):
            if int(extra.get(name, 1)) < 1:
                raise AnalysisError(f"--{name.replace('_', '-')}: {extra[name]} must be at least 1 second")
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
        """The page title, PDF running head and Word title (the briefing's contract says it)."""
        return contract.title(self.code, self.regime, self.name, self.year, self.lang)

    def parameters(self) -> dict[str, Any]:
        """What the notebook receives: the resolved code and regime, so it never resolves again."""
        return contract.parameters(
            self.asked or self.name, self.code, self.regime, self.year, self.lang, self.clean_dir
        )


@dataclass
class Result:
    """One briefing's outcome; `files` holds each format's bytes by suffix (written by the build)."""

    job: Job
    ok: bool
    step: str = ""
    error: str = ""
    seconds: float = 0.0
    files: dict[str, bytes] = field(default_factory=dict)
    notebook: str = ""  # a failed briefing's executed notebook, kept for the analyst (failed_notebook)
    kind: str = "own"  # a failure's kind: "own" (the briefing's) or "env" (build.publish)


FAILED_DIR = ".failed"  # <out>/.failed/<year>/<lang>/<slug>.ipynb: executed notebooks of failed briefings


def failed_notebook(out_dir: Path, job: Job) -> Path:
    """Where a failed briefing's executed notebook (outputs and traceback) is kept until it builds."""
    return (Path(out_dir) / FAILED_DIR / job.rel).with_suffix(".ipynb")


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
    from analysis.selection import check_year

    have = sorted({int(y) for y in df["year"].unique()})
    for year in years:
        check_year(year, have, what="--years:")


def data_version(figures_parquet: bytes) -> str:
    """The clean table's version: the same sha256 prefix as `data_version` in manifest.json."""
    return hashlib.sha256(figures_parquet).hexdigest()[:12]


def select(request: BuildRequest, df: pd.DataFrame) -> list[Selected]:
    """(Province, year) pairs to build, in a stable order; unknown names raise UnknownProvinceError,
    years outside the data an AnalysisError."""
    check_years(request.years, df)
    years = list(request.years) or [contract.default_year(df)]
    return resolve(request, years)


def resolve(request: BuildRequest, years: Sequence[int]) -> list[Selected]:
    """The request's provinces resolved for each year, from the registry alone (the one resolution:
    the notebook receives code and regime and never resolves again)."""
    from analysis import provinces

    chosen: dict[tuple[str, str, int], Selected] = {}
    for year in years:
        if request.provinces:
            found = []
            for name in request.provinces:
                res = provinces.validate(name, year)  # the one check: Hà Tây in 2007 is refused here
                asked = res.successor_of.name if res.successor_of else ""
                found.append(Selected(res.province, year, asked, provinces.explain(res) or ""))
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
    note: str = ""  # 'Yên Bái → Lào Cai, 34 provinces from 2025-07-01' (provinces.explain)

    def __iter__(self):  # (province, year), as before
        return iter((self.province, self.year))


def make_job(province: Any, year: int, lang: str, clean_dir: str, asked: str = "", key: str = "") -> Job:
    """A Job for a resolved province (the one constructor, so an early run and the plan agree)."""
    return Job(
        province.name, province.code, province.slug, province.regime, year, lang, key, clean_dir, asked
    )


# ---------------------------------------------------------------- cache


def output_path(out_dir: Path, job: Job, suffix: str) -> Path:
    """Where the briefing's file of one format goes: `<out>/<year>/<lang>/<slug><suffix>`."""
    return Path(out_dir) / f"{job.rel}{suffix}"


def complete_on_disk(out_dir: Path, rels: Sequence[str], suffixes: Sequence[str]) -> frozenset[str]:
    """The briefings ("year/lang/slug") whose every format's file is on disk."""
    return frozenset(rel for rel in rels if all((Path(out_dir) / f"{rel}{s}").exists() for s in suffixes))


def _read_cache(out_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((Path(out_dir) / CACHE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == CACHE_VERSION else {}


_ENTRY_FIELDS = {"key": str, "name": str, "code": str, "slug": str, "regime": str, "year": int, "lang": str}


def load_cache(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Built briefings by "year/lang/slug": their key and who they are (for the index).

    A cache that is valid JSON but not ours in shape (edited by hand, damaged) is not trusted: its
    bad entries are dropped, so those briefings are rebuilt, and the build says so in one line."""
    entries = _read_cache(out_dir).get("entries", {})
    if not isinstance(entries, dict):
        entries = {"": entries}
    good = {rel: entry for rel, entry in entries.items() if _entry_ok(rel, entry)}
    if len(good) != len(entries):
        import sys

        from analysis.errors import printable

        print(
            f"warning: {printable(Path(out_dir) / CACHE_NAME)} was damaged "
            f"({len(entries) - len(good)} entries not readable): those briefings are rebuilt",
            file=sys.stderr,
        )
    return good


def _entry_ok(rel: str, entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    if not all(
        isinstance(entry.get(k), t) and not isinstance(entry.get(k), bool) for k, t in _ENTRY_FIELDS.items()
    ):
        return False
    return rel == f"{entry['year']}/{entry['lang']}/{entry['slug']}"


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


def is_fresh(job: Job, cache: dict[str, dict[str, Any]], present: frozenset[str] | set[str]) -> bool:
    """Built with this key, and every format's file is on disk (`present`: complete_on_disk)."""
    entry = cache.get(job.rel)
    return bool(entry and entry.get("key") == job.key and job.rel in present)
