"""The segmenter splits listing pages and page dumps the way corpus-notes.md says.

Line numbers in these tests are the 1-based ``cat -n`` numbers of the seed files
in ``data/statements/`` (the "Expected splits" of the notes are numbered alike).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.segmenter import METADATA_KINDS, TRANSLATABLE_KINDS, ParsedStatement, Unit, parse_text
from workbench.sentences import split_sentences

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "statements"
SOCIAL_DUMP = Path(__file__).resolve().parent / "fixtures" / "segmenter" / "social_dump.txt"
SEED_PREFIXES = ("000", "001", "002", "003")
NEWLINES = re.compile(r"\r\n|\r|\n")  # the segmenter's line numbering: universal newlines


# --- Helpers ------------------------------------------------------------------------


@functools.cache
def seed_text(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def seed_line(prefix: str, number: int) -> str:
    return NEWLINES.split(seed_text(prefix))[number - 1]


@functools.cache
def parsed(prefix: str) -> tuple[ParsedStatement, ...]:
    """Parsed once per run; the tests only read the result."""
    return tuple(parse_text(seed_text(prefix)))


def statement_at(prefix: str, line: int) -> ParsedStatement:
    (statement,) = [s for s in parsed(prefix) if s.start_line <= line <= s.end_line]
    return statement


def unit_at(statement: ParsedStatement, line: int, *, kind: str | None = None) -> Unit:
    """The one unit of ``statement`` that starts on ``line`` (and has ``kind``, if given)."""
    (unit,) = [u for u in [*statement.segments, *statement.metadata] if u.line == line and kind in (None, u.kind)]
    return unit


def kinds_by_line(units: list[Unit]) -> list[tuple[int, str]]:
    return [(u.line, u.kind) for u in units]


def lost_words(text: str, statements: list[ParsedStatement]) -> list[tuple[int, str]]:
    """Words of ``text`` found in no unit that claims their line.

    A word is a whitespace-split token of a source line. It is found when it
    occurs in the units covering its line, concatenated without whitespace,
    segments before metadata: a marker glued to a word ("Magsasaka.#") is split
    into the paragraph's "Magsasaka." and the end mark's "#", and only together
    do they hold the source token.
    """
    covering: dict[int, list[str]] = defaultdict(list)
    for statement in statements:
        for unit in [*statement.segments, *statement.metadata]:
            compact = "".join(unit.text.split())
            for number in range(unit.line, unit.end_line + 1):
                covering[number].append(compact)
    lost = []
    for number, line in enumerate(NEWLINES.split(text), start=1):
        pieces = covering[number]
        missing = [word for word in line.split() if not any(word in piece for piece in pieces)]
        if missing:  # only then pay for the concatenation that spans split end marks
            haystack = "".join(pieces)
            lost.extend((number, word) for word in missing if word not in haystack)
    return lost


def assert_well_formed(text: str, statements: list[ParsedStatement]) -> None:
    """Kinds are declared, lines exist, statements are ordered and disjoint, a title (if any) comes first.

    A post that opens with body text has no title segment; its title field is
    then cut from its first paragraph, so it still opens the first segment.
    """
    line_count = len(NEWLINES.split(text))
    previous_end = 0
    for statement in statements:
        assert previous_end < statement.start_line <= statement.end_line <= line_count
        previous_end = statement.end_line
        for unit in statement.segments:
            assert unit.kind in TRANSLATABLE_KINDS
        for unit in statement.metadata:
            assert unit.kind in METADATA_KINDS
        for unit in [*statement.segments, *statement.metadata]:
            assert statement.start_line <= unit.line <= unit.end_line <= statement.end_line
            assert unit.text and unit.text == unit.text.strip()
        if statement.segments:
            assert "title" not in [u.kind for u in statement.segments[1:]]
            assert statement.title and statement.segments[0].text.startswith(statement.title)
        else:
            assert statement.title == ""
    assert not lost_words(text, statements)


# --- Whole files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "start_lines"),
    [
        ("000", [1, 11, 20, 46, 100, 127, 149]),
        ("001", [1, 28, 86, 133, 156, 193, 229]),
        ("002", [1, 41, 66, 79, 92, 106, 116]),
        ("003", [1, 14, 24]),
    ],
)
def test_statement_counts_and_boundaries(prefix: str, start_lines: list[int]) -> None:
    """000: 7, 001: 7, 002: 7, 003: 3 statements, before the importer's cross-file dedupe."""
    assert [s.start_line for s in parsed(prefix)] == start_lines


