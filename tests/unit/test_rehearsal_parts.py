"""The parts a rehearsal is made of: when a spoken answer has ended, whether an answer covered
its card's facts, the follow-ups a drafted call marks, the reviewer's turns spoken ahead, a
drill's phrasings, and a turn's end closing the recogniser's line at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from demo_cases import copy_demo_cases
from recognition_audio import read_pcm, silence
from rehearsal_support import CASE, COVERING, LIBRARY, VAGUE
from speech import render_speech

from p2p_assist.audio.answer_end import AnswerEnd
from p2p_assist.audio.base import CHUNK_BYTES, TURN_END
from p2p_assist.cases.store import load_case
from p2p_assist.cli.main import main
from p2p_assist.library.mock_lines import load_mock_lines
from p2p_assist.matching.matcher import Matcher
from p2p_assist.mock.script import load_script
from p2p_assist.report.answer_gaps import answer_gaps
from p2p_assist.report.mock_facts import reviewer_facts
from p2p_assist.report.rehearsal_script import DRILL_TRIES, drill_phrasings
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.session.events import UtteranceHeard
from p2p_assist.session.rehearsal_plan import reviewer_turns


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_demo_cases(tmp_path_factory.mktemp("rehearsal"), CASE)


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory, tts: None) -> bytes:
    wav = tmp_path_factory.mktemp("spoken") / "answer.wav"
    return read_pcm(render_speech("Her score was five point five in November.", wav, "kal16"))


def chunks(pcm: bytes) -> list[bytes]:
    return [pcm[i : i + CHUNK_BYTES] for i in range(0, len(pcm), CHUNK_BYTES)]


def ended_after(detector: AnswerEnd, pcm: bytes) -> float | None:
    """Seconds into `pcm` at which the detector said the answer had ended; None if never."""
    for number, chunk in enumerate(chunks(pcm), 1):
        if detector.feed(chunk):
            return number * CHUNK_BYTES / 32_000
    return None


def noisy(pcm: bytes, dbfs: float) -> bytes:
    """`pcm` with steady white noise at `dbfs` added, as a room's fan or a line's hiss."""
    samples = np.frombuffer(pcm, "<i2").astype(np.float64)
    noise = np.random.default_rng(7).normal(0, 32768 * 10 ** (dbfs / 20), samples.size)
    return np.clip(samples + noise, -32768, 32767).astype("<i2").tobytes()


def test_an_answer_ends_after_the_pause_that_follows_speech(spoken: bytes) -> None:
    detector = AnswerEnd(pause=0.8)
    detector.start()
    at = ended_after(detector, silence(0.5) + spoken + silence(2.0))
    speech_ends = 0.5 + len(spoken) / 32_000
    assert at is not None and speech_ends + 0.6 <= at <= speech_ends + 1.0, (at, speech_ends)


def test_a_pause_shorter_than_the_rule_and_silence_alone_end_nothing(spoken: bytes) -> None:
    detector = AnswerEnd(pause=0.8)
    detector.start()
    assert ended_after(detector, silence(3.0)) is None  # nothing said yet: no answer ends
    assert not detector.heard_speech
    assert ended_after(detector, spoken + silence(0.4) + spoken) is None


def test_speech_is_told_from_a_noisy_room(spoken: bytes) -> None:
    detector = AnswerEnd(pause=0.8)
    for chunk in chunks(noisy(silence(3.0), -45)):  # the room heard while the reviewer spoke
        detector.listen(chunk)
    detector.start()
    assert ended_after(detector, noisy(silence(1.0), -45)) is None
    assert ended_after(detector, noisy(spoken + silence(1.5), -45)) is not None


def test_an_answer_covers_the_card_when_it_says_its_values(cases: Path) -> None:
    case = load_case(cases, CASE)
    severity = LIBRARY.objections["severity"]
    covering, vague = answer_gaps(severity, case, COVERING), answer_gaps(severity, case, VAGUE)
    assert covering.covered and covering.said == covering.total == 2, covering
    assert not vague.covered and vague.said == 0
    assert any("5.5 on 2 Nov 2026" in line for line in vague.add), vague.add
    assert answer_gaps(severity, None, VAGUE).covered  # no case facts: nothing to press for


def test_a_drafted_call_marks_its_follow_ups_for_a_rehearsal(cases: Path, tmp_path: Path) -> None:
    out = tmp_path / "drafted.toml"
    assert main(["--cases", str(cases), "mock", "new", CASE, "-o", str(out)]) == 0
    assert "follow_up = true" in out.read_text()
    script = load_script(out)
    pressed = [turn for turn in script.turns if turn.follow_up]
    assert pressed and all(turn.speaker == "reviewer" for turn in pressed)


def test_the_reviewers_turns_are_spoken_ahead_with_what_follows_each(
    cases: Path, tts: None
) -> None:
    script = load_script(cases / CASE / "mock-call.toml")
    turns = reviewer_turns(script)
    said = [turn for turn in script.turns if turn.speaker == "reviewer"]
    assert [turn.text for turn in turns] == [turn.text for turn in said]
    assert [turn.objection for turn in turns] == [(t.expect or (None,))[0] for t in said]
    assert all(turn.heard and turn.played for turn in turns)
    assert sum(turn.answered for turn in turns) == sum(
        1 for t in script.turns if t.speaker == "clinician"
    )


def test_a_drill_asks_the_objection_in_words_the_matcher_raises_it_from(cases: Path) -> None:
    matcher = Matcher(LIBRARY)
    lines = load_mock_lines()
    facts = reviewer_facts(load_case(cases, CASE), CASE, lines)
    for objection_id in ("severity", "step_therapy", "experimental"):
        asked = drill_phrasings(objection_id, LIBRARY, lines, facts, matcher)
        assert 2 <= len(asked) <= DRILL_TRIES and len(set(asked)) == len(asked), asked
        for text in asked:
            raised = {hit.id for hit in matcher.match(text, "reviewer").objections}
            assert objection_id in raised, (objection_id, text)


class TurnSource:
    """Speech, a turn's end, then the same speech: no silence between them at all."""

    label = "turns"

    def __init__(self, pcm: bytes) -> None:
        self.pcm = pcm

    def chunks(self) -> Iterator[bytes]:
        yield from chunks(self.pcm)
        yield TURN_END
        yield from chunks(self.pcm)

    def close(self) -> None:
        pass


def test_a_turns_end_closes_the_line_without_waiting_for_silence(
    cases: Path, spoken: bytes
) -> None:
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=False)
    session = build_session(plan, TurnSource(spoken), Matcher(LIBRARY))
    session.start()
    heard = [e for e in session.events(timeout=60) if isinstance(e, UtteranceHeard)]
    assert len(heard) == 2, [e.text for e in heard]  # without TURN_END: one run-on line
    assert heard[0].end <= len(spoken) / 32_000 + 0.05 < heard[1].start


@pytest.mark.parametrize(
    ("option", "said"),
    [
        (["--drill", "sevrity"], "--drill: no objection 'sevrity'"),
        (["--rehearse", "--script", "/no/such/script.toml"], "script.toml: no such file"),
    ],
)
def test_a_bad_drill_or_script_is_one_line_before_anything_starts(
    cases: Path, option: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--cases", str(cases), "practice", CASE, *option]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and said in error, error
