"""What a mock-call script promises that the tool cannot keep: `p2p-assist mock check`.

The script's shape is checked when it loads (mock/script.py); this checks it against the
prompt library: every objection a turn expects exists and can be raised by that speaker
from those words, and every capture names a checklist item. One line per problem, naming
the turn, the field and the fix, so a clinician editing a drafted call can fix them all.
Words that raise more than the turn expects are only noted: a reviewer says what they say,
but the answer key (and the practice score) then misses an objection the call will raise.
"""

from __future__ import annotations

from p2p_assist.library.load import Library
from p2p_assist.matching.matcher import Matcher
from p2p_assist.mock.script import MockScript


def script_problems(script: MockScript, library: Library, matcher: Matcher) -> list[str]:
    items = {item.id for item in library.documentation.items}
    problems: list[str] = []
    for index, turn in enumerate(script.turns):
        where = f"turns[{index}]"
        heard = {hit.id for hit in matcher.match(turn.text, turn.speaker).objections}
        for objection_id in turn.expect:
            problems += _expect_problem(where, objection_id, turn.speaker, heard, library)
        problems += [
            f"{where}.captures: no checklist item {field!r} — use one of: "
            + ", ".join(sorted(items))
            for field in turn.captures
            if field not in items
        ]
    return problems


def script_notes(script: MockScript, matcher: Matcher) -> list[str]:
    """Objections a turn's words raise that it does not expect."""
    notes: list[str] = []
    for index, turn in enumerate(script.turns):
        heard = {hit.id for hit in matcher.match(turn.text, turn.speaker).objections}
        notes += [
            f"turns[{index}].expect: the words also raise {objection_id!r} — add it to expect, "
            "or reword the turn"
            for objection_id in sorted(heard - set(turn.expect))
        ]
    return notes


def _expect_problem(
    where: str, objection_id: str, speaker: str, heard: set[str], library: Library
) -> list[str]:
    objection = library.objections.get(objection_id)
    if objection is None:
        known = ", ".join(sorted(library.objections))
        return [f"{where}.expect: no objection {objection_id!r} — use one of: {known}"]
    if objection.raised_by not in ("either", speaker):
        return [
            f"{where}.expect: {objection_id!r} is only raised from the {objection.raised_by}'s "
            f"words — move it to a {objection.raised_by} turn"
        ]
    if objection_id not in heard:
        return [
            f"{where}.text: these words do not raise {objection_id!r} — reword them with a "
            f"phrase from prompts/objections/{objection_id}.toml"
        ]
    return []