@pytest.mark.parametrize("prefix", SEED_PREFIXES)
def test_seed_files_are_well_formed_and_lose_nothing(prefix: str) -> None:
    assert_well_formed(seed_text(prefix), list(parsed(prefix)))
    assert all(s.segments[0].kind == "title" for s in parsed(prefix))  # a listing statement always has a title


def test_truncated_statements_are_the_ten_excerpts_plus_their_repeats() -> None:
    truncated = [(prefix, s.start_line) for prefix in SEED_PREFIXES for s in parsed(prefix) if s.truncated]
    assert truncated == [
        ("000", 1), ("000", 11),
        ("002", 66), ("002", 79), ("002", 92), ("002", 106), ("002", 116),
        ("003", 1), ("003", 14), ("003", 24),
    ]  # fmt: skip


def test_statements_found_in_two_files_parse_identically() -> None:
    """000:1-18 = 002:106-123 and 002:66-77 = 003:1-12, so the importer can recognise them."""

    def texts(statement: ParsedStatement) -> list[tuple[str, str]]:
        return [(u.kind, u.text) for u in statement.segments]

    assert texts(statement_at("000", 1)) == texts(statement_at("002", 106))
    assert texts(statement_at("000", 11)) == texts(statement_at("002", 116))
    assert texts(statement_at("002", 66)) == texts(statement_at("003", 1))


def test_a_large_corpus_parses_every_statement() -> None:
    """~29,000 lines: a quadratic pass would stall the suite (speed itself is measured in bench/)."""
    corpus = [seed_text(prefix) for prefix in SEED_PREFIXES]
    big = "".join(text + "\n\n" for text in corpus) * 50
    assert len(parse_text(big)) == 24 * 50


@pytest.mark.parametrize(
    "pathological",
    [
        "." * 100_000, " #" * 20_000, "+1 " * 30_000, "word\n" * 30_000,
        "Headline Here\n\n" * 10_000, "x.\xa0a" * 20_000, "a." * 50_000 + "@",
    ],  # fmt: skip
    ids=["dots", "hashes", "pluses", "wrapped-lines", "headlines", "nbsp-sentences", "e-mail-ish"],
)
def test_pathological_inputs_parse_and_lose_nothing(pathological: str) -> None:
    """Inputs that once took quadratic time; a regression shows as a stalled suite, not a timed failure."""
    assert_well_formed(pathological, parse_text(pathological))


# --- The eleven "Expected splits" of corpus-notes.md ----------------------------------------


def test_case_01_continue_reading_glued_to_a_paragraph_ends_a_truncated_statement() -> None:
    """000:9-16."""
    first, second = parsed("000")[:2]
    assert first.truncated and (first.start_line, first.end_line) == (1, 9)
    last = first.segments[-1]
    assert (last.kind, last.line) == ("paragraph", 9)
    assert last.text.endswith("admitted to the heinous acts.")
    assert "Continue reading" not in last.text
    assert first.metadata == [Unit("continue-reading", "Continue reading", 9, 9)]

    assert second.title == "Statement on the 2015\u00a0IMD"  # the source's NBSP is kept
    assert " ".join(second.title.split()) == "Statement on the 2015 IMD"
    assert kinds_by_line(second.segments[:3]) == [(11, "title"), (13, "subtitle"), (15, "subtitle")]
    assert second.segments[2].text == seed_line("000", 15)  # the date on line 16 is split off
    assert (second.date, second.date_text) == ("2015-12-18", "18 December\u00a02015")
    assert unit_at(second, 16) == Unit("date", "18 December\u00a02015", 16, 16)
    assert second.truncated


