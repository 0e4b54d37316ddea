"""Smaller recoveries: a build cache that is valid JSON but damaged is rebuilt with one warning line; a
deleted take-away CSV is rebuilt; a notebook caught between an editor's two writes does not end the
preview (it waits and reads it again)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from analysis.build.jobs import BuildRequest
from analysis.build.preview import run_preview
from analysis.cli import main
from build_helpers import notebook, write_figures


def _reports(tmp_path: Path, template: Path) -> int:
    clean, out = tmp_path / "clean", tmp_path / "out"
    args = ["reports", "--provinces", "Nghệ An,Lào Cai", "--years", "2018", "--jobs", "1"]
    return main([*args, "--clean", str(clean), "--out", str(out), "--notebook", str(template)])


@pytest.mark.parametrize(
    "damage",
    [
        lambda entries: {rel: "ok" for rel in entries},  # strings where entries were
        lambda entries: {rel: {**e, "year": "2018"} for rel, e in entries.items()},  # a year as text
        lambda entries: {rel: {k: v for k, v in e.items() if k != "slug"} for rel, e in entries.items()},
        lambda entries: list(entries.values()),  # not a mapping at all
    ],
    ids=["strings", "text-year", "no-slug", "list"],
)
def test_a_damaged_cache_of_valid_json_is_rebuilt_with_a_line(tmp_path, capsys, damage):
    write_figures(tmp_path / "clean")
    template = notebook(tmp_path / "t.ipynb")
    assert _reports(tmp_path, template) == 0
    cache = tmp_path / "out" / ".build-cache.json"
    body = json.loads(cache.read_text(encoding="utf-8"))
    body["entries"] = damage(body["entries"])
    cache.write_text(json.dumps(body), encoding="utf-8")
    capsys.readouterr()
    assert _reports(tmp_path, template) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("was damaged") == 1 and "2 to build" in err
    rebuilt = json.loads(cache.read_text(encoding="utf-8"))["entries"]
    assert set(rebuilt) == {"2018/vi/nghe-an", "2018/vi/lao-cai"}
    assert "older data" not in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_a_deleted_takeaway_csv_is_rebuilt(tmp_path, capsys):
    write_figures(tmp_path / "clean")
    template = notebook(tmp_path / "t.ipynb")
    assert _reports(tmp_path, template) == 0
    csv = tmp_path / "out" / "2018" / "vi" / "nghe-an.csv"
    csv.unlink()
    capsys.readouterr()
    assert _reports(tmp_path, template) == 0
    assert "1 unchanged, 1 to build" in capsys.readouterr().err
    assert csv.exists()


@pytest.mark.slow
def test_preview_waits_for_a_notebook_saved_in_two_writes(tmp_path):
    clean, out = tmp_path / "clean", tmp_path / "out"
    write_figures(clean)
    nb = notebook(tmp_path / "nb.ipynb")
    full = notebook(
        tmp_path / "next.ipynb", 'display(HTML("<p class=\\"second\\">second version</p>"))'
    ).read_text()
    request = BuildRequest.from_cli("Nghệ An", "2018", "vi", 1, True, clean, out, notebook=nb)
    said: list[str] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            run_preview(request, interval=0.2, stop=stop, say=said.append)
        except BaseException as exc:  # the test fails on any
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        deadline = time.monotonic() + 120
        while not any(s.startswith("watching") for s in said) and time.monotonic() < deadline:
            time.sleep(0.1)
        nb.write_text(full[: len(full) // 2], encoding="utf-8")  # the editor's first write
        time.sleep(0.5)
        nb.write_text(full, encoding="utf-8")  # and its second
        deadline = time.monotonic() + 120
        while not any(s.startswith("rebuilt") for s in said) and time.monotonic() < deadline and not errors:
            time.sleep(0.1)
        page = (out / ".preview" / "2018" / "vi" / "nghe-an.html").read_text(encoding="utf-8")
        assert "second version" in page, said
        nb.write_text("{ not json", encoding="utf-8")  # an editor that stops half-way
        deadline = time.monotonic() + 60
        while not any("not a valid notebook" in s for s in said) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert any("not a valid notebook yet" in s for s in said), said
        assert thread.is_alive() and not errors
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not errors, errors
