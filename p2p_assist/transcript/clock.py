"""One clock for every file: where each record sits in the call, and how long the call lasted,
in seconds of audio from its start.

The recogniser times every utterance by the audio it has heard, and the kept audio plays on
that clock. Wall time does not agree with it: a practice call played at three times real time
lasts a third as long on the wall clock (the note once said 04:24 and transcript.md 02:16 for
the same call). So transcript.md, every export, the note, the practice score and the review
screens take their times from here, and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from p2p_assist.transcript.records import (
    Bookmark,
    CallMeta,
    CardRetracted,
    CardShown,
    Note,
    Record,
    Utterance,
)


def audio_time(record: Record) -> float | None:
    """Where the record sits on the audio clock, if it was stamped with it."""
    match record:
        case Utterance():
            return record.start
        case Bookmark() | CardShown() | CardRetracted():
            return record.stream_time
        case Note():
            return record.stream_time
    return None


def _audio_end(record: Record) -> float | None:
    return record.end if isinstance(record, Utterance) else audio_time(record)


def record_times(records: Sequence[Record], started: dt.datetime | None) -> list[float | None]:
    """Each record's seconds into the call. A record stamped only with wall time (a value fixed
    by hand) is placed after the audio-timed record written before it, by the wall time
    between the two: exact when the call runs in real time, and never before that record
    when it does not. Before any audio-timed record, wall time from the start is all there
    is; None without a start."""
    times: list[float | None] = []
    anchor: tuple[float, dt.datetime] | None = None  # (audio end, wall time) of the last one
    for record in records:
        seconds = audio_time(record)
        if seconds is None and anchor is not None:
            seconds = anchor[0] + max(0.0, (record.t - anchor[1]).total_seconds())
        elif seconds is None and started is not None:
            seconds = (record.t - started).total_seconds()
        end = _audio_end(record)
        if end is not None:
            anchor = (end, record.t)
        times.append(seconds)
    return times


def call_duration(meta: CallMeta | None, records: Sequence[Record]) -> float | None:
    """How long the call lasted on the audio clock: the audio the recognisers heard (call.json's
    stream_seconds, written when the call ends, or when recovery finds its kept audio); else
    the latest audio time a record reaches (a call that crashed without audio); else, with no
    record on the audio clock at all, the wall time between start and end."""
    if meta is not None and meta.stream_seconds is not None:
        return meta.stream_seconds
    ends = [end for record in records if (end := _audio_end(record)) is not None]
    if ends:
        return max(ends)
    if meta is not None and meta.ended is not None:
        return (meta.ended - meta.started).total_seconds()
    return None