def test_case_02_continue_reading_line_then_header_metadata_and_repeated_title() -> None:
    """002:77-90."""
    before, after = statement_at("002", 77), statement_at("002", 79)
    assert before.truncated and before.end_line == 77
    assert before.metadata[-1] == Unit("continue-reading", "Continue reading", 77, 77)

    assert after.start_line == 79 and after.title == seed_line("002", 79)
    assert (after.date, after.date_text) == ("2016-09-08", "08 September 2016")
    assert kinds_by_line(after.metadata) == [
        (81, "press"), (82, "date"), (83, "reference"), (84, "contact"), (86, "repeated-title"), (90, "continue-reading"),
    ]  # fmt: skip
    assert unit_at(after, 84).text == "Tel. No.: 96081475"
    assert unit_at(after, 86).text == seed_line("002", 86)  # dropped from translation, not lost
    assert kinds_by_line(after.segments) == [(79, "title"), (88, "paragraph")]
    assert after.truncated and after.end_line == 90


def test_case_03_sign_off_closes_and_an_exclaimed_title_opens() -> None:
    """000:145-151."""
    before, after = statement_at("000", 145), statement_at("000", 149)
    assert before is not after
    assert before.end_line == 147
    assert unit_at(before, 147) == Unit("reference", "For reference: Eni Lestari, chairperson", 147, 147)
    assert after.title == "Justice for the 26! Investigate the jungle graves in\u00a0Thailand!"
    assert kinds_by_line(after.segments[:2]) == [(149, "title"), (151, "paragraph")]


def test_case_04_closing_slogans_then_a_headline_with_a_dated_header() -> None:
    """001:145-165."""
    before, after = statement_at("001", 145), statement_at("001", 156)
    assert kinds_by_line(before.segments[-5:]) == [(145, "paragraph"), (147, "slogan"), (149, "slogan"), (151, "slogan"), (153, "slogan")]
    assert before.end_line == 153
    assert after.start_line == 156 and after.title == seed_line("001", 156)
    assert (after.date, after.date_text) == ("2018-04-06", "April 6, 2018")
    assert unit_at(after, 159).kind == "date"
    subtitle = unit_at(after, 161)
    assert (subtitle.kind, subtitle.end_line) == ("subtitle", 163)
    assert subtitle.text == seed_line("001", 161) + " " + seed_line("001", 163)
    assert kinds_by_line(after.segments[:3]) == [(156, "title"), (161, "subtitle"), (165, "paragraph")]


def test_case_05_header_sign_off_does_not_end_and_a_closerless_statement_starts() -> None:
    """002:41-73."""
    statement = statement_at("002", 41)
    assert (statement.start_line, statement.end_line) == (41, 64)
    assert kinds_by_line(statement.metadata) == [(45, "reference"), (46, "date")]
    assert statement.date == "2017-12-04"
    assert kinds_by_line(statement.segments[:3]) == [(41, "title"), (43, "subtitle"), (48, "paragraph")]

    following = statement_at("002", 66)
    assert following.start_line == 66 and following.title == "IMA Statement on 2016 Migrants\u00a0Day"
    subtitle = following.segments[1]
    assert (subtitle.kind, subtitle.line, subtitle.end_line) == ("subtitle", 68, 69)
    assert subtitle.text == seed_line("002", 68) + " " + seed_line("002", 69)
    assert (following.date, unit_at(following, 71).kind) == ("2016-12-18", "date")
    assert unit_at(following, 73).kind == "paragraph"


def test_case_06_subheadings_stay_inside_their_statement() -> None:
    """001:40-44, and 34, 52, 66."""
    statement = statement_at("001", 42)
    assert statement.start_line == 28
    for line in (34, 42, 52, 66):
        heading = unit_at(statement, line)
        assert (heading.kind, heading.text) == ("heading", seed_line("001", line))
    assert unit_at(statement, 40).kind == unit_at(statement, 44).kind == "paragraph"


def test_case_07_dateline_closes_a_statement() -> None:
    """000:95-102."""
    before, after = statement_at("000", 95), statement_at("000", 100)
    assert unit_at(before, 95).kind == "paragraph"
    assert unit_at(before, 97) == Unit("dateline", "Quezon City, Philippines\nNovember 12-13, 2015", 97, 98)
    assert (before.date, before.date_text, before.end_line) == ("2015-11-12", "November 12-13, 2015", 98)
    assert after.start_line == 100 and after.title == seed_line("000", 100)
    assert unit_at(after, 102).kind == "paragraph"


