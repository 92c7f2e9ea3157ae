"""The contract's time zone: TWS's timeZoneId mapped to a real IANA zone.

Older TWS versions send abbreviations; in pytz ``EST`` is a fixed UTC-5 with
no daylight saving (an hour wrong half the year) and ``JST`` does not exist.
Every abbreviation TWS is known to send maps to the zone it stands for.
"""
from __future__ import annotations

from typing import Any

from ..utils.date import tzparse

__all__ = ('contract_timezone', 'IB_ZONES')

IB_ZONES = {
    'EST': 'America/New_York', 'EDT': 'America/New_York', 'EST5EDT': 'America/New_York',
    'CST': 'America/Chicago', 'CDT': 'America/Chicago', 'CST6CDT': 'America/Chicago',
    'MST': 'America/Denver', 'MDT': 'America/Denver', 'MST7MDT': 'America/Denver',
    'PST': 'America/Los_Angeles', 'PDT': 'America/Los_Angeles',
    'PST8PDT': 'America/Los_Angeles',
    'BST': 'Europe/London',
    'MET': 'Europe/Berlin', 'CET': 'Europe/Berlin', 'CEST': 'Europe/Berlin',
    'EET': 'Europe/Helsinki', 'JST': 'Asia/Tokyo', 'HKT': 'Asia/Hong_Kong',
    'SGT': 'Asia/Singapore', 'AEST': 'Australia/Sydney', 'AEDT': 'Australia/Sydney',
    'IST': 'Asia/Kolkata', 'KST': 'Asia/Seoul', 'UTC': 'UTC',
}


def contract_timezone(name: str | None) -> tuple[Any, str | None]:
    """(zone object, problem text or None) for a contract details timeZoneId.

    An empty or unknown name gives UTC and says so, rather than guessing.
    """
    if not name or not name.strip():
        return tzparse('UTC'), 'the contract details carry no time zone; using UTC'
    # some TWS versions write "EST (Eastern Standard Time)"
    text = name.strip().split(' (')[0].strip()
    zone = IB_ZONES.get(text.upper(), text)
    try:
        return tzparse(zone), None
    except ValueError:
        return tzparse('UTC'), (f'unknown time zone {name!r} in the contract details; '
                                "using UTC (set the feed's tz= to override)")
