"""Mock-call scripts: TOML validated strictly, every mistake reported as file + field."""

from __future__ import annotations

from pathlib import Path

import pytest

from p2p_assist.basics.errors import UserError
from p2p_assist.mock.script import load_script

VALID = """
title = "Lumbar MRI denial"
case_id = "demo-001"

[voices]
reviewer = "awb"
clinician = "kal16"

[channel]
reviewer = "phone"

[[turns]]
speaker = "reviewer"
text = "The request does not show six weeks of conservative therapy."
pause_after = 1.5
expect = ["conservative-therapy"]
captures = { reviewer_name = "Dr. Patel" }

[[turns]]
speaker = "clinician"
text = "She completed eight weeks of physical therapy in March."
"""

MINIMAL = """
title = "Short call"

[[turns]]
speaker = "clinician"
text = "Hello."
"""


def script_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "call.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_script_loads_in_order(tmp_path: Path) -> None:
    script = load_script(script_file(tmp_path, VALID))

    assert script.title == "Lumbar MRI denial"
    assert script.case_id == "demo-001"
    assert [turn.speaker for turn in script.turns] == ["reviewer", "clinician"]
    assert script.turns[0].expect == ("conservative-therapy",)
    assert script.turns[0].captures == {"reviewer_name": "Dr. Patel"}
    assert script.voices.for_speaker("clinician") == "kal16"
    assert script.channel.for_speaker("reviewer") == "phone"
    assert script.channel.for_speaker("clinician") == "clean"


def test_defaults_give_speakers_different_voices_and_a_short_pause(tmp_path: Path) -> None:
    script = load_script(script_file(tmp_path, MINIMAL))

    assert (script.voices.reviewer, script.voices.clinician) == ("rms", "slt")
    assert (script.channel.reviewer, script.channel.clinician) == ("speakerphone", "clean")
    assert script.case_id is None
    assert script.turns[0].pause_after == 0.8
    assert script.turns[0].expect == ()
    assert script.turns[0].captures == {}


def error_for(tmp_path: Path, text: str) -> str:
    path = script_file(tmp_path, text)
    with pytest.raises(UserError) as caught:
        load_script(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (('speaker = "clinician"', 'speaker = "patient"'), "turns[0].speaker"),
        (('text = "Hello."', 'text = "Hello."\nvolume = 3'), "turns[0].volume"),
        (('text = "Hello."', 'text = "   "'), "turns[0].text"),
        (('text = "Hello."', 'text = "Hi."\npause_after = -1'), "turns[0].pause_after"),
        (('text = "Hello."', 'text = "Hi."\nexpect = "denial"'), "turns[0].expect"),
        (
            ('title = "Short call"', 'title = "Short call"\n[voices]\nreviewer = "bob"'),
            "voices.reviewer",
        ),
        (
            ('title = "Short call"', 'title = "Short call"\n[channel]\nreviewer = "walkie"'),
            "channel.reviewer",
        ),
        (
            ('title = "Short call"', 'title = "Short call"\n[channel]\npatient = "clean"'),
            "channel.patient",
        ),
        (('title = "Short call"', 'title = "Short call"\nlength = 3'), "length"),
        (('title = "Short call"', ""), "title"),
    ],
)
def test_a_bad_field_is_named_in_one_line(
    tmp_path: Path, change: tuple[str, str], field: str
) -> None:
    message = error_for(tmp_path, MINIMAL.replace(*change))

    assert f": {field}: " in message


def test_a_script_without_turns_is_rejected(tmp_path: Path) -> None:
    assert ": turns: " in error_for(tmp_path, 'title = "Nothing said"\nturns = []\n')


def test_several_problems_report_the_first_and_count_the_rest(tmp_path: Path) -> None:
    message = error_for(
        tmp_path, MINIMAL.replace('speaker = "clinician"', 'speaker = "x"\nmood = 1')
    )

    assert "(+1 more)" in message


def test_invalid_toml_names_the_file_and_position(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'title = "unterminated\n')

    assert "invalid TOML" in message
    assert "line 1" in message


def test_missing_script_is_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file"):
        load_script(tmp_path / "absent.toml")


def test_a_bad_channel_names_the_choices(tmp_path: Path) -> None:
    message = error_for(tmp_path, MINIMAL + '\n[channel]\nclinician = "radio"\n')

    assert ": channel.clinician: " in message
    assert "'clean', 'phone' or 'speakerphone'" in message