def test_case_08_date_trailing_a_title_is_split_off() -> None:
    """001:28."""
    statement = statement_at("001", 28)
    assert statement.title == (
        "A World Without Forced Migration: Statement of the International Migrants Alliance"
        " on the Global Compact on Safe, Regular and Orderly Migration"
    )
    assert statement.segments[0] == Unit("title", statement.title, 28, 28)
    assert unit_at(statement, 28, kind="date").text == "30 June\u00a02018"
    assert (statement.date, statement.date_text) == ("2018-06-30", "30 June\u00a02018")


def test_case_09_single_newlines_break_after_a_sentence_and_wrap_otherwise() -> None:
    """000:26-27 are a lead and a paragraph; 002:94-96 is one subtitle."""
    statement = statement_at("000", 26)
    lead, paragraph = unit_at(statement, 26), unit_at(statement, 27)
    assert (lead.kind, lead.text, lead.end_line) == ("subtitle", seed_line("000", 26), 26)
    assert (paragraph.kind, paragraph.text) == ("paragraph", seed_line("000", 27))

    subtitle = unit_at(statement_at("002", 94), 94)
    assert (subtitle.kind, subtitle.end_line) == ("subtitle", 96)
    assert subtitle.text == (
        "Fight for our rights, our families, our future: Migrant and local workers unite for a world without imperialist globalization!"
    )


def test_case_10_inline_numbered_list_stays_one_paragraph() -> None:
    """000:69."""
    paragraph = unit_at(statement_at("000", 69), 69)
    assert paragraph == Unit("paragraph", seed_line("000", 69), 69, 69)
    assert "1. Further" in paragraph.text and "4. Build" in paragraph.text


def test_case_11_end_mark_and_contact_block_close_a_statement() -> None:
    """001:218-229."""
    before, after = statement_at("001", 218), statement_at("001", 229)
    last = unit_at(before, 218, kind="paragraph")
    assert last.text == "We call for international solidarity in upholding human rights and development justice."
    assert unit_at(before, 218, kind="end-mark").text == "###"
    contact = unit_at(before, 221)
    assert (contact.kind, contact.end_line) == ("contact", 226)
    assert contact.text.splitlines() == [seed_line("001", n) for n in range(221, 227)]
    assert not [u for u in before.segments if u.line >= 219]  # never sent to translation
    assert before.end_line == 226
    assert after.start_line == 229 and after.title == seed_line("001", 229)


# --- Other rules of the notes and the brief ----------------------------------------------------


@pytest.mark.parametrize(
    ("line", "mark"),
    [(23, "#"), (179, "#"), (218, "###")],
    ids=["space-hash", "dot-hash", "space-triple-hash"],
)
def test_end_marks_leave_the_paragraph_with_only_the_mark_removed(line: int, mark: str) -> None:
    """001:23 ends " #", 001:179 ".#", 001:218 " ###"."""
    statement = statement_at("001", line)
    source = seed_line("001", line)
    assert source.endswith(mark)
    assert unit_at(statement, line, kind="end-mark").text == mark
    assert unit_at(statement, line, kind="paragraph").text == source[: -len(mark)].rstrip()


def test_contact_block_broken_by_a_blank_line_is_one_unit() -> None:
    """001:182-191: two teams' phone numbers, one contact unit, nothing to translate."""
    statement = statement_at("001", 182)
    contact = unit_at(statement, 182)
    assert (contact.kind, contact.end_line) == ("contact", 191)
    assert contact.text.splitlines() == [seed_line("001", n) for n in range(182, 192) if seed_line("001", n)]
    assert not [u for u in statement.segments if u.line > 179]


def test_newslinks_after_the_sign_off_stay_with_their_statement() -> None:
    """001:120-131: the reference, a lead-in and its list items; 133 then starts the next statement."""
    statement = statement_at("001", 123)
    assert statement.start_line == 86 and statement.end_line == 131
    units = sorted([*statement.segments, *statement.metadata], key=lambda u: u.line)
    assert [(u.line, u.kind) for u in units if u.line >= 112] == [
        (112, "slogan"), (114, "slogan"), (116, "slogan"), (118, "slogan"), (120, "reference"),
        (123, "paragraph"), (125, "list-item"), (126, "list-item"), (127, "list-item"),
        (129, "paragraph"), (130, "list-item"), (131, "list-item"),
    ]  # fmt: skip


