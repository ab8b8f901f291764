"""A drafted mock call as a TOML file a clinician edits: every turn says what it is for.

Written as text, not dumped from the model, so the comments survive and the file reads
top to bottom like the call. Strings are written as JSON strings, which are valid TOML basic
strings (same escapes), so any case text round-trips.
"""

from __future__ import annotations

import json

from p2p_assist.report.mock_draft import MockDraft

HEADER = """\
# A mock peer-to-peer call for case {case_id}, drafted by `p2p-assist mock new`.
# The reviewer raises: {objections}.
#
# Edit anything: the reviewer's words, your answers, the order. Each [[turns]] block is one
# turn, spoken by flite in the speaker's voice:
#   speaker     "reviewer" or "clinician"
#   text        what is said (write numbers and dates as you would say them)
#   pause_after seconds of silence after the turn (0 to 60)
#   expect      objection ids the tool should raise on this turn (prompts/objections/)
#   captures    checklist values the tool should fill from this turn
#   follow_up   true: in a rehearsal, asked only when your answer before it left facts out
# Then check it and make the recording practice plays:
#   p2p-assist mock check {path}
#   p2p-assist mock render {path}
#   p2p-assist practice {case_id}              (watch the recorded call)
#   p2p-assist practice {case_id} --rehearse   (the reviewer speaks, you answer)
"""


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def mock_script_toml(draft: MockDraft, path: str) -> str:
    parts = [
        HEADER.format(
            case_id=draft.case_id, objections=", ".join(draft.objections) or "none", path=path
        ),
        f"title = {_string(draft.title)}",
        f"case_id = {_string(draft.case_id)}",
        "",
        "[voices]  # flite voices: slt, rms, awb, kal16",
        'reviewer = "rms"',
        'clinician = "kal16"  # pocketsphinx hears its numbers and dates best',
        "",
        "# How each side reaches the microphone: clean, phone or speakerphone. A real call's",
        "# reviewer is on speakerphone, but pocketsphinx mishears much of it",
        "# (bench/phone_channel.py), so the draft renders clean; set speakerphone to practise",
        "# with the call as it sounds.",
        "[channel]",
        'reviewer = "clean"',
        'clinician = "clean"',
    ]
    for draft_turn in draft.turns:
        turn = draft_turn.turn
        comment = " ".join(draft_turn.comment.split())  # one line, whatever the case text holds
        parts += ["", f"# {comment}", "[[turns]]"]
        parts += [f"speaker = {_string(turn.speaker)}", f"text = {_string(turn.text)}"]
        parts.append(f"pause_after = {turn.pause_after:g}")
        if turn.expect:
            parts.append(f"expect = [{', '.join(_string(oid) for oid in turn.expect)}]")
        if turn.captures:
            pairs = ", ".join(f"{key} = {_string(value)}" for key, value in turn.captures.items())
            parts.append(f"captures = {{ {pairs} }}")
        if turn.follow_up:
            parts.append("follow_up = true")
    return "\n".join(parts) + "\n"
