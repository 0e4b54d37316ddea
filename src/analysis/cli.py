"""Command line: `analysis resolve|clean|ingest|extract|accept|reports|preview|overview`.

Errors in the input end as one clear line and exit code 2; no traceback reaches the user
unless --debug is given.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import difflib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from analysis import config
from analysis.errors import AnalysisError, os_error_line, printable


def _cmd_resolve(args: argparse.Namespace) -> int:
    from analysis.provinces import explain, validate

    status = 0
    for name in args.names:
        try:
            res = validate(name, args.year)
        except AnalysisError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 2
            continue
        print(json.dumps(res.to_dict(), ensure_ascii=False))
        if line := explain(res):
            print(line, file=sys.stderr)
    return status


def _cmd_clean(args: argparse.Namespace) -> int:
    from analysis.clean.report import up_to_date

    raw, out = Path(args.raw), Path(args.out)
    if not args.force and (manifest := up_to_date(raw, out)) is not None:
        t = manifest["totals"]
        print(
            f"{out} is up to date: no file under {raw} and no clean-stage code changed since "
            f"{manifest.get('built_at', 'the last clean')} ({t['kept']} rows kept, {t['rejected']} rejected; "
            "--force cleans again)",
            file=sys.stderr,
        )
        return 0
    from analysis.clean.stage import run_clean

    result = run_clean(raw, out)
    if result.unreadable:  # outputs are written; the analyst must still not publish from them
        from analysis.errors import UnreadableInputsError

        raise UnreadableInputsError(result.unreadable)
    return 0 if result.ok else 1


def _cmd_ingest(args: argparse.Namespace) -> int:
    from analysis.clean.check import ingest_to_csv

    return ingest_to_csv([Path(f) for f in args.files], Path(args.out) if args.out else None)


def _cmd_extract(args: argparse.Namespace) -> int:
    from analysis.extract.core import extract_to_csv

    return extract_to_csv([Path(f) for f in args.files], Path(args.out))


def _cmd_accept(args: argparse.Namespace) -> int:
    from analysis.extract.core import accept_to_sheet

    decisions = Path(args.decisions) if args.decisions else None
    return accept_to_sheet(Path(args.candidates), Path(args.out_dir), decisions, replace=args.replace)


def _data_years(clean: Path) -> list[int]:
    """The years of the clean table (for 'all' and ranges checked against the data)."""
    import pyarrow.parquet as pq

    from analysis.errors import InputFileError

    path = Path(clean) / "figures.parquet"
    try:
        return sorted({int(y) for y in pq.read_table(path, columns=["year"]).column("year").to_pylist()})
    except (OSError, ValueError) as exc:
        raise InputFileError(
            path, f"years 'all' needs the clean table: run `make data` first ({exc})"
        ) from None


def selection(args: argparse.Namespace) -> dict[str, str]:
    """The selection options checked and spelled out: years '2019-2021' or 'all' as a list, names
    ('all' = every province), languages. One reading for `reports` and `preview` (analysis.selection).
    """
    from analysis import selection as sel

    available = _data_years(Path(args.clean)) if sel.needs_data(args.years) else None
    years = sel.parse_years(args.years, available)
    names = sel.parse_names(args.provinces)
    langs = sel.parse_langs(args.lang)
    return {
        "provinces": ",".join(names),
        "years": ",".join(str(y) for y in years),
        "langs": ",".join(langs),
    }


def _cmd_reports(args: argparse.Namespace) -> int:
    from analysis.build.build import BuildRequest, run_reports

    chosen = selection(args)
    request = BuildRequest.from_cli(
        provinces=chosen["provinces"],
        years=chosen["years"],
        langs=chosen["langs"],
        jobs=args.jobs,
        force=args.force,
        clean_dir=Path(args.clean),
        out_dir=Path(args.out),
        notebook=Path(args.notebook),
        wait=not args.no_wait,
        allow_incomplete=args.allow_incomplete,
        timeout=args.timeout,
        briefing_timeout=args.briefing_timeout,
    )
    from analysis.build.procs import sigterm_as_interrupt

    scheduler = args.scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    with sigterm_as_interrupt():
        return run_reports(request, scheduler=scheduler)


def _cmd_preview(args: argparse.Namespace) -> int:
    from analysis.build.jobs import BuildRequest
    from analysis.build.preview import run_preview

    chosen = selection(args)
    if len(chosen["provinces"].split(",")) != 1 or not chosen["provinces"]:
        raise AnalysisError("preview builds one briefing: give one province, e.g. --province 'Nghệ An'")
    if len(chosen["years"].split(",")) > 1 or len(chosen["langs"].split(",")) > 1:
        raise AnalysisError(
            "preview builds one briefing: give one year and one language (make reports builds more)"
        )
    request = BuildRequest.from_cli(
        provinces=chosen["provinces"],
        years=chosen["years"],
        langs=chosen["langs"],
        jobs=1,
        force=True,
        clean_dir=Path(args.clean),
        out_dir=Path(args.out),
        notebook=Path(args.notebook),
    )
    from analysis.build.procs import sigterm_as_interrupt

    # data/raw is cleaned into --clean when it changes; with another --clean only if --raw is given
    # (a test's or a copy's clean table is never overwritten from this checkout's raw files).
    same = Path(args.clean).resolve() == config.CLEAN_DIR.resolve()
    raw = Path(args.raw) if args.raw else (config.RAW_DIR if same else None)
    port = None if args.no_serve else args.port
    with sigterm_as_interrupt():
        return run_preview(request, interval=args.interval, pdf=args.pdf, raw_dir=raw, port=port)


def _cmd_new_section(args: argparse.Namespace) -> int:
    from analysis.briefing.scaffold import new_section

    for path in new_section(args.name, key=args.key, after=args.after):
        print(f"wrote {path}")
    test = f"tests/unit/briefing/sections/test_section_{args.name}.py"
    print(f"next: edit rows/compute/render in the module, then .venv/bin/python -m pytest -q {test}")
    return 0


def _cmd_overview(args: argparse.Namespace) -> int:
    """(Re)write the national overview pages and CSVs beside briefings already built."""
    from analysis.national.command import overview_command
    from analysis.outputs.registry import links

    return overview_command(Path(args.clean), Path(args.out), args.years, links())


def _cmd_audit(args: argparse.Namespace) -> int:
    """Check every briefing against the rule book; exit 1 on any violation (analysis.national.audit)."""
    from analysis.national.audit import run_cli

    return run_cli(args.clean, args.years, args.lang, args.provinces, args.jobs)


class _Help(argparse.RawDescriptionHelpFormatter):
    """Help that shows every default that says something and keeps the examples' line breaks."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if action.default not in (None, False, "", argparse.SUPPRESS) and "%(default)" not in text:
            text += " (default: %(default)s)"
        return text