def test_repeated_titles_are_metadata() -> None:
    """002:86 and 003:28 repeat the title right under the header."""
    for prefix, line in (("002", 86), ("003", 28)):
        statement = statement_at(prefix, line)
        assert unit_at(statement, line).kind == "repeated-title"
        assert " ".join(unit_at(statement, line).text.split()) == " ".join(statement.title.split())
        assert [u.kind for u in statement.segments].count("title") == 1


def test_statement_of_the_alliance_line_is_a_subtitle_and_dates_in_all_forms_parse() -> None:
    assert unit_at(statement_at("003", 30), 30).kind == "subtitle"
    dates = {(prefix, s.start_line): (s.date, s.date_text) for prefix in SEED_PREFIXES for s in parsed(prefix)}
    assert dates[("002", 1)] == ("2018-10-27", "27 October 2018")  # "27 October 2018 Statement"
    assert dates[("001", 193)] == ("2018-03-28", "March 28, 2018")  # dateline with the place after
    assert dates[("003", 24)] == ("2012-12-18", "December 18, 2012")
    assert dates[("002", 92)] == ("2016-05-01", "1 May 2016")
    assert dates[("001", 86)] == (None, None)


def test_signoff_with_affiliation_line_is_one_unit() -> None:
    """000:124-125: a name and an affiliation, not a title and a subtitle."""
    statement = statement_at("000", 124)
    assert statement.start_line == 100
    assert unit_at(statement, 124) == Unit("signoff", seed_line("000", 124) + "\n" + seed_line("000", 125), 124, 125)


def test_source_text_is_kept_as_written() -> None:
    """Missing spaces and NBSPs stay: a fix-up may be suggested elsewhere, never done silently."""
    assert "concludethat" in unit_at(statement_at("001", 40), 40).text
    nbsp_in_segments = sum(u.text.count("\u00a0") for prefix in SEED_PREFIXES for s in parsed(prefix) for u in s.segments)
    nbsp_in_metadata = sum(u.text.count("\u00a0") for prefix in SEED_PREFIXES for s in parsed(prefix) for u in s.metadata)
    assert nbsp_in_segments + nbsp_in_metadata == sum(seed_text(prefix).count("\u00a0") for prefix in SEED_PREFIXES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Title\n\nsub wraps\nonto two lines\n\nBody.",
            [("title", "Title"), ("subtitle", "sub wraps onto two lines"), ("subtitle", "Body.")],
        ),
        (
            "Title\nSecond line\n18 December 2015",
            [("title", "Title"), ("subtitle", "Second line")],
        ),
        (
            "Title\n\nOur demands:\n- decent wages;\n- an end to overcharging;",
            [("title", "Title"), ("subtitle", "Our demands:"), ("list-item", "- decent wages;"), ("list-item", "- an end to overcharging;")],
        ),
    ],
    ids=["soft-wrap", "type-change", "list"],
)
def test_single_newlines(text: str, expected: list[tuple[str, str]]) -> None:
    (statement,) = parse_text(text)
    assert [(u.kind, u.text) for u in statement.segments] == expected


def test_continue_reading_with_crlf_and_a_file_that_starts_with_body_text() -> None:
    """A body paragraph cannot be a title: its first sentence is; the rest stays a paragraph on the same line."""
    body = "This year migrants have faced tremendous odds. " + "Economies remain fragile and jobs are scant. " * 4
    text = "\r\n".join([body + "Continue reading", "", "Next Statement", "", "Short lead."])
    first, second = parse_text(text)
    assert first.title == "This year migrants have faced tremendous odds."
    assert [(u.kind, u.line) for u in first.segments] == [("title", 1), ("paragraph", 1)]
    assert first.segments[1].text == body.strip()[len(first.title) + 1 :]
    assert first.truncated and first.metadata == [Unit("continue-reading", "Continue reading", 1, 1)]
    assert (second.title, second.start_line) == ("Next Statement", 3)


@pytest.mark.parametrize("text", ["", "\n", "   \n\u00a0\n\t", "\r\n\r\n"])
def test_empty_or_blank_text_gives_no_statement(text: str) -> None:
    assert parse_text(text) == []


