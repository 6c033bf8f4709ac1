"""A figure that rests on a document (issue #10): "according to a report by X", "X data showed",
"the survey found" name a document, not a speaker, and an unlinked document leaves the figure
unsourced (annotation guide: "a named but unlinked document"). Every sentence is written here."""

from __future__ import annotations

import pytest

from citelint.analysis import Analysis
from citelint.analysis.provenance import FigurePolicy, figure_verdicts
from citelint.analysis.registry import load_registry
from citelint.document import parse


def verdicts(text: str, kind: str = "text") -> dict[str, tuple[str, str]]:
    analysis = Analysis(parse(text, "story.md" if kind == "markdown" else "story.txt", kind), load_registry)
    return {
        analysis.figures[verdict.index].figure.text: (verdict.status, verdict.reason)
        for verdict in figure_verdicts(analysis, FigurePolicy())
    }


@pytest.mark.parametrize(("text", "figure"), [
    ("Transport Department data also showed bus use fell 12% last year.\n", "12%"),
    ("The Harbour Board published its audit in May.\n\nThe audit found that 27% of berths were empty.\n", "27%"),
    # a participle describing the document: still the document speaking
    ("Lind leads Hale by 46 percent to 39 percent, according to a Harbour Gazette poll released Monday.\n",
     "46 percent"),
    # an aggregate of polls
    ("Lind leads at 49.2 percent, according to the HarbourPolitics polling average.\n", "49.2 percent"),
])
def test_a_figure_resting_on_an_unlinked_document_is_unsourced(text, figure):
    assert verdicts(text)[figure] == ("unlinked-document", "document-source")


@pytest.mark.parametrize(("text", "figure"), [
    ("A quarter of tenants pay over half their income in rent, according to a report by charity Shelterwise.\n",
     "A quarter of"),
    # the document set in the scene, its owner described before its name
    ("In a report compiled by housing body Shelterwise Trust, a quarter of tenants were said to be in arrears.\n",
     "a quarter of"),
    # the participle after a comma names the owner
    ("The study, conducted by consultancy Kelby Partners, found that 16% of visitors came to read.\n", "16%"),
])
def test_a_figure_in_a_sentence_naming_an_unlinked_document_owner_is_unsourced(text, figure):
    assert verdicts(text)[figure] == ("unlinked-document", "unlinked-document")


def test_a_linked_document_sources_its_figure():
    text = "Bus use fell 12% last year, according to [a report by the Kelby Transit Office](https://kelby.example/report).\n"
    assert verdicts(text, "markdown")["12%"][0] != "unlinked-document"


def test_a_named_speaker_still_sources_a_figure():
    text = "Ann Halvard, who runs the depot, said bus use fell 12% last year.\n"
    assert verdicts(text)["12%"] == ("named-source", "named-source")


@pytest.mark.parametrize("text", [
    "The Office for National Statistics said inflation rose to 3.2% in June.\n",
    "The Kelby Harbour Survey said the quay handled 40,000 tonnes in May.\n",
])
def test_an_organisation_whose_name_ends_in_a_document_noun_states_its_figure(text):
    assert all(status != "unlinked-document" for status, _ in verdicts(text).values())


def test_a_document_linked_earlier_sources_its_figures_later():
    text = ("A [report by the Kelby Housing Trust](https://kelby.example/report) found rents rose sharply.\n\n"
            "The report also found that 40% of tenants were behind on payments.\n")
    assert verdicts(text, "markdown")["40%"][0] != "unlinked-document"


def test_the_paper_referring_back_is_the_newspaper():
    text = "The Kelby Courier reported on Monday that the yard would close.\n\nThe paper said 40 of the jobs were in Dunmore.\n"
    assert verdicts(text)["40"][0] != "unlinked-document"


def test_a_document_noun_opening_the_sentence_is_still_a_document():
    text = "Figures released by the Kelby Transit Office showed bus use fell 12% last year.\n"
    assert verdicts(text)["12%"][0] == "unlinked-document"


@pytest.mark.parametrize("text", [
    "Download sales reached 312,000 in the last week of May, according to the Harbour Phonographic Institute.\n",
    "Download sales reached 312,000 in May, according to Harbour Phonographic Institute, the trade body.\n",
])
def test_according_to_an_organisation_names_who_states_the_figure(text):
    # The guide: "a figure a named person or organisation states" is sourced; only a document is not.
    assert verdicts(text)["312,000"] == ("named-source", "named-source")


def test_according_to_figures_from_an_organisation_rests_on_its_document():
    text = "Download sales reached 312,000 in May, according to figures from the Harbour Phonographic Institute.\n"
    assert verdicts(text)["312,000"][0] == "unlinked-document"


def test_a_misread_attribution_names_no_source_for_a_figure():
    text = "Fares rose in May.\n\nThe pay deal agreed with drivers added £2m to costs.\n"
    assert verdicts(text)["£2m"] == ("unsourced", "no-source")


def test_a_document_inside_a_person_s_description_is_no_document_source():
    text = "Ann Marsh, an economist whose study covered 12 cities, said rents rose 14 percent.\n"
    assert verdicts(text)["14 percent"] == ("named-source", "named-source")


@pytest.mark.parametrize(("text", "figure"), [
    # the tagger's "showed" has no speaker ("store sales"): the guild speaks for the sentence
    ("In the three months to May, store sales showed a growth rate of 2.1%, the same as in the spring, "
     "the Harwick Retail Guild said.\n", "2.1%"),
    # nobody predicts in the clause, but the sentence names who does
    ("By 2009, it is predicted that there will be almost 3 million garden robots in homes, "
     "according to the Kelso Institute.\n", "almost 3 million"),
])
def test_a_named_speaker_of_the_sentence_covers_a_figure_no_speaker_s_cue_holds(text, figure):
    assert verdicts(text)[figure] == ("named-source", "named-source")


def test_a_named_speaker_elsewhere_in_the_sentence_does_not_take_a_figure_nobody_gave():
    """Found by this round's review: the mayor's words are another clause's."""
    text = "It is estimated that 3 million homes flooded, but Mayor Ann Lee said repairs would start soon.\n"
    assert verdicts(text)["3 million"] == ("vague-source", "vague-source")


def test_a_figure_ending_the_sentence_is_in_what_the_document_reports():
    """Found by this round's review: the content dropped a final "%", so "8%" was outside it."""
    assert verdicts("The Kelso study shows fares rose 8%.\n")["8%"] == ("unlinked-document", "document-source")
