"""The preview's local web server: the briefing as last built, or an error page, reloaded live.

Only what this server sends carries the reload script (a few lines polling `/__version`); the
files on disk, and every published briefing, stay script-free. Standard library only: one
`ThreadingHTTPServer` on 127.0.0.1 in a daemon thread, serving the preview folder.
"""

from __future__ import annotations

import html
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RELOAD = """<script>/* analysis preview: reload when the briefing is rebuilt (never in published files) */
(function(){var v=%s;setInterval(function(){fetch('/__version',{cache:'no-store'}).then(function(r){
return r.text()}).then(function(t){if(t!==String(v))location.reload()}).catch(function(){})},500)})();
</script>"""
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TYPES = {".html": "text/html; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".pdf": "application/pdf"}


def traceback_of(notebook: str | Path | None) -> str:
    """The traceback a failed cell left in its executed notebook (ANSI colours removed), or ''."""
    if not notebook:
        return ""
    try:
        nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return _ANSI.sub("", "\n".join(out.get("traceback", [])))
    return ""


def error_page(title: str, message: str, trace: str = "", notebook: str = "") -> str:
    """A plain page saying the build failed: which cell, the error, the traceback, the kept notebook."""
    kept = f"<p>Executed notebook: <code>{html.escape(notebook)}</code></p>" if notebook else ""
    pre = f"<pre>{html.escape(trace)}</pre>" if trace else ""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Preview failed: "
        f"{html.escape(title)}</title><style>body{{font-family:sans-serif;margin:2em;max-width:60em}}"
        "h1{color:#b00020}pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:13px}</style>"
        f"</head><body><h1>Preview failed</h1><p><strong>{html.escape(title)}</strong></p>"
        f"<p>{html.escape(message)}</p>{pre}{kept}<p>Fix it and save: this page reloads by itself.</p>"
        "</body></html>"
    )


def with_reload(page: str, version: int) -> str:
    """The page with the reload script before </body> (or at the end)."""
    script = RELOAD % version
    at = page.lower().rfind("</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


class PreviewServer:
    """Serves `root` (the preview folder) on 127.0.0.1; `/` redirects to the briefing."""

    def __init__(self, root: Path, port: int = 0):
        self.root = Path(root).resolve()
        self.version = 0
        self.page = ""  # the briefing's path under root, e.g. "2024/vi/nghe-an.html"
        self.override: str | None = None  # an error page shown instead of the file
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="preview-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def start(self) -> PreviewServer:
        self.thread.start()
        return self

    def show(self, page: str, error: str | None = None) -> None:
        """After a build: the briefing's file (`error` None) or an error page; open pages reload."""
        with self._lock:
            self.page, self.override = page, error
            self.version += 1

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # the terminal is for build messages
                pass

            def _send(self, code: int, body: bytes, kind: str = "text/plain; charset=utf-8") -> None:
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # http.server calls it by this name
                path = self.path.split("?", 1)[0].lstrip("/")
                with server._lock:
                    page, override, version = server.page, server.override, server.version
                if path == "__version":
                    return self._send(200, str(version).encode())
                if path in ("", page):
                    if not page:
                        return self._send(503, b"building...")
                    if not path:
                        self.send_response(302)
                        self.send_header("Location", "/" + page)
                        self.end_headers()
                        return None
                    if override is None:
                        try:
                            override = (server.root / page).read_text(encoding="utf-8")
                        except OSError as exc:
                            override = error_page(page, f"the page could not be read: {exc}")
                    return self._send(200, with_reload(override, version).encode(), _TYPES[".html"])
                target = (server.root / path).resolve()
                if server.root not in target.parents or not target.is_file():
                    return self._send(404, b"not found")
                return self._send(
                    200, target.read_bytes(), _TYPES.get(target.suffix, "application/octet-stream")
                )

        return Handler