def test_text_without_anything_to_translate_keeps_its_metadata() -> None:
    (statement,) = parse_text("Continue reading\n\n18 December 2015")
    assert statement.title == "" and statement.segments == []
    assert kinds_by_line(statement.metadata) == [(1, "continue-reading"), (3, "date")]
    assert statement.truncated and statement.date == "2015-12-18"


# --- Social-media page dumps ------------------------------------------------------------------


@functools.cache
def social_dump() -> tuple[str, tuple[ParsedStatement, ...]]:
    text = SOCIAL_DUMP.read_text(encoding="utf-8")
    return text, tuple(parse_text(text))


def test_social_dump_has_one_statement_per_post() -> None:
    text, posts = social_dump()
    assert_well_formed(text, list(posts))
    assert [(p.start_line, p.date) for p in posts] == [
        (1, "2019-12-18"), (14, "2019-12-15"), (21, "2019-12-10"), (25, "2019-12-05"), (29, "2019-12-01"),
    ]  # fmt: skip
    assert not any(p.truncated for p in posts)


def test_social_dump_header_footer_and_multiple_date_lines_are_metadata() -> None:
    _, posts = social_dump()
    first, last = posts[0], posts[-1]
    assert kinds_by_line(first.metadata[:3]) == [(1, "page-header"), (7, "date"), (8, "date")]
    assert first.metadata[0].end_line == 5 and first.date_text == "18/12/2019"
    footer = last.metadata[-1]
    assert (footer.kind, footer.line, footer.end_line) == ("page-footer", 34, 38)
    assert footer.text.startswith("Address\n") and "\nAlerts\n" in footer.text
    assert all(u.line < 34 for u in last.segments)


def test_social_dump_posts_titles_are_real_text() -> None:
    """A short first line is the title; a post that opens with a paragraph has no title segment and takes
    its title field from the first sentence, cut to 80 characters, never invented."""
    text, posts = social_dump()
    lines = NEWLINES.split(text)
    assert [p.title for p in posts] == [
        "🎉 Happy International Migrants Day! 🎉",
        "Join our Sunday forum on the new Labour Code amendments and Article 278 [263]",
        "Mga kababayan, huwag nating hayaang ipagpatuloy ang sobrang singil ng mga",
        "Salamat sa lahat ng dumalo!",
        "📢 PAHAYAG | Statement on the death of a Filipino domestic worker in Sha Tin",
    ]
    assert [p.segments[0].kind for p in posts] == ["title", "paragraph", "paragraph", "paragraph", "title"]
    for post in posts:
        first = post.segments[0]
        assert len(post.title) <= 80
        assert first.text.startswith(post.title)
        assert lines[first.line - 1].strip().startswith(first.text)
    tagalog = posts[2]
    assert [(u.kind, u.text) for u in tagalog.segments] == [
        ("paragraph", lines[21].strip()),
        ("paragraph", "Ipaglaban ang ating karapatan! ✊"),
    ]
    assert lines[21].strip() == (
        "Mga kababayan, huwag nating hayaang ipagpatuloy ang sobrang singil ng mga ahensya!"
        " Sumama sa ating kampanya laban sa overcharging at ilegal na pagkakaltas sa sahod."
    )


def test_social_dump_links_previews_lists_emails_and_brackets() -> None:
    _, posts = social_dump()
    first, second, *_, last = posts
    assert unit_at(first, 11) == Unit("link", "Register here: bit.ly/imd2019-hk", 11, 11)
    preview = unit_at(first, 12)
    assert preview.kind == "note" and preview.text.endswith("...")
    assert second.segments[0].text.startswith(preview.text.removesuffix("..."))  # an exact-prefix repeat
    assert "Article 278 [263] (g)" in second.segments[0].text
    assert kinds_by_line(second.segments) == [(15, "paragraph"), (16, "list-item"), (17, "list-item"), (18, "list-item")]
    assert unit_at(second, 16).text == "- Venue: Chater Garden, Central;"
    assert unit_at(second, 19) == Unit("contact", "For inquiries, e-mail [email\u00a0protected]", 19, 19)
    assert unit_at(last, 32).kind == "contact"


