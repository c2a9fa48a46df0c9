"""Chart images and PDFs through one warm headless Chromium (Kaleido 1.x): PNG, SVG, print.

Kaleido 1.x drives a Chrome or Chromium; this module uses Debian's `chromium` (or BROWSER_PATH)
and never downloads one. An `ImageRenderer` keeps one browser open on an event loop of its own,
so a batch of images pays the browser start once (about 1.5 s) and then ~0.1 s per image;
the same browser prints the published page to PDF in a tab of its own.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import concurrent.futures
import hashlib
import json
import logging
import os
import shutil
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import kaleido
import plotly.graph_objects as go

from stats.errors import StatsError
from stats.export.layout import WIDTH, chart_title

log = logging.getLogger(__name__)

ImageFormat = Literal["png", "svg"]
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome")
INSTALL_ADVICE = "sudo apt-get install chromium"
# Chromium's print settings: the page's @page rule sets A4, margins and page numbers, so no
# header or footer of Chromium's own; tagged, with the headings as the document outline
PRINT_OPTIONS = {
    "preferCSSPageSize": True,
    "displayHeaderFooter": False,
    "generateTaggedPDF": True,
    "generateDocumentOutline": True,
}
# images drawn in the browser's tab between two reloads of it
RELOAD_EVERY = 100
# PNG pixels per layout pixel: 1600 px across 16 cm is about 250 dpi in print
SCALE = 2


class ImageError(StatsError):
    """A chart image could not be made: the browser failed to start or to render."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        # what an export wrote before it gave up on the images
        self.written: list[Path] = []


class NoBrowser(ImageError):
    """No Chrome or Chromium was found; the message says what to install."""


