"""Text from a file or a path is shown as it is, never read as Textual markup: brackets in a
payer's name, a folder, a diagnosis, a card or a note must neither crash a screen nor vanish."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CASE, REPO, copy_cases, edit_case
from demo_cases import demo_file
from textual.widgets import OptionList, Static

from p2p_assist.audio.wav import WavFileSource
from p2p_assist.cases.store import load_case
from p2p_assist.library.load import load_library
from p2p_assist.matching.matcher import Matcher
from p2p_assist.report.after_call import write_reports
from p2p_assist.session.build import SessionPlan, build_session
from p2p_assist.transcript import SavedObjection, Utterance, open_new_call
from p2p_assist.ui.app import LiveCall, PickCase, Review, make_app
from p2p_assist.ui.call_screen import CallContext
from p2p_assist.ui.cards import CardStack

pytestmark = pytest.mark.bad_input

BRACKETS = "Acme [/] Health [bold]"


def screen_text(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    return "\n".join(str(widget.render()) for widget in screen.query(Static))


def bracketed_case(tmp_path: Path, folder_name: str = "cases") -> Path:
    cases = copy_cases(tmp_path / folder_name.replace("/", "_"), CASE)
    edit_case(cases, CASE, r"^name = \"Cascade Mutual Health\"", f'name = "{BRACKETS}"')
    edit_case(cases, CASE, r"^title = .*", 'title = "Tocilizumab [/] denied [red]"')
    edit_case(cases, CASE, r"^reason = .*", 'reason = "Step [x] therapy [/b] not met"')
    shutil.copy(demo_file(CASE, "mock-call.wav"), cases / CASE / "mock-call.wav")
    return cases


async def test_case_text_with_brackets_shows_on_the_call_screen_and_its_summary(
    tmp_path: Path,
) -> None:
    cases = bracketed_case(tmp_path / "a [/] folder [b]")
    library = load_library()
    matcher = Matcher(library)
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=True)
    audio = WavFileSource(cases / CASE / "mock-call.wav")
    session = build_session(plan, audio, matcher)
    case = load_case(cases, CASE)
    app = make_app(LiveCall(session, CallContext(CASE, case, "P2P window", library)))
    async with app.run_test(size=(100, 30)) as pilot:
        assert "Step [x] therapy [/b] not met" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        await pilot.click("#outcome-denied")
        await pilot.click("#save")
        for _ in range(300):
            if app.screen.__class__.__name__ == "CallSummary":
                break
            await pilot.pause(0.1)
        summary = str(app.screen.query_one("#summary").render())
    assert "a [/] folder [b]" in summary  # the path, brackets and all


async def test_the_picker_shows_brackets_in_rows_as_they_are(tmp_path: Path) -> None:
    rows = [(CASE, "INVALID: /cases/[/]x/case.toml: name: 'Acme [/] Health' [bold]")]

    def never(case_id: str) -> LiveCall:
        raise AssertionError("nothing is picked in this test")

    app = make_app(PickCase(rows, never))
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        option = app.screen.query_one(OptionList).get_option_at_index(0)
        assert "'Acme [/] Health' [bold]" in str(option.prompt)


async def test_a_card_and_a_note_with_brackets_show_in_review(tmp_path: Path) -> None:
    cases = bracketed_case(tmp_path)
    library = load_library()
    writer = open_new_call(cases, CASE, "practice", "pocketsphinx", "test")
    writer.append(
        Utterance(
            start=1.0,
            end=3.0,
            speaker="reviewer",
            text="she has not [/] tried the [bold] preferred drug",
            objections=[SavedObjection(id="step_therapy", score=90.0, span=(4, 7))],
        )
    )
    writer.close()
    write_reports(writer.call_dir, load_case(cases, CASE), library)
    app = make_app(Review(cases, CASE, library))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        transcript = app.screen.query_one("#transcript", OptionList)
        lines = [str(option.prompt) for option in transcript.options]
    assert any("she has not [/] tried the [bold] preferred drug" in line for line in lines)


async def test_cards_show_library_text_with_brackets(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(REPO / "prompts", prompts)
    step = prompts / "objections" / "step_therapy.toml"
    text = step.read_text().replace('say = "This patient', 'say = "[x] [/] This patient', 1)
    step.write_text(text)
    library = load_library(prompts)
    cases = bracketed_case(tmp_path)
    plan = SessionPlan(cases, CASE, None, "pocketsphinx", None, "practice", save=False)
    session = build_session(plan, WavFileSource(cases / CASE / "mock-call.wav"), Matcher(library))
    card_context = CallContext(CASE, load_case(cases, CASE), "P2P window", library)
    app = make_app(LiveCall(session, card_context))
    from p2p_assist.library.cards import render_card

    card = render_card(library.objections["step_therapy"], load_case(cases, CASE))
    async with app.run_test(size=(100, 30)) as pilot:
        widget = await app.query_one(CardStack).raise_card(card, 1)
        await pilot.pause()
        said = "\n".join(str(child.render()) for child in widget.query(Static))
    assert "[x] [/] This patient" in said
