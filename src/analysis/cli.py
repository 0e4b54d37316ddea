"""Command line: `analysis resolve|clean|ingest|extract|accept|reports`.

Errors in the input end as one clear line and exit code 2; no traceback reaches the user
unless --debug is given.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from analysis import config
from analysis.errors import AnalysisError, os_error_line, printable


def _cmd_resolve(args: argparse.Namespace) -> int:
    from analysis.provinces import resolve

    status = 0
    for name in args.names:
        try:
            print(json.dumps(resolve(name, args.year).to_dict(), ensure_ascii=False))
        except AnalysisError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 2
    return status


def _cmd_clean(args: argparse.Namespace) -> int:
    from analysis.clean.stage import run_clean

    result = run_clean(Path(args.raw), Path(args.out))
    if result.unreadable:  # outputs are written; the analyst must still not publish from them
        from analysis.errors import UnreadableInputsError

        raise UnreadableInputsError(result.unreadable)
    return 0 if result.ok else 1


def _cmd_ingest(args: argparse.Namespace) -> int:
    from analysis.clean.check import ingest_to_csv

    return ingest_to_csv([Path(f) for f in args.files], Path(args.out))


def _cmd_extract(args: argparse.Namespace) -> int:
    from analysis.extract.core import extract_to_csv

    return extract_to_csv([Path(f) for f in args.files], Path(args.out))


def _cmd_accept(args: argparse.Namespace) -> int:
    from analysis.extract.core import accept_to_sheet

    decisions = Path(args.decisions) if args.decisions else None
    return accept_to_sheet(Path(args.candidates), Path(args.out_dir), decisions, replace=args.replace)


def _cmd_reports(args: argparse.Namespace) -> int:
    from analysis.build.build import BuildRequest, run_reports

    request = BuildRequest.from_cli(
        provinces=args.provinces,
        years=args.years,
        langs=args.lang,
        jobs=args.jobs,
        force=args.force,
        clean_dir=Path(args.clean),
        out_dir=Path(args.out),
        notebook=Path(args.notebook),
        wait=not args.no_wait,
        allow_incomplete=args.allow_incomplete,
    )
    from analysis.build.procs import sigterm_as_interrupt

    with sigterm_as_interrupt():
        return run_reports(request)


def _cmd_preview(args: argparse.Namespace) -> int:
    from analysis.build.jobs import BuildRequest
    from analysis.build.preview import run_preview

    request = BuildRequest.from_cli(
        provinces=args.province,
        years=args.year,
        langs=args.lang,
        jobs=1,
        force=True,
        clean_dir=Path(args.clean),
        out_dir=Path(args.out),
        notebook=Path(args.notebook),
    )
    from analysis.build.procs import sigterm_as_interrupt

    with sigterm_as_interrupt():
        return run_preview(request, interval=args.interval, pdf=args.pdf)


def _cmd_overview(args: argparse.Namespace) -> int:
    """(Re)write the national overview pages and CSVs beside briefings already built."""
    import pandas as pd

    from analysis.errors import InputFileError
    from analysis.national.overview import write_overview

    clean, out = Path(args.clean), Path(args.out)
    if not (clean / "figures.parquet").exists():
        raise InputFileError(clean / "figures.parquet", "missing: run `make data` (analysis clean) first")
    df = pd.read_parquet(clean / "figures.parquet")
    try:
        cache = json.loads((out / ".build-cache.json").read_text(encoding="utf-8")).get("entries", {})
    except (OSError, ValueError):
        cache = {}
    years = [int(y) for y in args.years.split(",") if y.strip()] or sorted(
        {int(e["year"]) for e in cache.values()}
    )
    if not years:
        raise AnalysisError(f"no briefings in {out} and no --years: nothing to overview")
    for path in write_overview(out, df, years, cache):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="analysis", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("resolve", help="resolve province names to codes (one JSON line each)")
    p.add_argument("names", nargs="+", metavar="NAME")
    p.add_argument("--year", type=int, default=None, help="assessment year (>= 2025: the 34 provinces)")
    p.set_defaults(func=_cmd_resolve)

    p = sub.add_parser("clean", help="clean data/raw into data/clean")
    p.add_argument("--raw", default=str(config.RAW_DIR))
    p.add_argument("--out", default=str(config.CLEAN_DIR))
    p.set_defaults(func=_cmd_clean)

    p = sub.add_parser("ingest", help="import official index workbooks to one CSV (for checking)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--out", required=True)
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("extract", help="find figures in report texts, for review")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--out", required=True)
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("accept", help="turn accepted candidate figures into a figure sheet")
    p.add_argument("candidates")
    p.add_argument("--out-dir", default=str(config.FIGURES_DIR))
    p.add_argument(
        "--decisions", default=None, help="CSV (source,start,end,accept) overriding the accept column"
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace the sheet with these accepted rows (default: add to it); the old one is backed up",
    )
    p.set_defaults(func=_cmd_accept)

    p = sub.add_parser("reports", help="build HTML + PDF briefings")
    p.add_argument("--provinces", default="", help="comma-separated names (default: all)")
    p.add_argument("--years", default="", help="comma-separated years (default: latest with data)")
    p.add_argument("--lang", default="vi", help="vi, en or vi,en")
    p.add_argument("--jobs", type=int, default=0, help="parallel workers (default: all cores)")
    p.add_argument("--force", action="store_true", help="rebuild even when inputs are unchanged")
    p.add_argument("--clean", default=str(config.CLEAN_DIR), help="clean data directory")
    p.add_argument("--out", default=str(config.REPORTS_DIR), help="output directory")
    p.add_argument("--notebook", default=str(config.TEMPLATE_NOTEBOOK), help="template notebook")
    p.add_argument(
        "--no-wait", action="store_true", help="stop instead of waiting when another build writes into --out"
    )
    p.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="build even when the clean could not read an input (each briefing then says what is missing)",
    )
    p.set_defaults(func=_cmd_reports)

    p = sub.add_parser("preview", help="build one briefing, then rebuild it on every change (Ctrl-C stops)")
    p.add_argument("--province", required=True, help="one province, any spelling")
    p.add_argument("--year", default="", help="assessment year (default: latest with data)")
    p.add_argument("--lang", default="vi", help="vi or en")
    p.add_argument("--pdf", action="store_true", help="write the PDF too on every rebuild")
    p.add_argument("--interval", type=float, default=0.5, help="seconds between checks for changes")
    p.add_argument("--clean", default=str(config.CLEAN_DIR), help="clean data directory")
    p.add_argument("--out", default=str(config.REPORTS_DIR), help="HTML goes into <out>/.preview/")
    p.add_argument("--notebook", default=str(config.TEMPLATE_NOTEBOOK), help="template notebook")
    p.set_defaults(func=_cmd_preview)

    p = sub.add_parser("overview", help="write the national overview pages and CSVs (make reports does)")
    p.add_argument("--years", default="", help="comma-separated years (default: the years built in --out)")
    p.add_argument("--clean", default=str(config.CLEAN_DIR), help="clean data directory")
    p.add_argument("--out", default=str(config.REPORTS_DIR), help="the reports directory")
    p.set_defaults(func=_cmd_overview)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except AnalysisError as exc:
        if args.debug:
            raise
        print(f"error: {printable(exc, keep=chr(10))}", file=sys.stderr)
        return 2
    except OSError as exc:  # a read-only folder, a full disk or TMPDIR: one line, no traceback
        if args.debug:
            raise
        print(f"error: {os_error_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run() -> NoReturn:
    """The `analysis` console command: `main`, then exit without the interpreter's teardown.

    Why: after a build the interpreter holds some 1,700 modules (pandas, matplotlib, WeasyPrint,
    Jupyter) and spends 0.3-0.5 s freeing them one by one, a tenth of a one-briefing build. Every
    file the commands write is closed by then (atomic writes, closed Parquet writers), so only the
    exit handlers and the standard streams remain to finish.
    """
    code = main()
    atexit._run_exitfuncs()  # what a normal exit runs first (logging's flush, executors' joins)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
