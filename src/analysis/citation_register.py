"""The hand-kept lists a citation is looked up in: the register of per-row sources
(`data/raw/sources/sources.csv`: an article's publisher, title, date, and the original of a copy),
the publishers' tables that many-source sheets cite row by row (`data/source_publishers.csv`, with
the publisher's own site when the address is a copy of its table), and the sites that republish
other outlets' articles (`data/mirror_hosts.csv`). Read here, once; `analysis.citations` cites from
them."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

from analysis import config
from analysis.errors import InputFileError

REGISTER_COLUMNS = ("url", "site", "publisher", "title", "title_lang", "published", "checked", "original_url")
OPTIONAL_COLUMNS = ("original_url",)  # a register without it has no copy with a known original


def site(url: str) -> str:
    """The site of an address, without www./m./lite. ("https://www.vietnam.vn/x" → "vietnam.vn")."""
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.").removeprefix("m.").removeprefix("lite.")


def is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://"))


def read_register(path: Path) -> dict[str, dict]:
    """The register of per-row sources (address → publisher, title, title_lang, published, checked);
    {} when the raw folder has none. A register that cannot be read is an error naming the file."""
    if not path.is_file():
        return {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            need = [c for c in REGISTER_COLUMNS if c not in OPTIONAL_COLUMNS]
            missing = [c for c in need if c not in (reader.fieldnames or ())]
            if missing:
                raise InputFileError(path, f"the register lacks the column(s) {', '.join(missing)}")
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(path, f"cannot read the register of sources: {exc}") from exc
    out: dict[str, dict] = {}
    for n, row in enumerate(rows, start=2):
        url = (row.get("url") or "").strip()
        if not is_url(url):
            raise InputFileError(path, f"row {n}: {url!r} is not an address")
        if bool((row.get("title") or "").strip()) != bool((row.get("title_lang") or "").strip()):
            raise InputFileError(path, f"row {n}: a title needs its language (title_lang), and only a title")
        original = (row.get("original_url") or "").strip()
        if original and not is_url(original):
            raise InputFileError(path, f"row {n}: original_url {original!r} is not an address")
        out[url] = {k: (v or "").strip() for k, v in row.items() if k}
    return out


@cache
def known_sources() -> tuple[dict[str, str], ...]:
    """Addresses of publishers' tables that many-source sheets cite row by row (data file), longest first;
    a copy elsewhere names the publisher's own site (`original_url`), the notes then give both addresses."""
    with (config.PACKAGE_DATA / "source_publishers.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(sorted(csv.DictReader(fh), key=lambda r: -len(r["prefix"])))


@cache
def mirror_hosts() -> frozenset[str]:
    """Sites that republish other outlets' articles (data file): a page there is cited as a copy."""
    with (config.PACKAGE_DATA / "mirror_hosts.csv").open(encoding="utf-8", newline="") as fh:
        return frozenset(r["host"].strip().removeprefix("www.") for r in csv.DictReader(fh))
