"""How a frozen meeting's data is named: by the freeze date against the meeting's own date.

The data is fixed when the meeting is frozen, so only a freeze on the meeting day (Swedish
time) is known to be "what was shown". The analyst may freeze when the slot is prepared
(2026-12-01 for a meeting on 2026-12-14): that data is "låsta inför mötet", which stays true
after the meeting. A freeze after the meeting does not claim the numbers were the ones shown
(they may have been revised in between). The words depend on the meeting file alone, never on
today's date, so a republished page is byte-identical.

| Fryst            | Etikett                                       | Prövningen     |
|------------------|-----------------------------------------------|----------------|
| på mötesdagen    | data som visades 2024-06-17                   | Vid mötet      |
| före mötesdagen  | data låsta 2026-12-01 inför mötet 2026-12-14  | Med låsta data |
| efter mötesdagen | data låsta 2024-06-20, efter mötet 2024-06-17 | Med låsta data |
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stats.fmt import format_date

if TYPE_CHECKING:
    from stats.meetings.model import Frozen, Meeting


def _frozen(meeting: Meeting) -> Frozen:
    if meeting.frozen is None:
        raise ValueError(f"meeting {meeting.date} is not frozen")
    return meeting.frozen


def frozen_on_the_day(meeting: Meeting) -> bool:
    """True when a frozen meeting was frozen on its own date (Swedish time)."""
    return format_date(_frozen(meeting).at) == meeting.date


def frozen_label(meeting: Meeting) -> str:
    """ "data som visades 2024-06-17", "data låsta 2026-12-01 inför mötet 2026-12-14" or
    "data låsta 2024-06-20, efter mötet 2024-06-17" (see the table above)."""
    at = format_date(_frozen(meeting).at)
    if at == meeting.date:
        return f"data som visades {at}"
    if at < meeting.date:
        return f"data låsta {at} inför mötet {meeting.date}"
    return f"data låsta {at}, efter mötet {meeting.date}"


def frozen_note(meeting: Meeting) -> str:
    """The label as a sentence for the title page and the index: "Data som visades 2024-06-17."."""
    label = frozen_label(meeting)
    return f"{label[0].upper()}{label[1:]}."


def presented_prefix(meeting: Meeting) -> str:
    """What a claim check over the pinned data is called: "Vid mötet" only for a freeze on the
    meeting day, else "Med låsta data"."""
    return "Vid mötet" if frozen_on_the_day(meeting) else "Med låsta data"


def since_frozen(meeting: Meeting) -> str:
    """ "sedan mötet" for a freeze on the meeting day, else "sedan data låstes"."""
    return "sedan mötet" if frozen_on_the_day(meeting) else "sedan data låstes"
