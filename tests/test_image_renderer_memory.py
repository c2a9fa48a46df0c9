"""The app's long-lived image renderer keeps no pictures between downloads and no failures.

The browser is a test double: `_open_kaleido` is replaced by a fake Kaleido whose `calc_fig`
fails (or never answers) as told and otherwise returns bytes naming the figure's title; the
renderer's own loop thread, queueing and waiting run as in the app, and the app's download
builder (`meeting_export.build`) runs on the snapshot database with that renderer."""

from __future__ import annotations

import asyncio
import io
import os
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest

from stats.app import meeting_export
from stats.app.db import open_database
from stats.export import images
from stats.export.images import ImageError, ImageRenderer
from stats.meetings.files import load_meeting, meeting_path
from stats.present.spec import ChartSpec

# A timed wait that expires (the 0,5 s a hanging fake browser is given) never ends under
# libfaketime, which moves the monotonic clock Python's timed waits count on; .ci/run runs the
# suite a second and third time under faketime to move the calendar, which these tests do not
# read, so there they are skipped.
UNDER_FAKETIME = pytest.mark.skipif(
    "faketime" in os.environ.get("LD_PRELOAD", ""),
    reason="an expiring timed wait never ends under libfaketime (moved monotonic clock)",
)


DATE = "2024-06-17"
FOLKMANGD = ChartSpec(indicator="folkmangd_manad_total", title="Folkmängd", regions=("hemlan",))


class FakeKaleido:
    """Answers `calc_fig` with b"<format>:<title>"; the first `failures` calls raise and the
    first `hangs` calls (after those) never answer."""

    def __init__(self, failures: int = 0, hangs: int = 0) -> None:
        self.failures = failures
        self.hangs = hangs
        self.calls: list[str] = []

    async def calc_fig(self, spec: dict[str, Any], opts: dict[str, Any]) -> bytes:
        title = str(spec["layout"]["title"]["text"])
        self.calls.append(title)
        if self.failures:
            self.failures -= 1
            raise RuntimeError("Target closed")
        if self.hangs:
            self.hangs -= 1
            await asyncio.sleep(3600)
        return f"{opts['format']}:{title}".encode()

    async def close(self) -> None:
        return None


def warm(monkeypatch: pytest.MonkeyPatch, fake: FakeKaleido, timeout: float = 10) -> ImageRenderer:
    async def open_fake(browser: Path, timeout: float) -> FakeKaleido:
        return fake

    monkeypatch.setattr(images, "_open_kaleido", open_fake)
    return ImageRenderer(Path("/usr/bin/fake-chromium"), timeout=timeout)


def remembered(renderer: ImageRenderer) -> int:
    """How many figures the renderer remembers, once its loop has run the callbacks of the
    pictures made so far (they run on the loop thread just after `result()` returns)."""
    assert renderer._loop is not None
    asyncio.run_coroutine_threadsafe(asyncio.sleep(0), renderer._loop).result(5)
    return len(renderer._done)


def figure(title: str) -> go.Figure:
    return go.Figure(go.Bar(x=[1, 2], y=[3, 4]), layout={"title": {"text": title}})


def test_a_failed_picture_is_drawn_again_at_the_next_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeKaleido(failures=1)
    with warm(monkeypatch, fake) as renderer:
        with pytest.raises(ImageError, match="Target closed"):
            renderer.render(figure("Sysselsatta"), "png")
        assert renderer.render(figure("Sysselsatta"), "png") == b"png:Sysselsatta"
    assert fake.calls == ["Sysselsatta", "Sysselsatta"]


@UNDER_FAKETIME
def test_a_picture_that_timed_out_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeKaleido(hangs=1)
    with warm(monkeypatch, fake, timeout=0.5) as renderer:
        with pytest.raises(ImageError, match=r"did not answer within 0\.5 s"):
            renderer.render(figure("Varsel"), "svg")
        renderer.timeout = 10
        assert renderer.render(figure("Varsel"), "svg") == b"svg:Varsel"
    assert fake.calls == ["Varsel", "Varsel"]


@UNDER_FAKETIME
def test_a_figure_is_drawn_once_per_batch_and_batches_leave_nothing_behind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeKaleido(hangs=1)
    with warm(monkeypatch, fake, timeout=0.5) as renderer:
        first = renderer.render_soon(figure("Konkurser"), "png")
        assert renderer.render_soon(figure("Konkurser"), "png") is first  # still being drawn
        with pytest.raises(ImageError):
            first.result()
        renderer.end_batch()
        for batch in range(3):
            titles = [f"Diagram {batch}.{i}" for i in range(5)]
            pending = [renderer.render_soon(figure(t), "png") for t in titles]
            assert [p.result() for p in pending] == [f"png:{t}".encode() for t in titles]
            assert renderer.render(figure(titles[0]), "png") == f"png:{titles[0]}".encode()
            assert remembered(renderer) == 5, batch  # drawn once in the batch
            renderer.end_batch()
            assert remembered(renderer) == 0, batch
        assert renderer.render(figure("Diagram 0.0"), "png") == b"png:Diagram 0.0"
    drawn = [f"Diagram {b}.{i}" for b in range(3) for i in range(5)]
    assert fake.calls == ["Konkurser", *drawn, "Diagram 0.0"]


def test_the_apps_downloads_keep_no_pictures_and_retry_a_failed_one(
    snapshot_db: Path, meetings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeKaleido(failures=1)
    shared = warm(monkeypatch, fake)
    monkeypatch.setattr(meeting_export, "renderer", lambda: shared)
    monkeypatch.setattr(meeting_export, "browser_missing", lambda: None)
    june = load_meeting(meeting_path(meetings, DATE))
    june = replace(june, charts=(FOLKMANGD,))
    db = open_database()
    assert db is not None
    try:
        with pytest.raises(ImageError, match="Target closed"):
            meeting_export.build(db, june, "23", True, "png")
        assert remembered(shared) == 0
        for _ in range(2):
            data = meeting_export.build(db, june, "23", True, "png")
            [name] = zipfile.ZipFile(io.BytesIO(data)).namelist()
            assert zipfile.ZipFile(io.BytesIO(data)).read(name).startswith(b"png:")
            assert remembered(shared) == 0
    finally:
        shared.close()
    assert len(fake.calls) == 3 and len(set(fake.calls)) == 1