def find_browser() -> Path | None:
    """BROWSER_PATH if it is an executable, else chromium, chromium-browser or google-chrome."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        path = Path(configured)
        if path.is_file() and os.access(path, os.X_OK):
            return path
        log.warning("BROWSER_PATH=%r is not an executable file; looking on PATH", configured)
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def no_browser_message() -> str:
    """What is missing and exactly what to install."""
    looked = ", ".join(BROWSER_NAMES)
    configured = os.environ.get("BROWSER_PATH")
    where = f"BROWSER_PATH={configured!r} (not an executable), then " if configured else ""
    return (
        f"no browser for chart images (PNG, SVG and the pictures in DOCX/PPTX): install "
        f"Chromium with `{INSTALL_ADVICE}`, or set BROWSER_PATH to a Chrome/Chromium "
        f"executable; looked at {where}{looked} on PATH"
    )


def require_browser() -> Path:
    """The browser to use, or NoBrowser with the install advice."""
    path = find_browser()
    if path is None:
        raise NoBrowser(no_browser_message())
    return path


class _BatchKaleido(kaleido.Kaleido):  # type: ignore[misc]
    """Kaleido that reloads its tab every RELOAD_EVERY images instead of after each one.

    Kaleido reloads the page (and plotly.js in it) after every image, which took about four
    fifths of the time per image. Plotly.toImage draws each figure in a div of its own and
    removes it, so the pictures are byte-identical without the reload (tested); the occasional
    reload keeps a long-lived app browser from growing.
    """

    _since_reload = 0

    async def _return_kaleido_tab(self, tab: Any) -> None:
        self._since_reload += 1
        if self._since_reload >= RELOAD_EVERY:
            self._since_reload = 0
            await tab.reload()
        await self.tabs_ready.put(tab)


async def _open_kaleido(browser: Path, timeout: float) -> Any:
    # mathjax off: Kaleido would otherwise load it from a CDN on every start
    renderer = _BatchKaleido(path=str(browser), mathjax=False, n=1, timeout=timeout)
    await renderer.open()
    return renderer


class Pending:
    """An image or PDF being made in the warm browser; `result()` waits for its bytes."""

    def __init__(self, future: concurrent.futures.Future[Any], what: str, timeout: float) -> None:
        self._future = future
        self._what = what
        self._timeout = timeout

    def add_done_callback(self, callback: Callable[[], None]) -> None:
        """Call `callback()` once the image is made, has failed or was cancelled (at once if
        it is already)."""
        self._future.add_done_callback(lambda _f: callback())

    def done(self) -> bool:
        return self._future.done()

    def ok(self) -> bool:
        """Whether the bytes are here (done without error)."""
        future = self._future
        return future.done() and not future.cancelled() and future.exception() is None

    def result(self) -> bytes:
        """The bytes, or ImageError naming what failed (or that the browser did not answer)."""
        try:
            return bytes(self._future.result(self._timeout))
        except concurrent.futures.TimeoutError:
            self._future.cancel()
            raise ImageError(f"the browser did not answer within {self._timeout:g} s") from None
        except ImageError:
            raise
        except Exception as exc:
            raise ImageError(f"{self._what} failed: {_first_line(exc)}") from None


class ImageRenderer:
    """One warm headless browser for a batch of images and PDFs.

    Use as a context manager (`with ImageRenderer() as r: r.render(fig, "png")`), or keep one
    open across batches (the app), call `end_batch()` after each (it forgets the pictures) and
    `close()` at the end; it closes at exit anyway.
    `start()` raises NoBrowser (with the install advice) or ImageError. `render_soon` queues
    images (the browser draws them while the caller does other work), `render` waits for one.
    """

    def __init__(self, browser: Path | None = None, *, timeout: float = 60.0) -> None:
        self.browser = browser
        self.timeout = timeout
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._starting: threading.Thread | None = None
        # each figure queued in this batch, so a figure asked for twice is drawn once; a failed
        # one goes at once (the next request draws it again), the others at `end_batch`
        self._done: dict[tuple[str, ImageFormat], Pending] = {}
        self._done_lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def __enter__(self) -> ImageRenderer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self, coro: Coroutine[Any, Any, Any], loop: asyncio.AbstractEventLoop) -> Any:
        future = asyncio.run_coroutine_threadsafe(coro, loop)
        try:
            return future.result(self.timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise ImageError(f"the browser did not answer within {self.timeout:g} s") from None

    def start_soon(self) -> None:
        """Start the browser in the background; `start`, `render` and `print_pdf` wait for it.

        A failed start is not raised here: the next `start` tries again and raises.
        """
        if self._kaleido is None and self._starting is None:
            self._starting = threading.Thread(
                target=self._start_quietly, name="kaleido-start", daemon=True
            )
            self._starting.start()

    def _start_quietly(self) -> None:
        try:
            self.start()
        except ImageError as exc:
            log.info("background browser start failed (raised at the next start): %s", exc)

    def start(self) -> None:
        """Start the browser unless it runs already."""
        with self._lock:
            if self._kaleido is not None:
                return
            browser = self.browser or require_browser()
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
            thread.start()
            try:
                self._kaleido = self._run(_open_kaleido(browser, self.timeout), loop)
            except Exception as exc:
                _stop_loop(loop, thread)
                if isinstance(exc, ImageError):
                    raise
                if type(exc).__name__ == "ChromeNotFoundError":
                    raise NoBrowser(no_browser_message()) from None
                raise ImageError(
                    f"the browser {browser} did not start: {_first_line(exc)}; check that "
                    f"`{browser} --headless --version` runs (`{INSTALL_ADVICE}` installs the "
                    "libraries it needs)"
                ) from None
            self._loop, self._thread = loop, thread
            self.browser = browser
            atexit.register(self.close)
            log.info("started %s for chart images", browser)

    def close(self) -> None:
        """Close the browser (after a background start ends); a no-op when it is not running."""
        starting, self._starting = self._starting, None
        if starting is not None:
            starting.join(self.timeout)
        with self._lock:
            if self._kaleido is None or self._loop is None or self._thread is None:
                return
            renderer, loop, thread = self._kaleido, self._loop, self._thread
            self._kaleido = self._loop = self._thread = None
            with self._done_lock:
                self._done.clear()
            try:
                self._run(renderer.close(), loop)
            except Exception as exc:  # a browser that died already needs no closing
                log.warning("closing the image browser: %s", _first_line(exc))
            _stop_loop(loop, thread)
            atexit.unregister(self.close)

    def _submit(self, make: Callable[[Any], Coroutine[Any, Any, Any]], what: str) -> Pending:
        """Start the browser if needed and queue `make(kaleido)` on its loop."""
        self.start()
        loop, browser = self._loop, self._kaleido
        if loop is None or browser is None:
            raise ImageError("the image browser was closed while rendering")
        return Pending(asyncio.run_coroutine_threadsafe(make(browser), loop), what, self.timeout)

    def render_soon(self, fig: go.Figure, fmt: ImageFormat) -> Pending:
        """Queue a figure as PNG (at SCALE) or SVG; the same figure is drawn once per batch
        (once more if it failed)."""
        spec = fig.to_dict()
        key = (
            hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest(),
            fmt,
        )
        with self._done_lock:
            queued = self._done.get(key)
        if queued is not None and (queued.ok() or not queued.done()):
            return queued
        opts = {
            "format": fmt,
            "width": int(fig.layout.width or WIDTH),
            "height": int(fig.layout.height or 500),
            "scale": SCALE if fmt == "png" else 1,
        }
        what = f"rendering {_short(chart_title(fig))!r} as {fmt}"
        pending = self._submit(lambda k: k.calc_fig(spec, opts=opts), what)
        with self._done_lock:
            self._done[key] = pending
        pending.add_done_callback(lambda: self._forget_failed(key, pending))
        return pending

    def _forget_failed(self, key: tuple[str, ImageFormat], pending: Pending) -> None:
        """Drop a figure that failed or was cancelled (called on the browser's loop when it is
        done, or at once if it is already), so it is drawn again when asked for."""
        if pending.ok():
            return
        with self._done_lock:
            if self._done.get(key) is pending:
                del self._done[key]

    def end_batch(self) -> None:
        """Forget the pictures drawn so far (those still being drawn stay shared): a renderer
        kept open across batches holds no picture from an earlier one."""
        with self._done_lock:
            self._done = {key: p for key, p in self._done.items() if not p.done()}

    def render(self, fig: go.Figure, fmt: ImageFormat) -> bytes:
        """PNG (at SCALE) or SVG bytes of a figure; starts the browser if needed."""
        return self.render_soon(fig, fmt).result()

    def print_soon(self, page: Path) -> Pending:
        """Queue printing the HTML file `page` (pictures beside it) to PDF bytes."""
        return self._submit(lambda k: _print_page(k, page.resolve().as_uri()), f"printing {page}")

    def print_pdf(self, page: Path, pdf: Path) -> Path:
        """Print the HTML file `page` to `pdf` with the warm browser; return `pdf`."""
        data = self.print_soon(page).result()
        pdf.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_bytes(data)
        return pdf


async def _print_page(browser: Any, url: str) -> bytes:
    """A page printed by a tab of its own, with scripts off (print shows the still pictures).

    A4 and margins come from the page's @page rule, which also numbers the pages; the PDF is
    tagged and its outline comes from the headings.
    """
    tab = await browser.create_tab("", window=True)
    try:
        loaded = tab.subscribe_once("Page.loadEventFired")
        for command, params in (
            ("Page.enable", {}),
            ("Emulation.setScriptExecutionDisabled", {"value": True}),
            ("Page.navigate", {"url": url}),
        ):
            _check_cdp(await tab.send_command(command, params=params), command)
        await loaded
        answer = await tab.send_command("Page.printToPDF", params=PRINT_OPTIONS)
        _check_cdp(answer, "Page.printToPDF")
        return base64.b64decode(answer["result"]["data"])
    finally:
        await browser.close_tab(tab.target_id)


def _check_cdp(answer: Any, command: str) -> None:
    if isinstance(answer, dict) and "error" in answer:
        raise ImageError(f"{command}: {answer['error'].get('message', answer['error'])}")


def _stop_loop(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    if not thread.is_alive():
        loop.close()


def _short(title: str, limit: int = 80) -> str:
    """A title short enough for a one-line message."""
    return title if len(title) <= limit else title[: limit - 1] + "…"


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(a) for a in exc.args) if exc.args else type(exc).__name__
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
