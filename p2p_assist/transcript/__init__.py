"""The crash-safe transcript store: one folder per call under the case's calls/.

Pure Python, no UI: the session writes through TranscriptWriter, the UI and the CLI read with
read_call, and recovery finishes the calls a crash left open.
"""

from p2p_assist.transcript.lock import CallLock
from p2p_assist.transcript.reader import CallRecord, list_calls, read_call
from p2p_assist.transcript.records import (
    Bookmark,
    CallMeta,
    CaptureEdit,
    Note,
    Outcome,
    Record,
    SavedCapture,
    SavedObjection,
    Utterance,
)
from p2p_assist.transcript.recovery import close_unfinished, find_unfinished
from p2p_assist.transcript.writer import TranscriptWriter, open_new_call

__all__ = [
    "Bookmark",
    "CallLock",
    "CallMeta",
    "CallRecord",
    "CaptureEdit",
    "Note",
    "Outcome",
    "Record",
    "SavedCapture",
    "SavedObjection",
    "TranscriptWriter",
    "Utterance",
    "close_unfinished",
    "find_unfinished",
    "list_calls",
    "open_new_call",
    "read_call",
]