@pytest.mark.parametrize("ellipsis", ["...", "…", "... See more", "…see more"])
def test_a_lone_preview_is_not_a_post(ellipsis: str) -> None:
    preview = "Join the rally for a living wage at Chater Garden" + ellipsis
    text = f"Page\n\n01/02/2020\n{preview}\n\n02/02/2020\nJoin the rally for a living wage at Chater Garden this Sunday."
    (post,) = parse_text(text)
    assert kinds_by_line(post.metadata) == [(1, "page-header"), (3, "date"), (4, "note"), (6, "date")]
    assert unit_at(post, 4).text == preview
    assert post.segments == [Unit("title", "Join the rally for a living wage at Chater Garden this Sunday.", 7, 7)]
    assert post.date == "2020-02-01"


def test_a_long_post_title_ends_where_the_mt_splitter_ends_the_first_sentence() -> None:
    """Both splitters know the same abbreviations: "Rep. Casilao" and "Brgy. Bagong Silang" end no sentence.

    The paragraph itself stays whole: only the title field is cut from it.
    """
    first_line = "Workers joined Rep. Casilao and Sen. Hontiveros at Brgy. Bagong Silang on Labor Day. The police blocked their march."
    (post,) = parse_text(f"Page\n\n01/05/2020\n{first_line}\n")
    assert post.segments == [Unit("paragraph", first_line, 4, 4)]
    first_sentence = split_sentences(first_line)[0]
    assert first_sentence == "Workers joined Rep. Casilao and Sen. Hontiveros at Brgy. Bagong Silang on Labor Day."
    assert post.title == "Workers joined Rep. Casilao and Sen. Hontiveros at Brgy. Bagong Silang on Labor"  # cut to 80, at a space
    assert first_sentence.startswith(post.title)


@functools.cache
def fixture_posts(name: str) -> tuple[str, tuple[ParsedStatement, ...]]:
    """A page dump of ``tests/fixtures/segmenter/``, checked to be well formed and to lose nothing."""
    text = (SOCIAL_DUMP.parent / name).read_text(encoding="utf-8")
    posts = tuple(parse_text(text))
    assert_well_formed(text, list(posts))
    return text, posts


def fixture_line(text: str, number: int) -> str:
    return NEWLINES.split(text)[number - 1].strip()


def test_a_see_more_preview_is_a_note_even_cut_mid_word_over_the_next_posts_title_and_body() -> None:
    """social_see_more.txt:7-8 previews the post of lines 11-12, flattened onto one line, cut in "inve...",
    with "See more" on a line of its own."""
    text, posts = fixture_posts("social_see_more.txt")
    rally, statement, _ = posts
    assert kinds_by_line(rally.segments) == [(5, "title"), (6, "paragraph")]
    assert unit_at(rally, 7) == Unit("note", fixture_line(text, 7), 7, 7)
    assert unit_at(rally, 8) == Unit("note", "See more", 8, 8)
    assert [(u.kind, u.text) for u in statement.segments] == [("title", fixture_line(text, 11)), ("paragraph", fixture_line(text, 12))]


def test_a_see_more_preview_followed_by_its_full_post_in_the_same_post_is_a_note() -> None:
    """social_see_more.txt:16 is the full text of the preview on line 15 ("... ear… See more")."""
    text, posts = fixture_posts("social_see_more.txt")
    training = posts[2]
    assert unit_at(training, 15) == Unit("note", fixture_line(text, 15), 15, 15)
    assert training.segments == [Unit("paragraph", fixture_line(text, 16), 16, 16)]
    for post in posts:
        assert not [u.text for u in post.segments if u.text.endswith(("...", "…", "See more"))]