class _Parser(argparse.ArgumentParser):
    """An argument parser that answers a mistyped option with the closest one ("did you mean")."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments:"):
            known = [o for a in self._actions for o in a.option_strings]
            if self._subparsers is not None:  # the top parser: look into the chosen subcommand's options
                for action in self._subparsers._group_actions:
                    for sub in getattr(action, "choices", {}).values():
                        known += [o for a in sub._actions for o in a.option_strings]
            for word in message.split(":", 1)[1].split():
                close = difflib.get_close_matches(word.split("=")[0], known, n=1, cutoff=0.6)
                if close:
                    message += f" (did you mean {close[0]}?)"
                    break
        super().error(message)


def _sub(sub, name: str, help: str, example: str) -> argparse.ArgumentParser:
    return sub.add_parser(
        name, help=help, description=help, epilog=f"example:\n  {example}", formatter_class=_Help
    )


def _selection(p: argparse.ArgumentParser, one: bool) -> None:
    """The selection options of `reports` and `preview`: singular and plural spellings both work."""
    what = "one province, any spelling" if one else "comma-separated names, any spelling, or 'all'"
    p.add_argument("--provinces", "--province", dest="provinces", default="", help=what + " (empty: all)")
    years = "one year" if one else "years: 2024, 2019-2021, 2018,2020 or 'all'"
    p.add_argument("--years", "--year", dest="years", default="", help=years + " (empty: latest with data)")
    langs = "vi or en" if one else "vi, en, vi,en or all"
    p.add_argument("--lang", "--langs", dest="lang", default="vi", help=langs)
    p.add_argument("--clean", default=str(config.CLEAN_DIR), help="clean data directory")
    p.add_argument("--notebook", default=str(config.TEMPLATE_NOTEBOOK), help="template notebook")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="analysis", description=__doc__.splitlines()[0], formatter_class=_Help)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = _sub(
        sub,
        "resolve",
        "resolve province names to codes (one JSON line each)",
        "analysis resolve 'Yên Bái' --year 2025",
    )
    p.add_argument("names", nargs="+", metavar="NAME", help="province names, any spelling")
    p.add_argument("--year", type=int, default=None, help="assessment year (>= 2025: the 34 provinces)")
    p.set_defaults(func=_cmd_resolve)

    p = _sub(
        sub,
        "clean",
        "clean data/raw into data/clean (only when the raw inputs changed)",
        "analysis clean --force",
    )
    p.add_argument("--raw", default=str(config.RAW_DIR), help="raw inputs (figure sheets, workbooks)")
    p.add_argument("--out", default=str(config.CLEAN_DIR), help="where the clean table goes")
    p.add_argument("--force", action="store_true", help="clean even when no raw input changed")
    p.set_defaults(func=_cmd_clean)

    p = _sub(
        sub,
        "ingest",
        "check official index workbooks (what make data would keep)",
        "analysis ingest PCI_2019.xlsx --out /tmp/check.csv",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="workbooks (.xlsx, .xls), anywhere on disk")
    p.add_argument("--out", default=None, help="also write OUT.csv, OUT.rejects.csv, OUT.not_imported.csv")
    p.set_defaults(func=_cmd_ingest)

    p = _sub(
        sub,
        "extract",
        "find figures in report texts, for review",
        "analysis extract report.txt --out /tmp/candidates.csv",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="report texts (.txt, UTF-8)")
    p.add_argument("--out", required=True, help="candidates CSV to review (keep it out of the repo)")
    p.set_defaults(func=_cmd_extract)

    p = _sub(
        sub,
        "accept",
        "turn accepted candidate figures into a figure sheet",
        "analysis accept /tmp/candidates.csv",
    )
    p.add_argument("candidates", help="a candidates CSV from `analysis extract`, its accept column marked")
    p.add_argument("--out-dir", default=str(config.FIGURES_DIR), help="where the figure sheet goes")
    p.add_argument(
        "--decisions", default=None, help="CSV (source,start,end,accept) overriding the accept column"
    )
    p.add_argument(
        "--replace", action="store_true", help="replace the sheet (default: add); a backup is kept"
    )
    p.set_defaults(func=_cmd_accept)

    p = _sub(
        sub,
        "reports",
        "build the briefings (HTML, PDF, CSV, Word)",
        "analysis reports --provinces 'Nghệ An' --years 2019-2021 --lang vi,en",
    )
    _selection(p, one=False)
    p.add_argument("--jobs", type=int, default=0, help="parallel workers (0: all cores)")
    p.add_argument("--force", action="store_true", help="rebuild even when inputs are unchanged")
    p.add_argument("--out", default=str(config.REPORTS_DIR), help="output directory")
    p.add_argument(
        "--no-wait", action="store_true", help="stop instead of waiting when another build writes into --out"
    )
    p.add_argument("--timeout", type=int, default=600, help="seconds a cell may run")
    p.add_argument("--briefing-timeout", type=int, default=1800, help="seconds per briefing")
    p.add_argument("--allow-incomplete", action="store_true", help="build from an incomplete clean")
    p.add_argument(
        "--scheduler",
        default="",
        help="build on a Dask cluster: its scheduler's address, e.g. tcp://host:8786 "
        "(default: $DASK_SCHEDULER_ADDRESS; unset: this machine's cores)",
    )
    p.set_defaults(func=_cmd_reports)

    p = _sub(
        sub,
        "preview",
        "build one briefing, then rebuild it on every change (Ctrl-C stops)",
        "analysis preview --province 'Nghệ An' --year 2024 --lang en",
    )
    _selection(p, one=True)
    p.add_argument("--pdf", action="store_true", help="write the PDF too on every rebuild")
    p.add_argument("--interval", type=float, default=0.5, help="seconds between checks for changes")
    p.add_argument(
        "--port", type=int, default=0, help="local port to serve the briefing on (0: any free one)"
    )
    p.add_argument("--no-serve", action="store_true", help="no web server: open the printed HTML file")
    p.add_argument(
        "--raw",
        default="",
        help="raw inputs to clean when they change (default: data/raw with --clean default)",
    )
    p.add_argument("--out", default=str(config.REPORTS_DIR), help="HTML goes into <out>/.preview/")
    p.set_defaults(func=_cmd_preview)

    p = _sub(
        sub,
        "new-section",
        "scaffold a briefing section: module, labels, registry, notebook cell, test",
        "analysis new-section budget --key dti --after online",
    )
    p.add_argument("name", help="the section's name (lower case, e.g. budget)")
    p.add_argument("--key", default="dti", help="the indicator it starts from (a key of indicators.csv)")
    p.add_argument("--after", default="online", help="the section it follows in the briefing")
    p.set_defaults(func=_cmd_new_section)

    p = _sub(
        sub,
        "overview",
        "write the national overview pages and CSVs (make reports does)",
        "analysis overview --years 2024",
    )
    p.add_argument(
        "--years",
        "--year",
        dest="years",
        default="",
        help="years as for reports (empty: the years built in --out)",
    )
    p.add_argument("--clean", default=str(config.CLEAN_DIR), help="clean data directory")
    p.add_argument("--out", default=str(config.REPORTS_DIR), help="the reports directory")
    p.set_defaults(func=_cmd_overview)

    p = _sub(
        sub,
        "audit",
        "check every briefing 2005-2025 against the rule book (exit 1 on any violation)",
        "analysis audit --years 2023-2025 --lang vi,en",
    )
    p.add_argument("--years", default="2005-2025", help="years: 2024 or 2005-2025 or 2023,2024")
    p.add_argument("--lang", default="vi,en", help="languages")
    p.add_argument("--provinces", default="", help="province slugs or names (default: all)")
    p.add_argument("--jobs", type=int, default=2, help="processes (one year each at a time)")
    p.add_argument("--clean", default=str(config.CLEAN_DIR), help="clean data directory")
    p.set_defaults(func=_cmd_audit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (AnalysisError, OSError) as exc:  # OSError: a read-only folder, a full disk or TMPDIR
        if args.debug:
            raise
        line = os_error_line(exc) if isinstance(exc, OSError) else printable(exc, keep="\n")
        print(f"error: {line}", file=sys.stderr)
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
