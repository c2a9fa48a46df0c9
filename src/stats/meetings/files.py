"""Meeting files: one human-readable TOML file per meeting, saved so that nothing is lost.

`<dir>/<date>.toml` holds one meeting in the format of `meeting_toml` (a fixed key order, so
a file can be reviewed and versioned). A save writes a temporary file in the same directory,
fsyncs it and renames it over the old one under a directory lock, after checking that nobody
else saved since the editor opened the meeting (`base_revision`); a crash leaves the old file
whole.
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from stats.config import ROOT
from stats.fmt import LOCAL_TZ, format_date
from stats.meetings.file_format import dumps_meeting, parse_meeting
from stats.meetings.model import Meeting, MeetingError, SaveConflict
from stats.regions import load_regions

MEETINGS_ENV = "STATS_MEETINGS_DIR"
# a meeting id is a calendar date and nothing else; `date.fromisoformat` alone would also take
# "20240617" and "2024-W25-1"
_MEETING_ID = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class MeetingNotFound(MeetingError):
    """No meeting with that id: the id is not a date, or no file holds it.

    The message never repeats the id, which may come from a public URL.
    """


def meeting_id(raw: str) -> str:
    """The meeting id `YYYY-MM-DD` of a real calendar date, or MeetingNotFound."""
    if not isinstance(raw, str) or not _MEETING_ID.match(raw):
        raise MeetingNotFound("Mötet finns inte.")
    try:
        date.fromisoformat(raw)
    except ValueError:
        raise MeetingNotFound("Mötet finns inte.") from None
    return raw


def meetings_dir() -> Path:
    """STATS_MEETINGS_DIR, or data/meetings in the project."""
    return Path(os.environ.get(MEETINGS_ENV, ROOT / "data" / "meetings"))


def meeting_path(directory: Path, meeting_date: str) -> Path:
    """`<dir>/<date>.toml`, e.g. data/meetings/2024-06-17.toml.

    The id is checked before any path is built, and the path must stay inside `directory`.
    """
    path = directory / f"{meeting_id(meeting_date)}.toml"
    if path.resolve().parent != directory.resolve():
        raise MeetingNotFound("Mötet finns inte.")
    return path


def load_meeting(path: Path) -> Meeting:
    """Read and validate one meeting file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MeetingNotFound(f"Mötet {meeting_id(path.stem)} finns inte.") from None
    except OSError as exc:
        raise MeetingError(f"{path.name}: cannot read: {exc.strerror}") from None
    return parse_meeting(text, path.name)


def find_meeting(directory: Path, raw_id: str, home: str | None = None) -> Meeting:
    """The meeting of `home`'s dialog with this id (e.g. from `?datum=`), or MeetingNotFound."""
    meeting = load_meeting(meeting_path(directory, raw_id))
    if not belongs_to(meeting, home):
        owner = load_regions().organisations.get(meeting.region or "", "en annan region")
        raise MeetingNotFound(
            f"Mötet {meeting.date} hör till {owner}s näringslivsdialog, inte till den här; "
            "det visas och exporteras inte här."
        )
    return meeting


def belongs_to(meeting: Meeting, home: str | None) -> bool:
    """Whether a meeting is one of the dialog's of `home` (None: any region's)."""
    return home is None or meeting.region in (None, home)


def list_meetings(directory: Path, home: str | None = None) -> list[Meeting]:
    """The meetings of `home`'s dialog, sorted by date (an invalid file raises, naming it).

    A meeting file that names another region is left out; one that names none (format 1)
    belongs to whichever deployment reads it.
    """
    if not directory.is_dir():
        return []
    meetings = (load_meeting(p) for p in directory.glob("*.toml"))
    return sorted((m for m in meetings if belongs_to(m, home)), key=lambda m: m.date)


@contextmanager
def _locked(directory: Path) -> Iterator[int]:
    """An exclusive lock on the directory itself (no lock files); yields its descriptor."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _on_disk(path: Path) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MeetingError(
            f"{path.name}: the saved file is not valid TOML ({exc}); fix it by hand before saving"
        ) from None


def _when(saved_at: str) -> str:
    try:
        moment = datetime.fromisoformat(saved_at)
    except ValueError:
        return saved_at
    clock = moment.astimezone(LOCAL_TZ).time() if moment.tzinfo else moment.time()
    return f"{format_date(moment)} kl. {clock.isoformat('minutes')}"


def _conflict(meeting: Meeting, disk: dict[str, Any] | None, base_revision: int) -> SaveConflict:
    disk = disk or {}
    by, at = str(disk.get("saved_by", "")), str(disk.get("saved_at", ""))
    revision = int(disk.get("revision", 0))
    known = ", ".join(x for x in (by, _when(at) if at else "") if x)
    what = f"sparades av någon annan{f' ({known})' if known else ''}" if disk else "togs bort"
    return SaveConflict(
        f"Mötet {meeting.date} {what} efter att du öppnade mötet; ladda om och gör om "
        f"ändringen. (Du utgick från version {base_revision}, sparad version är {revision}.)",
        revision=revision,
        saved_by=by,
        saved_at=at,
    )


def save_meeting(
    directory: Path,
    meeting: Meeting,
    base_revision: int,
    *,
    by: str = "",
    now: datetime | None = None,
) -> Meeting:
    """Save unless someone else saved since `base_revision`; returns the saved meeting.

    Parameters
    ----------
    directory
        e.g. `meetings_dir()`; the file is `<date>.toml`.
    meeting
        The edited meeting, e.g. 2024-06-17.
    base_revision
        The revision the editor loaded (0 for a new meeting). SaveConflict if the file's
        revision differs; on success the revision is `base_revision + 1`.
    by, now
        Who saves and when (recorded so a conflict can name them).
    """
    moment = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    path = meeting_path(directory, meeting.date)
    # the text is written without control characters; what is saved is what reads back
    text = dumps_meeting(replace(meeting, revision=base_revision + 1, saved_by=by, saved_at=moment))
    saved = parse_meeting(text, path.name)
    if dumps_meeting(saved) != text:
        raise MeetingError(f"{path.name}: the meeting cannot be written faithfully; not saved")
    directory.mkdir(parents=True, exist_ok=True)
    with _locked(directory) as dir_fd:
        disk = _on_disk(path)
        disk_revision = None if disk is None else disk.get("revision", 0)
        if (disk is None and base_revision != 0) or (
            disk is not None and disk_revision != base_revision
        ):
            raise _conflict(meeting, disk, base_revision)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{meeting.date}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(text.encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
            os.fsync(dir_fd)
        except OSError as exc:
            raise MeetingError(
                f"Mötet {meeting.date} kunde inte sparas ({exc}); den sparade versionen är "
                "oförändrad."
            ) from exc
        finally:
            Path(tmp).unlink(missing_ok=True)
    return saved