def test_a_post_body_repeated_in_full_right_after_itself_is_imported_once() -> None:
    """social_repeated_body.txt: a whole body twice (4-5 = 6-7); a body after a title twice (11 = 12); a body
    repeated on one line (15-16 = 17); a two-word chant said twice (20-21) is the text itself."""
    text, posts = fixture_posts("social_repeated_body.txt")
    assembly, joy, rally, chant = posts
    assert kinds_by_line(assembly.segments) == [(4, "title"), (5, "paragraph")]
    assert unit_at(assembly, 6) == Unit("repeated-text", fixture_line(text, 6) + "\n" + fixture_line(text, 7), 6, 7)
    assert kinds_by_line(joy.segments) == [(10, "title"), (11, "paragraph")]
    assert unit_at(joy, 12) == Unit("repeated-text", fixture_line(text, 11), 12, 12)
    assert kinds_by_line(rally.segments) == [(15, "title"), (16, "paragraph")]
    assert unit_at(rally, 17).kind == "repeated-text"
    assert kinds_by_line(chant.segments) == [(20, "title"), (21, "paragraph")]


def test_a_contact_block_under_a_reference_or_contact_label_is_metadata_as_a_whole() -> None:
    """social_contact_block.txt: "For reference:" over name, title, organisation, phone and e-mail (7-12);
    "For reference: <name>" over a title line and a phone (16-18); "Contact:" with its block after a blank line (22-26)."""
    text, posts = fixture_posts("social_contact_block.txt")
    statement, clinic, meeting = posts
    for post, first, last in ((statement, 7, 12), (clinic, 16, 18), (meeting, 22, 26)):
        contact = unit_at(post, first)
        assert (contact.kind, contact.end_line) == ("contact", last)
        assert contact.text.splitlines() == [fixture_line(text, n) for n in range(first, last + 1) if fixture_line(text, n)]
        assert not [u for u in post.segments if u.line >= first]  # never sent to translation
    assert kinds_by_line(statement.segments) == [(4, "title"), (5, "paragraph")]


def test_a_post_without_a_title_gets_no_title_segment_and_a_short_title_from_its_first_paragraph() -> None:
    """social_untitled_post.txt: a post that is one long paragraph (4), a post that is a list (7-8), and a titled post (11)."""
    text, posts = fixture_posts("social_untitled_post.txt")
    appeal, services, rights_day = posts
    assert appeal.segments == [Unit("paragraph", fixture_line(text, 4), 4, 4)]
    assert appeal.title == "Mga kababayan, huwag nating hayaang ipagpatuloy ang sobrang singil ng mga"
    assert kinds_by_line(services.segments) == [(7, "list-item"), (8, "list-item")]
    assert services.title == fixture_line(text, 7)
    assert kinds_by_line(rights_day.segments) == [(11, "title"), (12, "paragraph")]
    assert rights_day.title == "Happy International Human Rights Day"


# --- Properties ------------------------------------------------------------------------------


_SEED_LINES = sorted({line for prefix in SEED_PREFIXES for line in NEWLINES.split(seed_text(prefix))} | {""})
_TRICKY_FRAGMENTS = [
    "\n", "\n\n", "\r\n", "\r", " ", "\u00a0", "\u2028", "\t", ".", "!", ":", "–", "#", " #", ".#", " ###", "...", "…",
    "Continue reading", " Continue reading", "18 December 2015", "April 6, 2018", "November 12-13, 2015", "18/12/2019",
    "27 October 2018 Statement", "Reference: Eni Lestari", "Eni Lestari, chairperson", "Tel. No.: 96081475",
    "+63 2 927 7060", "Register here: bit.ly/x", "[email\u00a0protected]", "- item;", "1. ", "Address", "Alerts",
    "Quezon City, Philippines", "IMA Statement on X", "Press Release", "Dr. ", "U.S. ", "Article 278 [263] (g)",
    "Mabuhay ang migrante! ", "🎉", "see more", "… See more", "\nSee more\n", "For reference:\n", "Contact:\n\n",
    "Dolores Balladares\n", "Chairperson\n",
]  # fmt: skip

arbitrary_text = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(_TRICKY_FRAGMENTS)), max_size=40).map("".join)
recombined_seed_lines = st.lists(st.sampled_from(_SEED_LINES), max_size=60).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_parses_and_loses_nothing(text: str) -> None:
    assert_well_formed(text, parse_text(text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arbitrary_text)
def test_text_with_corpus_markers_parses_and_loses_nothing(text: str) -> None:
    assert_well_formed(text, parse_text(text))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(recombined_seed_lines)
def test_recombined_seed_lines_parse_and_lose_nothing(text: str) -> None:
    assert_well_formed(text, parse_text(text))
