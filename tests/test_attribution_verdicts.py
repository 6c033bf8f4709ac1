"""The attribution and source-mention strategies of the verdict layer, one mechanism each.

Every sentence here is written for these tests.
"""

from __future__ import annotations

import pytest

from citelint.analysis import Analysis
from citelint.analysis.provenance import REPORTABLE, attribution_verdicts, source_verdicts
from citelint.analysis.registry import load_registry
from citelint.config import Config
from citelint.document import parse
from citelint.engine import Linter


def analysis(text: str) -> Analysis:
    return Analysis(parse(text, "story.txt", "text"))


def reports_attribution(text: str) -> bool:
    """Whether vague-attribution would report anything in ``text``."""
    return any(verdict.status in REPORTABLE["attribution"] for verdict in attribution_verdicts(analysis(text)))


def verdict_for(text: str, cue: str) -> tuple[str, str]:
    """(status, reason) of the attribution whose cue contains ``cue``."""
    found = analysis(text)
    for verdict in attribution_verdicts(found):
        if cue in found.attributions[verdict.index].cue.text:
            return verdict.status, verdict.reason
    raise AssertionError([a.cue.text for a in found.attributions])


@pytest.mark.parametrize(
    ("text", "cue", "reason"),
    [
        # a hearsay adverb, whoever the subject is
        ("Dock workers in Portmere have reportedly voiced fears that the terminal will close.\n", "reportedly",
         "hearsay-adverb"),
        ("The Glenholt council allegedly ignored the warnings about the flood wall.\n", "allegedly", "hearsay-adverb"),
        # an impersonal phrase of the lexicon, as a whole
        ("There has been speculation that the Glenholt ferry line will be sold.\n", "speculation", "impersonal-phrase"),
        ("The Glenholt council came under fire for closing the pier.\n", "under fire", "impersonal-phrase"),
        ("The harbour master resigned amid allegations of fraud.\n", "allegations", "impersonal-phrase"),
        # hearsay spreading after an auxiliary or "began to"
        ("Speculation is mounting that the Glenholt ferry line will be sold.\n", "mounting", "impersonal-phrase"),
        ("Rumours began to circulate that the harbour master would quit.\n", "circulate", "impersonal-phrase"),
        ("Fears have been growing that the Glenholt pier will close.\n", "growing", "impersonal-phrase"),
    ],
)
def test_hearsay_and_impersonal_phrases_put_the_claim_on_nobody(text, cue, reason):
    assert verdict_for(text, cue) == ("agentless", reason)


@pytest.mark.parametrize(
    ("text", "agentless"),
    [
        ("The Glenholt walk-out is considered one of the largest strikes in years.\n", True),
        ("Ferries stopped in May. The old Glenholt pier had been deemed unsafe.\n", True),
        ("The pier plan was considered by the harbour board.\n", False),
        # a named agent after a passive or an impersonal phrase is someone (found by the review)
        ("The Glenholt tower was considered unsafe by the Harbour Commission.\n", False),
        ("The minister came under fire from the Harbour Commission over the delays.\n", False),
        ("Jo Halvard was labelled a flight risk by the judge.\n", False),
    ],
)
def test_a_labelling_passive_takes_its_label_directly(text, agentless):
    assert any(v.status == "agentless" for v in attribution_verdicts(analysis(text))) == agentless


def test_a_passive_cue_after_it_puts_the_claim_on_nobody():
    text = "Ferry traffic was flat in the spring, but it is forecast to rise sharply next year.\n"
    # a passive of a claim verb, as "it is expected" is
    assert verdict_for(text, "forecast") == ("agentless", "agentless-cue")


def test_a_named_speaker_elsewhere_in_the_sentence_does_not_own_an_agentless_cue():
    text = ("It is thought that the pier will shut for the winter, although after a long meeting on Monday "
            "Mayor Tom Reed said nothing about it.\n")
    assert verdict_for(text, "thought") == ("agentless", "agentless-cue")


def test_an_agentless_cue_inside_what_a_named_speaker_says_is_theirs():
    # The reviewer's case: the speaker is far from the passive, but the passive is in what she said.
    text = "Fares rose.\n\nAnn Halvard is considered one of the best pilots on the coast, her coach said.\n"
    assert verdict_for(text, "considered") == ("named", "agentless-cue")


def test_the_agentless_cue_beside_a_named_speaker_is_theirs():
    text = "The minister was quoted as saying by Jan Ortiz that the pier would shut.\n"
    assert verdict_for(text, "quoted")[0] != "agentless"


def test_a_definite_reference_to_anonymous_sources_stays_anonymous():
    text = ("Two sources said the merger talks were close to a deal.\n\n"
            "The sources added that the board would meet on Friday.\n")
    assert verdict_for(text, "added") == ("anonymous", "refers-back")


def test_a_definite_reference_to_a_named_source_refers_back():
    text = ("Ann Lee and other researchers at Portmere University studied the harbour for a decade.\n\n"
            "The researchers said the water was cleaner than before.\n")
    assert verdict_for(text, "said") == ("refers-back", "refers-back")


def test_a_group_speaking_in_an_absolute_clause_is_vague_not_an_object():
    text = "The bypass plan was shelved last week, with many economists saying it was unaffordable.\n"
    assert verdict_for(text, "saying") == ("vague", "unnamed-source")


def test_an_object_after_a_preposition_is_still_misread():
    text = "The plan was sent with a note to residents saying the road would close.\n"
    assert verdict_for(text, "saying")[0] not in ("vague", "anonymous")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Tarrow Mills, which owns three paper plants, said demand had fallen.\n", "Tarrow Mills"),
        ("Fenwick Motors, the region's biggest carmaker, said sales fell in March.\n", "Fenwick Motors"),
        # a company named with its legal form as wire copy writes it, with no stop
        ("Harwick Mfg Co said it would reorganise its lottery unit.\n", "Harwick Mfg Co"),
        # a description whose head noun a relative clause follows
        ("Group Terlov, the Gibraltar-based holding company which controls half of Corlan, says the sale was illegal.\n",
         "Group Terlov"),
        # an aside set off by dashes, or opened by a reflexive pronoun
        ("But Harwick Bank – itself a target of a Corlan lawsuit – said documents had been backdated.\n", "Harwick Bank"),
        ("But Harwick Bank - the lender behind the bid - said documents had been backdated.\n", "Harwick Bank"),
        ("Harwick Bank, itself a target of a Corlan lawsuit, said documents had been backdated.\n", "Harwick Bank"),
        # a relative clause ending in a name describes the organisation, not a person
        ("Group Terlov, the holding company which controls Corlan, says profits rose 8%.\n", "Group Terlov"),
        ("Zentra Boerse, the exchange that is trying to buy Corlan, has said it will raise its offer.\n", "Zentra Boerse"),
        # a document credited to its owner after a time phrase
        ("Fares rose, according to a survey released on Tuesday by the Harwick Transit Trust.\n",
         "Harwick Transit Trust"),
        # a description before the name: an organisation's noun, its plural, or a plural for people
        ("Swiss drugmaker Norvalis said sales of its heart drug rose.\n", "Norvalis"),
        ("Game sales grew by 9% last year, according to industry analysts Screen Digestor.\n", "Screen Digestor"),
        ("Bookmakers Ladwell said the odds had shortened.\n", "Ladwell"),
        # a document credited with a participle of its making, its owner described before its name
        ("In the survey carried out by Velloran Research, most voters backed the plan.\n", "Velloran Research"),
        # an existential clause after the name is not part of it
        ("According to Harwick Auction House there are now more than 150 robots for sale on the site.\n",
         "Harwick Auction House"),
        # found by the second review: a kind of organisation that may also be a job, a name that
        # is a common word after its description, adjectives before a document's owner
        ("Mining giant Rio Verde said it would cut 1,200 jobs.\n", "Rio Verde"),
        ("Clothing retailer Next said full-price sales rose 4%.\n", "Next"),
        ("A report by the cross-party Harwick Affairs Committee found 45% of claims were rejected.\n",
         "Harwick Affairs Committee"),
        # a capitalised plural opening an organisation's name is part of it
        ("Farmers Union of Wales said milk prices had fallen.\n", "Farmers Union of Wales"),
        ("Carers Trust said the grant had been cut.\n", "Carers Trust"),
        # a cue that takes in the colon before a quotation still reports what follows
        ('The Tarlow Group said: "Sales rose 4% last year."\n', "Tarlow Group"),
    ],
)
def test_a_name_the_sentence_describes_as_an_organisation_is_an_unlinked_source(text, name):
    found = analysis(text)
    reported = [found.source_mentions[v.index].name for v in source_verdicts(found) if v.status == "unlinked-source"]
    assert reported == [name]


@pytest.mark.parametrize(
    "text",
    [
        # people: a singular description, or a plural one shared by a list of names
        "UK entrepreneur Ann Lee said the market was shrinking.\n",
        "Analysts Jo Lind and Ann Lee said the shares were cheap.\n",
        "Market analyst Jo Lind said the shares were cheap.\n",
        # found by this round's review: a job that an organisation's head noun also names
        "Childcare provider Ann Lee said fees would rise in April.\n",
        # a capitalised plural opening a sentence is no line of business
        "Rogers Ellis said the vote was rigged.\n",
        "Residents Jo Lind said the noise was unbearable.\n",
        # what a document is about is not who owns it
        "A review of spending at Harwick Borough Council found 12% of it was wasted.\n",
        "A survey of staff working for Tarlow Holdings found low morale.\n",
        "The report by Jo Lind attacking Oxfam was leaked to the press.\n",
        # a time phrase owns no survey, whatever word opens the sentence
        "By contrast last year's survey found that 15% of firms had failed to act.\n",
    ],
)
def test_a_description_before_a_person_names_no_organisation(text):
    found = analysis(text)
    assert [v for v in source_verdicts(found) if v.status == "unlinked-source"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Tarrow Mills, who runs the paper plant, said demand had fallen.\n",
        # "himself" marks a person (found by this round's review)
        "Pellman, himself a former banker, said profits rose 8%.\n",
        "Jo Park, a spokeswoman for the Portmere Housing Trust, said the count was accurate.\n",
    ],
)
def test_a_person_described_in_the_sentence_is_not_a_source_mention(text):
    found = analysis(text)
    reported = [found.source_mentions[v.index].name for v in source_verdicts(found) if v.status == "unlinked-source"]
    assert not {"Tarrow Mills", "Jo Park", "Pellman"} & set(reported)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # an aside of any kind about an organisation's name: a participle, a possessive
        # description, a clause, a description with no article
        ("Tarrow Holdings Co, facing claims over its pumps, said a court had approved the plan.\n",
         "Tarrow Holdings Co"),
        ("Kessel Sports Ltd, Ann Lee's management company, said she would sign a new deal.\n", "Kessel Sports Ltd"),
        ("Pellmark Corp, hit by weaker demand, said sales of its ovens fell.\n",
         "Pellmark Corp"),
        ("Dorvale Textile Inc, owned by three banks, said its revenue would rise 15%.\n", "Dorvale Textile Inc"),
        ("Harwick Trust Co, manufacturer of garden tools, said shipments would begin in May.\n",
         "Harwick Trust Co"),
        # a unit of another firm is a firm
        ("Tarrow Ferries, a unit of Kessel Group, said it would cut fares.\n", "Tarrow Ferries"),
        # the description first, then the name
        ("Ruritania's biggest bank, Tarlow, said profits rose 9%.\n", "Tarlow"),
        ("Growers' organisation, the Kessel Federation, said prices would fall.\n",
         "Kessel Federation"),
    ],
)
def test_an_organisation_named_beside_an_aside_is_an_unlinked_source(text, name):
    assert _unlinked(text) == [name]


def test_a_name_wire_copy_marks_as_a_company_s_is_an_unlinked_source_without_its_mark():
    text = ("<Kessel Mutual Insurance Co> said its ferry business lost money in May.\n\n"
            "Kessel said its bus lines made a profit.\n")
    assert _source_statuses(text) == [("Kessel Mutual Insurance Co", "unlinked-source"), ("Kessel", "repeat")]


@pytest.mark.parametrize(
    "text",
    [
        # an aside that gives a person's post, with or without an article, or "who"
        "Doug Kell, president and chief financial officer, said sales rose 4%.\n",
        "Lind, chairman of the Tarrow Music Group, said the label would be sold.\n",
        "Pellman, the chairman of the Dunmore Savings Bank, said deposits fell.\n",
        "Rask, who was finance minister until May, said the debt would be repaid.\n",
        # the post comes first and the person is named after it
        "Korbel's co-producer, Jo Rowe, said the episode would run long.\n",
        "Tarvex-Corp's CEO, Ann Lind, told reporters the scanners were ready.\n",
        "The head of that inquiry, Jon Tarlowski, said no fault was found.\n",
        # a person named with a title after the name
        "Ben Tarrow QC, representing four of the tenants, said the case was weak.\n",
        # a description of an organisation followed by a clause, a description or a person, not a name
        "The company, which hopes to grow in Asia, said sales of the Harwick 3 rose.\n",
        "The carmaker, Ruritania's second biggest, said prices would rise.\n",
        "The company, Ruritanian by origin, said prices would rise.\n",
        "The veteran broadcaster, Dave Tarrow, said prices would rise.\n",
        "Korbel's producer, Jo Rowe, said the episode would run long.\n",
        # found by the second review: no crash, nor a bracket in a name, after a description
        "The state lender, (2019), said profits rose.\n",
        "The state lender, (formerly Tarrow), said profits rose.\n",
        # a post a firm holds too, or a spokesman, after a name with no organisation's form: a person
        "Lindqvist, a senior official at the ministry, said talks would resume.\n",
        "Lindqvist, the owner of the cafe, said talks would resume.\n",
        "Lindqvist, a spokesman for the ministry, said talks would resume.\n",
        # an age
        "Lindqvist, 45, said rents had doubled.\n",
        # a capitalised post with the person's name after it
        "The Tarrow Bank Chairman, Jo Lind, said profits rose.\n",
        # a passive "it" has no agent; an owner of a hotel is a person
        "Jo Lind said it was expected to take weeks to repair the bridge.\n",
        "Jo Lind, owner of the Tarrow Hotel, was in court. Jo Lind said its rooms were full.\n",
        # markup is no wire mark
        "<b>Jo Lind</b> said the deal was done.\n",
        # a title written short with a stop, after "the" or before a party tag
        '"It hurts," said the Rev. Paul Tarrow, of the Kessel Memorial Church.\n',
        '"That is a problem," said Rep. Jim Kessel (D-S.C.), a member of the leadership.\n',
        # found by the third review: a phrase of time or place, a document's description or its author
        "The state lender, on Monday, said rents rose by 4% last year.\n",
        "The state lender, in Tarrow, said rents rose by 4% last year.\n",
        "The study, of 200 firms in Tarrow, found that wages rose by 3% last year, said Jo Lind.\n",
        "The study, by Ann Lee of Kessel University, found that rents rose by 4%.\n",
    ],
)
def test_a_person_named_beside_an_aside_is_no_unlinked_source(text):
    assert _unlinked(text) == []


@pytest.mark.parametrize(("text", "name"), [
    # a document's credit after a comma names its owner
    ("The study, undertaken by the Kessel Commission, found that targets were missed.\n", "Kessel Commission"),
    ("The survey, conducted by consultancy Tarrow Zones, found that a third of shoppers came by bus.\n", "Tarrow Zones"),
    # a name's closing stop that also ends the sentence lies outside the attribution's source
    ('"Our spring lines sold out in a week," said T&R.\n', "T&R."),
])
def test_a_source_named_across_a_comma_or_a_closing_stop_is_an_unlinked_source(text, name):
    assert _unlinked(text) == [name]


def test_a_clause_before_an_aside_is_no_organisation_s_name():
    # Two lines run together (the first lost its full stop): the source phrase holds a clause.
    assert _unlinked("Spending rose by 12% The report, published by the audit office, found no fault.\n") == []


@pytest.mark.parametrize(("text", "name"), [
    # found by this round's review: a post a firm may hold too, a kind of organisation or a
    # spokesman in the aside describe the organisation, not a person
    ("Acme Holdings, the owner of the Daily Courier, said prices would rise.\n", "Acme Holdings"),
    ("Acme Studios, the producer of the show, said prices would rise.\n", "Acme Studios"),
    ("Acme Telecom, the host broadcaster, said prices would rise.\n", "Acme Telecom"),
    ("Acme Bank, the leader of the consortium, said prices would rise.\n", "Acme Bank"),
    ("Acme Capital, the manager of the fund, said prices would rise.\n", "Acme Capital"),
    ("Acme Council, the spokesman for the industry, said prices would rise.\n", "Acme Council"),
    # an aside after a comma with no space
    ("Acme Corp,the carmaker, said prices would rise.\n", "Acme Corp"),
    # found by the second review: an aside that opens a clause describes no person
    ("Tarrow Holdings, where Jo Lind is chairman, said profits rose.\n", "Tarrow Holdings"),
    ("Tarrow Holdings, whose new boss is a former minister, said profits rose.\n", "Tarrow Holdings"),
    # particles and legal forms in lower case, curly apostrophes
    ("Harwick Trading plc, the builder, said costs rose.\n", "Harwick Trading plc"),
    ("Banca d’Kessel, the central bank, said costs rose.\n", "Banca d’Kessel"),
    ("The state lender, Kessel Bank of Ruritania, said costs rose.\n", "Kessel Bank of Ruritania"),
    # a one-word name and Co; a dash with no spaces
    ("Tilly and Co said the deal was done.\n", "Tilly and Co"),
    ("Tarrow Holdings—the port owner—said profits rose.\n", "Tarrow Holdings"),
    # found by the third review: a person named in the aside, a title-like word opening a name
    ("The Tarrow Institute, led by Prof. Ann Lee, said rents rose by 4% last year.\n", "Tarrow Institute"),
    ("The Hon. Society of Tarrow Grocers said rents rose by 4% last year.\n", "Hon. Society of Tarrow Grocers"),
])
def test_an_aside_that_describes_an_organisation_keeps_its_name(text, name):
    assert _unlinked(text) == [name]


@pytest.mark.parametrize(("text", "name"), [
    # a number that opens an aside is an age only standing alone (", 45,"): a stake is no age
    ("Harwick Bank, 39 pct owned by Portmere Holdings PLC, previously reported that net income rose.\n",
     "Harwick Bank"),
    # a legal form written with stops is a legal form, at any length of name
    ("Tarrow Associates L.P. said it raised its stake in the mill.\n", "Tarrow Associates L.P."),
    ("Kelby Textil S.A. said it would cut prices.\n", "Kelby Textil S.A."),
    # after a name with an organisation's form, an indefinite description describes the firm
    ("Tarrow Associates L.P., a Chicago investment adviser, said it raised its stake in the mill.\n",
     "Tarrow Associates L.P."),
    ("Harwick Metals Ltd, a Leeds scrap dealer, said prices would rise.\n", "Harwick Metals Ltd"),
    # a name that ends as an organisation's after a role is the organisation's, not a person's
    ("The bond is priced at par, lead manager Kelby Bank Corp International said.\n",
     "Kelby Bank Corp International"),
    # a legal form set off by a comma ends the name before it
    ("Kelby de Tarrow, S.A. said it will sign a contract in May.\n", "Kelby de Tarrow"),
    ("Harwick Foods, Inc. said it will sign a contract in May.\n", "Harwick Foods"),
    # a description with a plural's possessive in it, then the name
    ("Ruritania's leading farmers' union, the KFU, said it is worried about the talks.\n", "KFU"),
])
def test_an_organisation_s_form_outweighs_what_reads_as_a_person_s(text, name):
    assert _unlinked(text) == [name]


@pytest.mark.parametrize("text", [
    # an age, an indefinite description of a person after a name with no organisation's form, a
    # role before a person's name
    "Lindqvist, 45, a retired teacher, said rents had doubled.\n",
    "Lindqvist, a scrap dealer in Leeds, said prices would rise.\n",
    "Kelby manager Jo Lind said prices would rise.\n",
    "Jo Lind, 45, said rents had doubled.\n",
    # a legal form after a comma that ends an aside about a person, or a person's post
    "Jo Lind, president of Kelby Amusements, Inc, predicted that rents would double.\n",
    "The chairman of Kelby, inc said his company had overcharged the council.\n",
])
def test_a_person_stays_a_person_beside_those_forms(text):
    assert _unlinked(text) == []


def test_the_first_word_of_an_organisation_s_name_joined_by_and_is_its_short_name():
    text = "Harwick Tyre and Rubber Co will shut a plant in May.\n\nHarwick said the move would save money.\n"
    assert _unlinked(text) == ["Harwick"]
    # a person and an organisation joined: the person's surname stays theirs
    assert _unlinked("Jo Harwick and Tarrow Corp signed the deal.\n\nHarwick said it was fair.\n") == []


@pytest.mark.parametrize(
    "text",
    [
        "BBC Political Correspondent Jo Hale said the vote was close.\n",
        "Reuters Chief Correspondent Ann Moss said the deficit would narrow.\n",
    ],
)
def test_an_organisation_before_a_title_and_a_name_is_the_person_s_affiliation(text):
    found = analysis(text)
    assert [v for v in source_verdicts(found) if v.status == "unlinked-source"] == []


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Rowe is tipped to win the title next season.\n", "tipped"),
        ("The striker has been linked with a move to Glenholt.\n", "linked"),
        ("The new ferry was billed as the fastest on the coast.\n", "billed"),
        # a participle written as its verb is ("forecast"), after "is" or "had been"
        ("Output at the yard is forecast to grow by a third next year.\n", "forecast"),
        ("Ferry profits had been forecast to double.\n", "forecast"),
    ],
)
def test_a_passive_that_labels_or_predicts_with_no_agent_is_agentless(text, cue):
    assert verdict_for(text, cue) == ("agentless", "agentless-cue")


def test_a_passive_that_narrates_is_no_attribution():
    found = analysis("The body was found in a field near Portmere on Sunday.\n")
    assert [a for a in found.attributions if "found" in a.cue.text] == []


def _source_statuses(text: str) -> list[tuple[str, str]]:
    found = analysis(text)
    return [(found.source_mentions[v.index].name, v.status) for v in source_verdicts(found)]


def _unlinked(text: str) -> list[str]:
    """The names unlinked-source reports in ``text``."""
    return [name for name, status in _source_statuses(text) if status == "unlinked-source"]


@pytest.mark.parametrize(("text", "names"), [
    # lower-case words before an organisation's name describe it: the name starts at a capital,
    # so a later use of the bare name is a repeat
    ("The issue was priced at par, said lead manager Tarrow Brothers Inc.\n\n"
     "Tarrow Brothers Inc said demand was strong.\n", ["Tarrow Brothers Inc"]),
    ("Exports will rise, the semi-official Dalvey News Agency said.\n", ["Dalvey News Agency"]),
    # a hyphenated participle is an adjective, not the start of a clause ("officials based in X")
    ("Rates will rise, the state-owned Bank of Harwick said.\n", ["Bank of Harwick"]),
    # a person named after their role, then where they work, speaks for themselves
    ("Profits will rise, said economist Jo Lindqvist of Harwick Econometrics Inc.\n", []),
])
def test_an_organisation_s_name_starts_at_its_first_capital(text, names):
    assert _unlinked(text) == names


@pytest.mark.parametrize("ticker", ["", " (CVI)", " <CVI>"])
def test_a_shortened_name_of_a_source_already_reported_is_a_repeat(ticker):
    # A stock ticker after the name, in either wire style, is not part of the name.
    text = (f"Corvale Instruments Inc{ticker} said it would cut 300 jobs at its Dunmore plant.\n\n"
            "Corvale said the plant had lost money for three years.\n")
    assert _source_statuses(text) == [(f"Corvale Instruments Inc{ticker}", "unlinked-source"), ("Corvale", "repeat")]


@pytest.mark.parametrize(("full", "short"), [("the Federal Statistics Office", "The Office"),
                                             ("the Bank of Ruritania", "The Bank"),
                                             ("the Bank of England", "The Bank"),  # a registered source
                                             ("the International Monetary Fund", "The Fund"),
                                             ("the Southend on Sea Borough Council", "The Council")])
def test_an_organisation_s_head_alone_refers_back_to_it(full, short):
    text = (f"Jobless numbers rose in February, {full} said.\n\n"
            f"{short} said that 25,000 more people were out of work.\n")
    statuses = _source_statuses(text)
    assert statuses[0][1] == "unlinked-source" and statuses[1] == (short.split()[1], "repeat")


def test_a_head_word_of_no_earlier_name_is_still_a_source():
    assert _unlinked("The Fund said the plan would cost too much.\n") == ["Fund"]


def test_a_hearsay_noun_opening_a_sentence_is_vague_not_an_organisation():
    text = "Speculation suggests that Tarrow will bid for the yard.\n"
    assert _unlinked(text) == []
    found = analysis(text)
    assert [v.status for v in attribution_verdicts(found)] == ["vague"]


@pytest.mark.parametrize(("text", "cue"), [
    ("Officials in Kelby province said the ferry would run again in May.\n", "said"),
    ("Economists in Harwell told the paper that rates would rise.\n", "told"),
])
def test_a_group_noun_opening_a_sentence_is_vague_though_a_place_name_follows(text, cue):
    assert verdict_for(text, cue)[0] == "vague"


@pytest.mark.parametrize("text", [
    "Reporters Without Frontiers said the yard had been sold.\n",
    "Economists for Fair Ports said the yard had been sold.\n",
])
def test_a_group_noun_going_on_into_a_name_is_the_name(text):
    assert verdict_for(text, "said")[0] != "vague"


@pytest.mark.parametrize("text", [
    "Officials for Tarrow Council said the road would close.\n",
    "Analysts for Ostrow Capital said the road would close.\n",
])
def test_a_group_working_for_an_organisation_stays_a_group(text):
    assert verdict_for(text, "said")[0] == "vague"


def test_a_document_noun_opening_a_sentence_is_vague_unless_credited():
    assert verdict_for("Polls in Kelby show the mayor ahead.\n", "show")[0] == "vague"
    assert verdict_for("Reports from Tarrow Radio said the yard was sold.\n", "said")[0] != "vague"


def test_a_head_refers_to_the_last_organisation_named_with_it():
    """Two banks reported in turn: "the Bank" is the second, already reported."""
    text = ("Rates will rise, the Bank of Ruritania said.\n\nRates will fall, the Bank of Freedonia said.\n\n"
            "The Bank said its forecast was cautious.\n")
    assert [status for _, status in _source_statuses(text)] == ["unlinked-source", "unlinked-source", "repeat"]


def test_words_of_an_organisation_s_name_are_not_a_person_s_surname():
    # "Halvard Brenna Shipping Group" must not make "Halvard" a person's name: "Halvard said"
    # is the organisation speaking.
    text = ("Halvard Brenna Shipping Group has dropped its bid for the ferry line.\n\n"
            "Halvard said the price was too high.\n")
    assert ("Halvard", "unlinked-source") in _source_statuses(text)


@pytest.mark.parametrize(
    "text",
    [
        # The capitalised word ending one sentence and the one opening the next are not a full name.
        "Ferry fares rose on Monday. Halvard said the price was too high.\n",
        # Nor are the last word of one paragraph and the first of the next.
        "Ferry fares rose in Portmere\n\nHalvard said the price was too high.\n",
    ],
)
def test_a_full_name_never_spans_two_sentences(text):
    assert ("Halvard", "unlinked-source") in _source_statuses(text)



@pytest.mark.parametrize(
    "text",
    [
        # A common word opening a sentence is not a first name: "And Halvard" names nobody.
        "Halvard said the price was too high.\n\n\"And Halvard does not have the money,\" he added.\n",
        "Halvard said the price was too high.\n\nBut Halvard has lost money for years.\n",
    ],
)
def test_a_common_word_before_a_name_is_not_a_first_name(text):
    assert ("Halvard", "unlinked-source") in _source_statuses(text)


def test_a_possessive_full_name_gives_the_surname():
    # "Rose Halvard’s" makes "Halvard" a person's surname, as "Rose Halvard" does.
    text = ("Rose Halvard’s depot will close, the council said.\n\n"
            "Halvard said the price was too high.\n")
    assert ("Halvard", "unlinked-source") not in _source_statuses(text)


def test_a_surname_with_an_apostrophe_is_a_surname():
    text = ("Rose O'Hallan runs the depot.\n\nO'Hallan said the price was too high.\n")
    assert ("O'Hallan", "unlinked-source") not in _source_statuses(text)


def test_a_description_between_a_capitalised_word_and_a_name_is_part_of_the_subject():
    # The subject of a participle's attribution is the whole phrase, not "Democratic".
    text = "Democratic front-runner Jo Lind was the first to weigh in, tweeting her thanks on Friday.\n"
    assert _source_statuses(text) == []


def test_a_first_name_that_is_also_a_common_word_still_makes_a_full_name():
    # "prices rose" makes "rose" a common word, but mid-sentence "Rose Halvard" is a person.
    text = ("Prices rose again, said Rose Halvard, who runs the depot.\n\n"
            "Halvard said the price was too high.\n")
    assert ("Halvard", "unlinked-source") not in _source_statuses(text)

@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A determiner before a name is not a description of a person ("entrepreneur Ann Lee").
        ("But the Greens insisted they would hold ministers to account.\n", "Greens"),
        ("Pay should rise with prices, the Harbour Workers say.\n", "Harbour Workers"),
        # A description may end with "the" before the name, after a possessive.
        ("Sailing's governing body the ISF said the explanations were unacceptable.\n", "ISF"),
        # The description opening a sentence is capitalised like the name it describes.
        ("Bookmaker Tollgate said it would keep taking bets on the final.\n", "Tollgate"),
    ],
)
def test_an_organisation_after_a_determiner_or_a_description_is_the_source(text, name):
    assert _source_statuses(text) == [(name, "unlinked-source")]


def test_an_organisation_speaking_through_an_unnamed_spokesman_is_still_named():
    # One unnamed official is anonymous; a spokesman is the organisation itself speaking.
    assert not reports_attribution("A Harbour Ministry spokesman said the quay would reopen.\n")
    assert reports_attribution("A Harbour Ministry official said the quay would reopen.\n")


@pytest.mark.parametrize("text", [
    # the group is the head, whatever organisation's name before it ("Bank of Harwick"), joined
    # by "of" or not, and whether the registry knows it ("Bank of England") or not
    "Bank of England officials said rates would rise.\n",
    "Bank of Harwick officials said rates would rise.\n",
    "Harwick Ministry officials said rates would rise.\n",
])
def test_unnamed_officials_of_a_named_organisation_are_a_vague_source(text):
    assert verdict_for(text, "said")[0] == "vague"


@pytest.mark.parametrize("text", [
    "The Bank of Harwick said rates would rise.\n",
    "Bank of Harwick said rates would rise.\n",
])
def test_an_organisation_named_with_of_keeps_its_own_head(text):
    assert verdict_for(text, "said")[0] == "named"


def test_a_person_s_surname_stays_a_person():
    text = "Ann Halvard runs the ferry line.\n\nHalvard said the price was too high.\n"
    assert all(name != "Halvard" for name, _ in _source_statuses(text))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kelby Tenants' Federation said the rent rise was unlawful.\n", "Kelby Tenants' Federation"),
        ("The Marsh Road Traders’ Guild said footfall had halved.\n", "Marsh Road Traders’ Guild"),
    ],
)
def test_a_plural_possessive_apostrophe_stays_inside_the_name(text, name):
    assert (name, "unlinked-source") in _source_statuses(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("A spokeswoman for the Orrin Valley Water Board said supplies were safe.\n", "Orrin Valley Water Board"),
        # The organisation before the role speaks; the article is no part of its name.
        ("A Norcastle spokesman said the ferry would run.\n", "Norcastle"),
        ("A Norcastle Ferries spokeswoman has said the ferry would run.\n", "Norcastle Ferries"),
        # "one" leaves the person as unnamed as "a" does
        ("One representative of the Orrin Valley Water Board said supplies were safe.\n", "Orrin Valley Water Board"),
    ],
)
def test_an_organisation_speaking_through_an_unnamed_spokesperson_is_the_source(text, name):
    assert _source_statuses(text) == [(name, "unlinked-source")]


def test_a_named_spokesperson_s_organisation_is_an_affiliation():
    text = "Ruth Ames, a spokeswoman for the Orrin Valley Water Board, said supplies were safe.\n"
    assert ("Orrin Valley Water Board", "unlinked-source") not in _source_statuses(text)


def test_an_apostrophe_closing_a_single_quotation_still_ends_the_phrase():
    text = "‘We will not pay for the repairs’ Kelby Tenants Federation said on Monday.\n"
    found = analysis(text)
    sources = [a.source.text for a in found.attributions if a.source is not None]
    assert all("repairs" not in source for source in sources)


@pytest.mark.parametrize(("text", "cue"), [
    ("Many ferry analysts were not optimistic about the new timetable.\n", "were not optimistic"),
    ("Harbour economists are divided over the toll.\n", "are divided"),
    ("The tunnel is regarded by many as a white elephant.\n", "is regarded"),
    ("The old pier is widely seen by local residents as unsafe.\n", "is widely seen"),
    # a stance a vague group takes, with no claim verb
    ("Harbour analysts broadly welcomed the toll cut.\n", "welcomed"),
    ("Many economists have urged the council to scrap the toll.\n", "have urged"),
])
def test_a_view_a_vague_group_holds_is_a_vague_attribution(text, cue):
    assert verdict_for(text, cue) == ("vague", "unnamed-source")


def test_a_passive_witnessed_by_a_group_is_not_a_label():
    assert not reports_attribution("The fireworks over the pier were seen by thousands of people.\n")


def test_a_feeling_that_is_not_a_view_is_not_reported():
    assert not reports_attribution("The harbour analysts were pleased with the new timetable.\n")


def test_a_floating_quantifier_is_not_part_of_the_source():
    found = analysis("The ferry operators all said the strike would end on Friday.\n")
    assert [a.source.text for a in found.attributions if a.source is not None] == ["The ferry operators"]


@pytest.mark.parametrize("text", [
    "KPA's Ruth Ames said the dredging would finish in May.\n",
    "UK Ports Secretary Ruth Ames said the dredging would finish in May.\n",
    "Ruth Ames from KPA said the dredging would finish in May.\n",
    "Ruth Ames from Kelby Dredging Ltd said the dredging would finish in May.\n",
    "A senior engineer at the Kelby Harbour Board said the dredging would finish in May.\n",
])
def test_a_person_named_with_a_title_or_an_employer_is_not_an_unlinked_source(text):
    assert all(status != "unlinked-source" for _, status in _source_statuses(text))


def test_an_organisation_whose_name_holds_a_title_is_still_a_source():
    text = "Harbour President Lines Ltd said the dredging would finish in May.\n"
    assert ("Harbour President Lines Ltd", "unlinked-source") in _source_statuses(text)


def test_a_one_word_company_opening_a_sentence_is_still_a_source():
    # A first word ending in "ly" is no adverb when the story never writes it in lower case.
    text = "Dorelly said its new ferry would enter service in May.\n"
    assert ("Dorelly", "unlinked-source") in _source_statuses(text)


def test_a_person_named_with_the_organisation_they_speak_for_stays_a_person():
    text = ("Jo Hale of the Northfield Housing Trust said rents were rising.\n\n"
            "Hale said 300 families were on the waiting list.\n")
    assert all(name != "Hale" for name, _ in _source_statuses(text))


@pytest.mark.parametrize(("text", "reported"), [
    ("The Kelby Foundation said it would give 40 grants.\n\nKelby said it would recall 300 ferries.\n", True),
    ("Kelby Marine Co said it would cut 40 jobs.\n\nKelby said the yard would stay open.\n", False),
])
def test_only_a_company_named_with_its_legal_form_lends_its_short_name(text, reported):
    assert (("Kelby", "unlinked-source") in _source_statuses(text)) is reported


@pytest.mark.parametrize(("text", "first", "later"), [
    ("Harwell Ferry Group said fares would rise.\n\nHFG said the change was overdue.\n", "Harwell Ferry Group", "HFG"),
    ("The Institute of Tide and Harbour Studies said silt was rising.\n\nThe ITHS added that dredging had stopped.\n",
     "Institute of Tide and Harbour Studies", "ITHS"),
    ("Tarrow & Lind said orders fell.\n\nT&L said it would cut shifts.\n", "Tarrow & Lind", "T&L"),
    ("Kelby Harbour Trust (KHTR) said silt was rising.\n\nKHTR added that dredging had stopped.\n",
     "Kelby Harbour Trust (KHTR)", "KHTR"),
    ("Kelby Harbour Trust (KHTR) said silt was rising.\n\nKelby Harbour Trust added that dredging had stopped.\n",
     "Kelby Harbour Trust (KHTR)", "Kelby Harbour Trust"),
    ("Silt is rising, the Kelby Harbour Trust (KHT) said.\n\nThe KHT added that dredging had stopped.\n",
     "Kelby Harbour Trust (KHT)", "KHT"),
    ("Fares will rise, said Tarrow & Lind.\n\nT&L said the change was overdue.\n", "Tarrow & Lind", "T&L"),
])
def test_a_source_named_again_by_its_initials_is_reported_once(text, first, later):
    statuses = dict(_source_statuses(text))
    assert statuses[first] == "unlinked-source"
    assert statuses[later] == "repeat"


@pytest.mark.parametrize(("text", "later"), [
    # the registry's source keeps its own identity
    ("Bristol Bus Company said fares would rise.\n\nThe BBC said the change was overdue.\n", "BBC"),
    # two letters from a name with a joining word, and a place's initials, are no short name
    ("The University of Sheffield said rents rose.\n\nThe US said the change was overdue.\n", "US"),
    ("Upland Kelby said rents rose.\n\nThe UK said the change was overdue.\n", "UK"),
    # a place, an exchange or another name in brackets is not the source's short name
    ("Acme Corp (UK) said prices would rise.\n\nThe UK said the change was overdue.\n", "UK"),
    ("Harwell Foods Ltd (Ireland) said prices would rise.\n\nIreland said the change was overdue.\n", "Ireland"),
    ("Harwell Foods Ltd (Hungary) said prices would rise.\n\nHungary said the change was overdue.\n", "Hungary"),
])
def test_a_name_that_only_shares_initials_is_another_source(text, later):
    assert later in _unlinked(text)


@pytest.mark.parametrize(("text", "later"), [
    ("Harwell Ferry Group Ltd said fares would rise.\n\nHFG said the change was overdue.\n", "HFG"),
    ("Harwell Ferry Group said fares would rise.\n\nH.F.G. said the change was overdue.\n", "H.F.G."),
    ("Institute For Fiscal Reform said taxes would rise.\n\nIFR said the change was overdue.\n", "IFR"),
    ("The Ministry of Trade and Industry (MTI) said exports fell.\n\nThe MTI said imports rose.\n", "MTI"),
    ("The Northern Atlantic Fishery Organisation (Nafo) said stocks fell.\n\nNafo said quotas would be cut.\n", "Nafo"),
    # initials for words the story leaves out ("Company", "Ltd")
    ("Tarrow Petroleum (TPCL) said output fell.\n\nLater, TPCL said output had recovered.\n", "TPCL"),
    # a short name given at a later mention is the source's from then on
    ("Kelby Harbour Trust said silt was rising.\n\nKelby Harbour Trust (KHTR) said dredging had stopped.\n\n"
     "KHTR said the work would resume.\n", "KHTR"),
])
def test_initials_written_other_ways_are_still_the_source(text, later):
    assert (later, "repeat") in _source_statuses(text)


@pytest.mark.parametrize(("text", "names"), [
    ("The Harbour and Canal Authority (HCA) said fees would rise.\n", ["Harbour and Canal Authority (HCA)"]),
    ("The Harwell and Kelby Authority (KA) said fees would rise.\n", ["Harwell", "Kelby Authority (KA)"]),
    ("The Inter-Island Ferry Board (IIFB) said fees would rise.\n\nThe IIFB said the change was overdue.\n",
     ["Inter-Island Ferry Board (IIFB)"]),
])
def test_initials_in_brackets_tell_one_name_from_two(text, names):
    assert _unlinked(text) == names


def test_a_short_name_given_at_a_linked_source_s_later_mention_is_linked():
    text = ("[Kelby Harbour Trust](https://kelby-harbour.example/silt) said silt was rising.\n\n"
            "Kelby Harbour Trust (KHTR) said dredging had stopped.\n\nKHTR said the work would resume.\n")
    found = Analysis(parse(text, "page.md", "markdown"), load_registry)
    assert [(m.name, m.link_reason) for m in found.source_mentions][-1] == ("KHTR", "linked-earlier")


@pytest.mark.parametrize("text", [
    # the initials of a name that was mentioned, never used as a source
    "Harwell Ferry Group opened a new route.\n\nHFG said fares would rise.\n",
    # a one-word name has no initials; a different capitalised word is no short name
    "Harwell said fares would rise.\n\nH said the change was overdue.\n",
    # written in lower case it is a word, not initials
    "Harwell Ferry Group said fares would rise.\n\nHfg said the change was overdue.\n",
])
def test_only_initials_of_a_source_already_reported_are_a_repeat(text):
    later = _source_statuses(text)[-1]
    assert later[1] == "unlinked-source"


def test_a_source_linked_under_its_name_is_linked_under_its_initials():
    text = ("[Harwell Ferry Group](https://harwell-ferries.example/fares) said fares would rise.\n\n"
            "HFG said the change was overdue.\n")
    found = Analysis(parse(text, "page.md", "markdown"), load_registry)
    later = next(mention for mention in found.source_mentions if mention.name == "HFG")
    assert (later.linked, later.link_reason) == (True, "linked-earlier")


def test_a_name_closing_a_sentence_is_the_same_source_without_its_stop():
    text = "Fares will rise, said T&L.\n\nT&L said the change was overdue.\n"
    assert [status for _, status in _source_statuses(text)] == ["unlinked-source", "repeat"]


@pytest.mark.parametrize(("text", "names"), [
    ("Most farms had no broadband, in a survey by the Harwell Trust and Pointwell.\n", ["Harwell Trust", "Pointwell"]),
    ("Waits were long in a study commissioned by the Harwell Trust and the Kelby Film Council.\n",
     ["Harwell Trust", "Kelby Film Council"]),
    ("In a poll conducted by the Tarrow Herald, the Kelby Gazette and Lindwell, most voters backed the plan.\n",
     ["Tarrow Herald", "Kelby Gazette", "Lindwell"]),
    ("Prices are rising, according to figures from the Harwell Institute and accountants Lind Partners.\n",
     ["Harwell Institute", "Lind Partners"]),
])
def test_each_owner_of_a_document_named_together_is_a_source(text, names):
    assert _unlinked(text) == names


@pytest.mark.parametrize(("text", "names"), [
    # a description of the owner's kind makes any name after it an organisation's
    ("Buyers care more about style than memory, shows a study by handset maker Zentrix.\n", ["Zentrix"]),
    ("Exports fell, according to figures gathered by research firm Dalvey Pike.\n", ["Dalvey Pike"]),
    # people described by what they do are not: "researchers" may name people
    ("A study by researchers Ann Lee and Bo Chen found long waits.\n", []),
    # nor is a day or a month after the kind: "figures from the ministry Tuesday showed"
    ("Exports fell 4%, figures from the ministry Tuesday showed.\n", []),
])
def test_a_document_owner_described_as_an_organisation_is_a_source(text, names):
    assert _unlinked(text) == names


@pytest.mark.parametrize("text", [
    # a comma inside a ministry's name, or before the sentence goes on
    "According to figures from the Ministry of Ports, Trade and Fisheries, exports fell.\n",
    "In a survey published by the Kelby Gazette, Democratic voters were asked about schools.\n",
    "A survey by the Harwell Trust and Monday's figures both showed a fall.\n",
])
def test_only_names_coordinated_with_a_document_owner_are_its_owners(text):
    assert all(name.split()[0] not in {"Trade", "Democratic", "Monday's"} for name in _unlinked(text))


@pytest.mark.parametrize(("text", "owner"), [
    # a comma or ", and" after an owner opens the next clause
    ("After a survey by the Harwell Trust, Kelby Council closed the road.\n", "Harwell Trust"),
    ("Prices rose 5%, according to the Harwell Trust, and Kelby Council cut 30 jobs.\n", "Harwell Trust"),
    ("A survey by Dunmore Holdings, the Harwell Group subsidiary, found long waits.\n", "Dunmore Holdings"),
    # people listed with an owner
    ("A survey by the Harwell Trust and UK farmers found long waits.\n", "Harwell Trust"),
    ("A study by the Harwell Institute and Republicans found long waits.\n", "Harwell Institute"),
])
def test_what_follows_a_document_owner_without_closing_a_list_is_no_owner(text, owner):
    assert _unlinked(text) == [owner]


@pytest.mark.parametrize(("text", "first"), [
    ("Farmers in both Kelby and Tarrow said prices would rise.\n", "Kelby"),
    ("Shoppers at either Acme Holdings or Zenith Group said prices would rise.\n", "Acme Holdings"),
])
def test_a_list_inside_a_group_s_description_is_no_list_of_sources(text, first):
    # (its last name is still taken for the subject: a known gap of the subject walk)
    assert first not in _unlinked(text)


@pytest.mark.parametrize(("text", "names"), [
    ("Both the Harwell Trust and the Kelby Institute have said they will appeal.\n", ["Harwell Trust", "Kelby Institute"]),
    # a time phrase before the list sets the scene; the list is still the subject
    ("On Monday both Harwell Holdings and Kelby Group said they would appeal.\n", ["Harwell Holdings", "Kelby Group"]),
    ("On Monday Harwell Holdings and Kelby Group said they would appeal.\n", ["Harwell Holdings", "Kelby Group"]),
    ("Sales fell in May, the Harwell Retail Consortium and accountants Lind Partners said.\n",
     ["Harwell Retail Consortium", "Lind Partners"]),
])
def test_each_organisation_coordinated_as_a_subject_is_a_source(text, names):
    assert _unlinked(text) == names


@pytest.mark.parametrize(("text", "names"), [
    ('In what the Harwell Institute calls an "alarming trend", waits rose to nine weeks.\n', ["Harwell Institute"]),
    ('The Kelby Gazette called the plan a "dispiriting folly".\n', ["Kelby Gazette"]),
    ('The Ashby Council, however, called the delay "unacceptable".\n', ["Ashby Council"]),
    ("The Kelby Gazette called for calm after the vote.\n", []),
    ("The Kelby Gazette called the mayor on Monday.\n", []),
    ('The Harwell Institute runs a blog, called the "Ledger", from its office.\n', []),
    # other senses of "call", and a firm naming its own product
    ('The Dorset Bank called time on the "Mercer" brand.\n', []),
    ('The Dorset Bank called a vote on the "Tenby plan".\n', []),
    ('The Kesteven Group called its new product "Zephyr".\n', []),
    ('Halvorsen Media called the president and asked "why".\n', []),
    ("Police asked what time the Kelby Bank called them.\n", []),
    ("It is unclear what the Tarrow Council called the meeting for.\n", []),
])
def test_an_organisation_that_names_something_is_its_source(text, names):
    report = Linter(Config(select=("unlinked-source",), min_confidence=0.0)).lint_text(text, "story.txt", "text")
    assert [text[d.offset:d.end_offset] for d in report.diagnostics] == names


@pytest.mark.parametrize(("text", "mid_sentence"), [
    ("Someone said the ferry would run again in May.\n", "The ferry will run again in May, someone said.\n"),
    ("Everybody says the ferry will run again in May.\n", "The ferry will run again in May, everybody says.\n"),
])
def test_an_indefinite_pronoun_opening_a_sentence_is_read_as_it_is_mid_sentence(text, mid_sentence):
    assert _unlinked(text) == []
    verdicts = [[(v.status, v.reason) for v in attribution_verdicts(analysis(t))] for t in (text, mid_sentence)]
    assert verdicts[0] == verdicts[1]


def test_a_country_s_company_whose_name_ends_in_holdings_is_a_source():
    text = "Britain's Harwell Marine Holdings said it would cut 900 jobs.\n"
    assert any(status == "unlinked-source" and "Harwell Marine Holdings" in name for name, status in _source_statuses(text))


def test_a_closed_single_quotation_does_not_hide_a_possessive_apostrophe():
    text = "'We will fight this,' said the Northfield Tenants' Association, which has 300 members.\n"
    found = analysis(text)
    assert any(a.source is not None and a.source.text.endswith("Tenants' Association") for a in found.attributions)


@pytest.mark.parametrize("text", [
    "“Harbour residents are worried,” she said.\n",
    "Residents were divided into four groups for the evacuation drill.\n",
    "Ferry fans were upbeat as they left the quay.\n",
    "The man was found by police with serious head injuries.\n",
])
def test_views_in_quotes_states_and_witnessed_acts_are_not_group_views(text):
    assert not reports_attribution(text)


def test_a_group_view_is_found_in_a_sentence_whose_lower_case_is_longer():
    found = analysis("İzmir's ferry operators said little, and many analysts were not optimistic about it.\n")
    assert ("vague", "unnamed-source") in [(v.status, v.reason) for v in attribution_verdicts(found)
                                           if "optimistic" in found.attributions[v.index].cue.text]


def test_a_group_view_does_not_take_the_clause_before_it():
    found = analysis("House prices rose in May but economists were divided over the cause.\n")
    assert [a.source.text for a in found.attributions if a.source is not None] == ["economists"]


@pytest.mark.parametrize(
    "text",
    [
        "Bus fares rose again in May, and a pay deal agreed with drivers last autumn added costs.\n",
        "Fares rose in May.\n\nThe pay deal agreed with drivers added costs.\n",
        # A demonstrative stands for a fact, not for someone making a claim.
        "Ferry bookings fell by a third. This confirms the plan is dead.\n",
    ],
)
def test_a_thing_read_as_a_speaker_is_no_source(text):
    # "a pay deal" names no people, group, organisation or document: the tagger misread it.
    found = analysis(text)
    assert [v.reason for v in attribution_verdicts(found) if v.status == "misread"][:1] == ["not-a-speaker"]


def test_a_connective_opening_the_sentence_is_no_source():
    # "However," sets the sentence off; it is no one adding the figures up.
    found = analysis("However, when adding the winter figures, the ferry made money.\n")
    assert all(a.source is None or a.source.text != "However" for a in found.attributions)
    assert not reports_attribution("However, when adding the winter figures, the ferry made money.\n")


def test_an_unnamed_group_of_people_still_speaks():
    assert reports_attribution("Bus fares rose in May, and shareholders agreed the cuts went too far.\n")


# -- found by the independent review of this round's mechanisms ---------------------------------



@pytest.mark.parametrize(
    "text",
    [
        "Some relatives of the victims said the council was to blame.\n",
        "Bystanders said the council was to blame.\n",
    ],
)
def test_plurals_for_people_are_still_groups(text):
    assert reports_attribution(text)
    assert _source_statuses(text) == []


def test_a_misread_attribution_does_not_attribute_its_sentence():
    from citelint.analysis.provenance import ClaimPolicy, sentence_verdicts

    found = analysis("Fares rose in May.\n\nA pay deal agreed on Monday is a betrayal of nurses.\n")
    assert sentence_verdicts(found, ClaimPolicy())[1].reason != "attribution"


@pytest.mark.parametrize(
    "text",
    [
        "Publisher Ann Halvard said the book sold well.\n",  # a job, not a line of business
        "Critics of the Harbour Ministry, who say the funds are wasted, want an inquiry.\n",
        # a person whose description ends in an organisation's name
        "\u201cThe fund cannot recover,\u201d said Eric Lind, a strategist at Sovlink Securities.\n",
    ],
)
def test_people_and_what_they_are_critics_of_are_not_unlinked_sources(text):
    assert _source_statuses(text) == []


def test_according_to_an_organisation_is_not_a_published_work():
    found = analysis("Rents rose last year, according to the Quillfeather Trust.\n")
    assert [v.status for v in source_verdicts(found, published_only=True)] == ["not-a-source"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A capitalised "-ing" word is part of the name, not a participle ending the phrase.
        ("A Riverside Housing Coalition report found that rents rose.\n", "Riverside Housing Coalition"),
        # The owner of a document is named from its first capital, after the words describing it.
        ("A recent Pellmark study found that rents rose.\n", "Pellmark"),
        ("A 2004 Pellmark Research survey showed the party was gaining.\n", "Pellmark Research"),
        ("The quarterly Pellmark survey showed the party was gaining.\n", "Pellmark"),
    ],
)
def test_the_owner_of_a_document_used_as_a_source_is_named(text, name):
    assert _source_statuses(text) == [(name, "unlinked-source")]


def test_a_named_spokesperson_is_the_source_not_the_organisation():
    text = "Norcastle spokesman Jo Lind said the ferry would run.\n"
    assert all(status != "unlinked-source" for _, status in _source_statuses(text))


def test_a_phrase_setting_the_scene_comes_before_an_interrupted_subject():
    text = "In May, Norcastle Ferries, which owns the yard, said the ferry would run.\n"
    assert _source_statuses(text) == [("Norcastle Ferries", "unlinked-source")]


@pytest.mark.parametrize("adverb", ["Currently", "Frankly", "Finally", "Luckily", "Sadly"])
def test_a_sentence_adverb_before_a_clause_is_no_subject(adverb):
    # The speaker follows the cue; the capitalised adverb is no organisation speaking.
    text = f"{adverb}, a refit can take three months, says Jo Lind of Norcastle Ferries.\n"
    found = analysis(text)
    assert [a.source.text for a in found.attributions if a.source] == ["Jo Lind of Norcastle Ferries"]
    assert all(name != adverb for name, _ in _source_statuses(text))


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Acme and Zenith Holdings said the port would close.\n", ["Acme", "Zenith Holdings"]),
        ("In May, Acme and Zenith Holdings said the port would close.\n", ["Acme", "Zenith Holdings"]),
        ("However, Acme and Zenith Holdings said the port would close.\n", ["Acme", "Zenith Holdings"]),
        # a list is alike: "Big Food" is read as the organisations beside it are
        ("Portmere Mills, Tarrow & Sons, Halden Group and Big Food all said sales fell.\n",
         ["Portmere Mills", "Tarrow & Sons", "Halden Group", "Big Food"]),
        ("Acme, Zenith Holdings, and Tarrow Group said the port would close.\n", ["Acme", "Zenith Holdings", "Tarrow Group"]),
        # "and" inside a name joined by a preposition is the name's own; an article opens a new name
        ("Tarrow Bank and the Portmere Institute of Applied Economic and Social Research said rents rose.\n",
         ["Tarrow Bank", "Portmere Institute of Applied Economic and Social Research"]),
        ("The Bank of Portmere and the Treasury said rents rose.\n", ["Bank of Portmere", "Treasury"]),
        # each has an organisation's ending of its own; a name of one word and one with a head
        ("Tarrow Corp and Kessel Inc said they would merge.\n", ["Tarrow Corp", "Kessel Inc"]),
        ("Kelcom and Tarrow Group said the port would close.\n", ["Kelcom", "Tarrow Group"]),
    ],
)
def test_each_name_of_a_coordinated_subject_is_a_source(text, names):
    assert _unlinked(text) == names


@pytest.mark.parametrize(("text", "name"), [
    # "and" before a legal form alone joins it to the name before it
    ("Pell Hartley and Co said sales rose 4%.\n", "Pell Hartley and Co"),
    ("Dorn Keller and Co Inc said it would sell the unit.\n", "Dorn Keller and Co Inc"),
    # the name ends as an organisation's only whole: "Light Co" alone may be a person ("Zaldy Co")
    ("Harwick Power and Light Co said it would cancel the unit.\n", "Harwick Power and Light Co"),
    ("Brenna Tire and Rubber Co said sales rose 4%.\n", "Brenna Tire and Rubber Co"),
])
def test_a_coordinator_inside_an_organisation_s_name_joins_its_words(text, name):
    assert _unlinked(text) == [name]


@pytest.mark.parametrize("text", [
    "The results in Portmere and Glenholt show the race is close.\n",  # the object of a preposition
    "Halden Corp, S and P noted.\n",  # initials are no names of their own
])
def test_names_that_are_not_a_coordinated_subject_are_not_split(text):
    names = [name for name, _ in _source_statuses(text)]
    assert "Portmere" not in names and "S" not in names and "P" not in names


@pytest.mark.parametrize(("text", "names"), [
    ("Jo Lind, Zenith Group, said the port would close.\n", []),  # a name and its appositive: no list
])
def test_what_is_no_list_or_no_name_s_own_word_is_left_out(text, names):
    assert _unlinked(text) == names


@pytest.mark.parametrize("text", [
    "Kimberly, who runs the yard, said a refit can take three months.\n",
    "Beverly, a nurse at the clinic, said the ward would close.\n",
])
def test_a_name_ending_like_an_adverb_stays_the_subject(text):
    found = analysis(text)
    assert [a.source.text.split(",")[0] for a in found.attributions if a.source] == [text.split(",")[0]]


def test_a_pronoun_after_a_word_that_focuses_it_is_decided_by_what_it_refers_to():
    found = analysis("Brokers said prices fell. Even they said prices would rise.\n")
    assert [verdict.status for verdict in attribution_verdicts(found)] == ["vague", "vague"]


def test_a_possessive_her_is_no_pronoun_source():
    # "Her former colleagues" are people nobody named, as "His former colleagues" are.
    text = "Ann Roe runs the yard. Her former colleagues at the ministry said the yard would close.\n"
    assert verdict_for(text, "said")[0] == "vague"


def test_people_coordinated_with_an_organisation_stay_people():
    # Two names are each what they read as: the person speaks for herself, the company is a source.
    text = "Jo Lind and Zenith Holdings said the port would close.\n"
    assert _unlinked(text) == ["Zenith Holdings"]
    assert not _unlinked("Jo Lind and Ann Roe said the port would close.\n")


def test_an_object_pronoun_refers_back_as_its_subject_form_does():
    # "according to her" is the woman named before; "according to them" after an unnamed group stays unnamed.
    assert not reports_attribution("Ann Lee runs the yard. According to her, the ferry will close in May.\n")
    found = analysis("Brokers said prices fell. According to them, the ferry will close.\n")
    assert [(a.source.text, a.source_kind) for a in found.attributions if a.source] == [("Brokers", "vague"), ("them", "vague")]


def test_a_longer_phrase_ending_in_a_pronoun_is_no_vague_group():
    # "Only last year she" is a misread subject, not a group nobody named.
    assert not reports_attribution("Ann Lee runs the yard. Only last year she insisted the ferry would run.\n")


@pytest.mark.parametrize("name", ["Kelly", "Connolly", "Emily"])
def test_a_short_name_ending_in_ly_stays_a_subject(name):
    found = analysis(f"{name}, a nurse at the clinic, said the ward would close.\n")
    assert [a.source.text for a in found.attributions if a.source] == [f"{name}, a nurse at the clinic"]


def test_a_plural_for_people_opening_a_sentence_is_no_organisation():
    # "-men" is a plural for people, as "-ers" is: no organisation called "Fishermen" speaks.
    text = "Fishermen believe the dredging will drive cod away from the bay.\n"
    assert all(status != "unlinked-source" for _, status in _source_statuses(text))


def test_a_local_authority_is_a_definite_institution():
    text = ("The bridge will close for six weeks, the county said on Monday.\n\n"
            "Traffic will use the bypass, which the county said adds ten minutes.\n")
    assert not reports_attribution(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # The description's head comes before its prepositions: a newspaper, with links somewhere.
        ("Harbour Ledger, a Portmere daily with close links to the council, said the port would close.\n",
         "Harbour Ledger"),
        ("Portmere Shipping Weekly, in its latest edition, said the port would close.\n", "Portmere Shipping Weekly"),
    ],
)
def test_a_newspaper_described_or_named_as_one_is_an_organisation(text, name):
    assert _source_statuses(text) == [(name, "unlinked-source")]


def test_an_agentless_cue_inside_a_named_speaker_s_content_is_theirs():
    # "Prices are expected to rise" is what the named speaker says, not a view held by nobody.
    text = "Jo Lind told reporters that harbour fees are expected to rise next year.\n"
    assert not reports_attribution(text)


@pytest.mark.parametrize(
    "text",
    [
        # Count nouns and negations are no hearsay: nobody's view is reported.
        "A fire broke out at the depot on Tuesday. There were no reports of injuries.\n",
        "Weekly jobless claims grew for a third straight week.\n",
        # A named holder is someone: "Harbour Party accusations" are the party's.
        "The talks stalled amid Harbour Party accusations of bad faith.\n",
        # A named speaker reports the hearsay.
        "There were rumours of a takeover, Jo Lind said.\n",
        # Whom a person speaks for may name them: "a lawyer for Jo Lind" is no anonymous source.
        "A lawyer for Jo Lind said the charges would be fought.\n",
    ],
)
def test_no_vague_attribution_where_someone_holds_the_view(text):
    assert not reports_attribution(text)


@pytest.mark.parametrize(
    "text",
    [
        # The leading speaker's clause ends at the comma: what follows is the writer's again.
        "Jo Lind said the plant would close in May, but the mill is thought to be safe for now.\n",
        # "-men" is a plural for people: a vague group.
        "The quota was cut again. Many fishermen believe cod stocks have fallen sharply.\n",
        # hearsay and forecasts credited to no one
        "The coach has turned down an offer from the champion, say reports.\n",
        "Farm subsidies could, according to some predictions, reach 30bn euros.\n",
        # where the group is, after its head, is no head of its own
        "Doctors there said the hospital had run out of oxygen.\n",
    ],
)
def test_vague_attribution_still_found(text):
    assert reports_attribution(text)


@pytest.mark.parametrize(
    "text",
    [
        # A person described by a trade and a workplace is a person.
        "Jo Lind, a broker at Kelby Securities, said oil would reach 90 dollars a barrel.\n",
        # So is one whose workplace is described as an organisation ("firm Kelby Partners").
        "Jo Lind, a shipping specialist at accountancy firm Kelby Partners, said the deal was crucial.\n",
        "Jo Hale, a consultant for accountancy firm Kelby Partners, said the deal was crucial.\n",
        # A person's spokesman speaks for the person.
        "A spokesman for Jo Lind said she was resting.\n",
        # A month can be a first name.
        "April Halvorsen, a councillor, called the plan reckless. Halvorsen said repairs would cost more.\n",
    ],
)
def test_people_are_not_unlinked_sources(text):
    assert all(status != "unlinked-source" for _, status in _source_statuses(text))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A verb and its capitalised object are no description of the subject.
        ("Brenmoor Bank quit Tarrow Holdings in May, saying the venture had lost money.\n", "Brenmoor Bank"),
        # An organisation described as part of another, or by its trade, is still the one speaking.
        ("Brenmoor Bank, a unit of Tarrow Holdings, said the venture had lost money.\n", "Brenmoor Bank"),
        ("Brenmoor Bank, the lender, said the venture had lost money.\n", "Brenmoor Bank"),
        # Descriptions of an organisation with a preposition in them are no person's workplace.
        ("Brenmoor Bank, which has branches in Wales, said the plant would close.\n", "Brenmoor Bank"),
        ("Marlow Energy, with offices in Leeds, said bills would fall.\n", "Marlow Energy"),
        ("Tarrow Holdings, a big name in shipping, said costs rose.\n", "Tarrow Holdings"),
        ("Zenith Foods, a supplier to supermarkets in Wales, said demand fell.\n", "Zenith Foods"),
    ],
)
def test_the_organisation_speaking_is_the_source(text, name):
    assert (name, "unlinked-source") in _source_statuses(text)


@pytest.mark.parametrize(
    "text",
    [
        # No organisation named before: "the county" names none to link.
        "The bridge will close for six weeks, the county said on Monday.\n",
        # "the union" need not be the company named before.
        "Halvard Shipping cut 300 jobs at its yard.\n\nThe union said the cuts would hit the town.\n",
        # An organisation named before it in the sentence may be what it refers to, or neither.
        "Halvard Shipping cut 300 jobs.\n\nSpeaking to Reuters, the company said the yard had lost money.\n",
        # Used as a source by name first: the reference is that source again.
        "Halvard Shipping said it would cut 300 jobs.\n\nThe company said the yard had lost money.\n",
        # "the report" is the document the story named, not an organisation.
        "A harbour study was published on Monday.\n\nThe report said the yard had lost money.\n",
    ],
)
def test_a_reference_by_kind_is_no_source_of_its_own(text):
    assert all(not name.lower().startswith("the ") for name, _ in _source_statuses(text))


@pytest.mark.parametrize(("model", "reason"), [("", "claim-scorer"), ("none", "has-figure")])
def test_a_sentence_with_a_figure_is_judged_by_the_scorer_when_there_is_one(monkeypatch, model, reason):
    """A cause beside a figure is a claim of its own ("fell 12%, hit by the strike"): the scorer judges
    such a sentence as any other; the hand strategies alone leave it to unsourced-figure."""
    from citelint.analysis import scoring
    from citelint.analysis.provenance import ClaimPolicy, sentence_verdicts

    monkeypatch.setenv(scoring.MODEL_ENVIRONMENT, model)
    found = analysis("Ferry bookings fell 12% in May, hit hard by the strike.\n")
    assert sentence_verdicts(found, ClaimPolicy())[0].reason == reason


def scorer_features(text: str, pick, prefix: str) -> list[str]:
    """The scorer's features starting with ``prefix`` for the verdict ``pick`` chooses in the text."""
    from citelint.analysis.scoring import features

    found = Analysis(parse(text, "a.txt", "text"), load_registry)
    return [feature for feature in features(found, pick(found)) if feature.startswith(prefix)]


@pytest.mark.parametrize(("text", "superlative"), [
    ("The fair, the largest of its kind in the world, opens on Friday.", "superlative=descriptor"),
    ("Wendle Oats, Europe's biggest oat miller, cut its prices on Monday.", "superlative=descriptor"),
    ("The fair is the largest trade show in the world.", "superlative=largest"),
    ("Sales fell, and it's the biggest drop on record, in March.", "superlative=biggest"),
])
def test_a_ranking_in_a_describing_appositive_is_told_from_one_the_sentence_asserts(text, superlative):
    """The guide's "ranking used only to identify" ("Acme, the world's largest brewer, said") is
    not the point of its sentence: the claim scorer sees it as a descriptor, not by its word."""
    from citelint.analysis.provenance import ClaimPolicy, sentence_verdicts

    def first_sentence(found: Analysis):
        return next(v for v in sentence_verdicts(found, ClaimPolicy()) if v.subject == "sentence")

    assert scorer_features(text, first_sentence, "superlative=") == [superlative]


@pytest.mark.parametrize(("text", "expected"), [
    # wire copy: every sentence its own paragraph
    ("Tarrow Holdings said sales rose.\n\nExports reached 40 mln dlrs.\n", "named-back=1"),
    ("Tarrow Holdings said sales rose.\n\nThe plant reopened in May.\n\nExports reached 40 mln dlrs.\n", "named-back=2"),
    ("Analysts said sales rose.\n\nExports reached 40 mln dlrs.\n", "named-back=far"),
    ("Exports reached 40 mln dlrs.\n", "named-back=far"),
])
def test_the_figure_and_claim_scorers_read_how_far_back_a_named_source_last_spoke(text, expected):
    """The guide lets a named speaker cover the next sentence only; paragraphs do not matter,
    and wire copy sets every sentence apart, so the distance is counted across them. A claim
    after a speaker's paragraph is often still theirs, as a figure is."""
    assert scorer_features(text, _the_40_figure, "named-back=") == [expected]
    assert scorer_features(text, _the_40_sentence, "named-back=") == [expected]


def _the_40_figure(found: Analysis):
    from citelint.analysis.provenance import FigurePolicy, figure_verdicts

    return next(v for v in figure_verdicts(found, FigurePolicy()) if "40" in found.figures[v.index].figure.text)


def _the_40_sentence(found: Analysis):
    from citelint.analysis.provenance import ClaimPolicy, sentence_verdicts

    return next(v for v in sentence_verdicts(found, ClaimPolicy()) if "40" in found.sentences[v.index].text)


@pytest.mark.parametrize(("text", "expected"), [
    # a statement four sentences back is still the story's source
    ("Tarrow Holdings said sales rose.\n\nThe plant reopened.\n\nIt hired staff.\n\nOrders grew.\n\n"
     "Exports reached 40 mln dlrs.\n", ("named-back=4", "lead=named-org")),
    ("Ann Lee said sales rose.\n\nExports reached 40 mln dlrs.\n", ("named-back=1", "lead=named")),
    ("Analysts said sales rose.\n\nExports reached 40 mln dlrs.\n", ("named-back=far", "lead=vague")),
    # the third sentence of prose is no longer the lead
    ("The plant reopened.\n\nIt hired staff.\n\nTarrow Holdings said exports reached 40 mln dlrs.\n",
     ("named-back=far", "lead=none")),
    # a headline is no lead, and a misread cue has no speaker (found by this round's review)
    ("# Harwick Council says budget gap is wide\n\nThe plant reopened.\n\nIt hired staff.\n\n"
     "Exports reached 40 mln dlrs.\n", ("named-back=3", "lead=none")),
    ("Her batting average showed steady improvement.\n\nExports reached 40 mln dlrs.\n", ("named-back=far", "lead=none")),
])
def test_the_figure_scorer_reads_who_speaks_in_the_lead(text, expected):
    """A wire story that opens with an organisation's statement is that statement throughout.
    The claim scorer reads the distance too, not the lead (cross-validated, the lead cost it
    recall)."""
    back, lead = expected
    assert scorer_features(text, _the_40_figure, "named-back=") + scorer_features(text, _the_40_figure, "lead=") == [
        back, lead]
    assert scorer_features(text, _the_40_sentence, "named-back=") + scorer_features(text, _the_40_sentence, "lead=") == [
        back]


def test_a_stance_a_named_organisation_takes_reports_no_claim():
    """"The council welcomed the report" is an act of the council, not a claim it puts its name to."""
    assert verdict_for("The Harbour Council welcomed the report.\n", "welcomed")[0] == "no-claim"


@pytest.mark.parametrize("text", [
    # a noun or an adjective after a quantifier standing alone
    "Several questions remain about the safety of the old ferry.\n",
    "Many hopes now rest on the new harbour master.\n",
    "There was some welcome news for commuters on Monday as fares were frozen.\n",
    # an act, not a stance; a participle describing the group; a superlative; a counted group
    "Officials hailed a taxi outside the terminal.\n",
    "Two men questioned by detectives were released without charge.\n",
    "The bridge is the most praised design of the decade.\n",
    "Nearly 200 countries agreed to phase down coal at the summit.\n",
    # a passive act of spreading is no hearsay
    "Suggestions were circulated to staff before the meeting.\n",
])
def test_words_that_only_look_like_a_group_taking_a_stance_are_no_vague_attribution(text):
    """Found by this round's review: the first group-stance pattern read all of these as vague."""
    found = analysis(text)
    assert [v.status for v in attribution_verdicts(found) if v.status in ("vague", "agentless")] == []


@pytest.mark.parametrize("text", [
    "Some welcome news came from İzmir on Friday.\n",
    "The Most praised ferry in İzmir is old.\n",
])
def test_words_that_only_look_like_a_group_taking_a_stance_are_none_where_case_is_kept(text):
    """A sentence whose lower case is longer ("İ") is matched case-blind in its own case: the
    checks on the match still compare words with the lexicons in lower case."""
    found = analysis(text)
    assert [a.cue.text for a in found.attributions if a.source_kind == "vague"] == []


def test_a_name_ending_in_a_two_letter_word_after_one_word_may_be_a_person():
    found = analysis("Zaldy Co said the flood project was delayed.\n")
    assert [found.source_mentions[v.index].name for v in source_verdicts(found) if v.status == "unlinked-source"] == []


def test_an_appositive_stating_a_ranking_of_a_clause_is_no_descriptor():
    from citelint.analysis.provenance import ClaimPolicy, sentence_verdicts
    from citelint.analysis.scoring import features

    text = "Inflation rose again in May, the fastest pace in a decade, as fuel prices climbed.\n"
    found = analysis(text)
    verdict = next(v for v in sentence_verdicts(found, ClaimPolicy()) if v.subject == "sentence")
    assert [f for f in features(found, verdict) if f.startswith("superlative=")] == ["superlative=fastest"]


@pytest.mark.parametrize(("text", "name"), [
    # what stands before the name elsewhere is no role: an opening phrase, a kind of firm
    ("Dunmore Kestrel said its sales fell.\n\nIn a note to analysts, Dunmore Kestrel added that costs would rise.\n",
     "Dunmore Kestrel"),
    ("The employee-owned Dunmore Kestrel has 300 shops.\n\nDunmore Kestrel said its sales fell.\n", "Dunmore Kestrel"),
    ("Dunmore Kestrel said its sales fell.\n\nPublisher Dunmore Kestrel employs 300 people.\n", "Dunmore Kestrel"),
    ("Dunmore Kestrel said its sales fell.\n\nIn a letter to its own staff, Dunmore Kestrel said its shops would open.\n",
     "Dunmore Kestrel"),
    # a name after a clause and "and", not after another name; a word read as a title only in a person's name
    ("Shares fell on Monday and Dunmore Kestrel said its chief executive would leave.\n", "Dunmore Kestrel"),
    ("Det Norske Kestrel said its inspectors found the damage.\n", "Det Norske Kestrel"),
    # "its" refers back to the name with no other noun phrase between
    ("Dunmore Kestrel said its ferries would sail in May.\n", "Dunmore Kestrel"),
    # a plural verb after a name not written as a plural (British usage for an organisation)
    ("Kessick Rowan have warned that the quay is unsafe.\n", "Kessick Rowan"),
    # "its" after a verb of saying and "that"
    ("Dunmore Kestrel has also said that its ferries would sail in May.\n", "Dunmore Kestrel"),
    # its first word alone acts as an organisation later
    ("Tolland Pryce denied the claims.\n\nTolland said its ferries were safe.\n", "Tolland Pryce"),
    # "it" after the verb of saying is the subject of a verb of intent, which wants an agent
    ("Dunmore Kestrel said it plans to keep the ferry unit.\n", "Dunmore Kestrel"),
    ("Dunmore Kestrel has said that it is not planning to sell the ferries.\n", "Dunmore Kestrel"),
])
def test_a_two_word_name_the_story_uses_as_an_organisation_is_a_source(text, name):
    assert name in _unlinked(text)


@pytest.mark.parametrize("text", [
    # a role after the name, even one written as a compound
    "Tan Wei-Ming, vice-chairman of the port council, said its plans were sound.\n\nTan said the quay was safe.\n",
    # a relative clause that only a person takes
    "Huw Kestrel, who runs the ferry, said its timetable was full.\n\nKestrel said the quay was safe.\n",
    # a title inside the run of capitals
    "Dunmore Ferries President Jo Roe said its timetable was full.\n",
    # "he" is the first pronoun after the name
    "Tolland Pryce said he would sail in May.\n\nTolland said the quay was safe.\n",
    # a coordinated pair shares a plural verb
    "Jo Roe and Ann Lee have warned that the quay is unsafe.\n",
    # another noun phrase stands between the name and "its"
    "Ann Lee said the ferry company had cut its timetable.\n",
    "Ann Lee said pensioners would miss its counter staff.\n",
    # "its" belongs to what a preposition brings in
    '"We were let down," Ann Lee said of its decision to close the school.\n',
    # the name is no subject: after a preposition or a subordinator, or a possessive
    "Since Ann Lee took over in 2019, its shares have doubled.\n\nAnn Lee said the chain would grow.\n",
    "Harwick Foods, founded by Ann Lee in 1990, said its profits rose.\n\nAnn Lee said the chain would grow.\n",
    "Ann Lee's bakery chain said its profits had doubled.\n\nAnn Lee said the chain would grow.\n",
    "Lawyers for Ann Lee have argued that the case should be dropped.\n\nAnn Lee said the charges were political.\n",
    "If Ann Lee were to resign, the party would struggle.\n\nAnn Lee said on Monday she would stay.\n",
    # a role before the name, past a comma, or capitalised opening the sentence
    "Harwick Foods cut 200 jobs.\n\nA spokeswoman, Ann Lee, said its stores would stay open.\n\n"
    "Ann Lee added that staff would move.\n",
    "Shopkeeper Ann Lee said its closure had cost her trade.\n",
    "The ferry firm's new chief financial officer, Ann Lee, said its sales had slowed.\n",
    # "it" with no verb of intent may be about anything
    "Ann Lee said it was a hard year for the ferries.\n",
    "Ann Lee said it would be wrong to close the quay.\n",
    # names with another subject, and titles written short
    "Jo Roe and Ann Lee said its future was secure.\n",
    "Cllr Ann Lee said its budget would be cut.\n",
    # a surname said first, its first word alone speaking later
    "Snooker star Ding Zhaoming reached the final on Sunday.\n\nDing said the crowd had been wonderful.\n",
    "Ding Zhaoming reached the final.\n\nDing said he was delighted.\n\nDing Zhaoming said the crowd was loud.\n",
])
def test_a_two_word_name_the_story_uses_as_a_person_s_is_no_source(text):
    # the person's name, alone or after a title ("Cllr Ann Lee"); "Ann Lee's bakery chain" is the chain
    people = ("Tan Wei-Ming", "Tan", "Kestrel", "Jo Roe", "Ann Lee", "Tolland Pryce", "Tolland", "Ding Zhaoming", "Ding")
    assert not any(name.endswith(person) for name in _unlinked(text) for person in people)


def _linted_statuses(text: str) -> tuple[list[str], list[str]]:
    """(attribution statuses, names unlinked-source reports) as linting analyses ``text``: only in
    the sentences a claim rule can use."""
    found = Analysis(parse(text, "story.txt", "text"), claims_only=True)
    mentions = [found.source_mentions[v.index].name for v in source_verdicts(found) if v.status == "unlinked-source"]
    return [v.status for v in attribution_verdicts(found)], mentions


@pytest.mark.parametrize("text", [
    "Analysts pointed out that the yard had missed its targets for three years.\n",
    "Analysts expressed concern that the debt would keep growing.\n",
    "Dock workers have raised concerns about the size of the new cranes.\n",
    # the phrase goes on past the cue the tagger found ("voiced")
    "Residents voiced concern over the new road.\n",
    # words inside the phrase
    "Diplomats expressed deep concern that the truce would collapse.\n",
    "Analysts pointed out to reporters that the fund was broke.\n",
    "Analysts pointed out, however, that the fund was broke.\n",
])
def test_a_claim_phrase_reports_a_claim_though_its_verb_alone_does_not(text):
    assert [status for status in _linted_statuses(text)[0] if status in REPORTABLE["attribution"]] == ["vague"]


def test_a_named_organisation_pointing_something_out_is_an_unlinked_source():
    assert _linted_statuses("Tarrow Holdings pointed out that its yard had been sold.\n")[1] == ["Tarrow Holdings"]


@pytest.mark.parametrize("text", [
    "The sergeant pointed the way to the harbour.\n",
    "Officials raised the flag over the town hall.\n",
    "Analysts expressed their thanks to the staff.\n",
    "Fans pointed to the scoreboard as the final whistle blew.\n",
    "Officials pointed out the new exits to visitors before the doors opened.\n",
    # an object between "out" and a relative "that"
    "Tarrow Holdings pointed out the exits that staff should use.\n",
])
def test_the_verb_of_a_claim_phrase_alone_reports_nothing(text):
    statuses, unlinked = _linted_statuses(text)
    assert not set(statuses) & set(REPORTABLE["attribution"]) and unlinked == []


@pytest.mark.parametrize(("text", "name"), [
    ("Vossler claims its collapse was punishment for the ambitions of its founder.\n", "Vossler"),
    ("The Tarrow Farm Board estimates the harvest at two million tonnes.\n", "Tarrow Farm Board"),
    ("Research firm Datatrack estimates the number of blogs has passed five million.\n", "Datatrack"),
])
def test_a_claim_verb_between_its_subject_and_a_clause_is_a_cue(text, name):
    assert _linted_statuses(text)[1] == [name]


@pytest.mark.parametrize("text", [
    "The insurance claims of the flood victims were paid in May.\n",
    "The estimates for the new bridge were published in May.\n",
    # a plural noun before a verb, not a subject before a clause
    "Welfare claims fell by 12 percent in March.\n",
    "Early estimates put the death toll at more than 200.\n",
    "The storm was the worst in decades, and home insurance claims jumped by 30 percent.\n",
    "Initial estimates were far too low.\n",
    "Insurance claims the company paid rose sharply.\n",
    "Early estimates the ministry published put the deficit at four billion pounds.\n",
    # a participle, or a verb that is no report, after a common noun
    "The storm claimed 40 lives along the coast.\n",
    "Last season the club claimed the league title with ease.\n",
])
def test_a_claim_verb_read_as_a_noun_is_no_cue(text):
    # ("Early estimates put…" may still be an unnamed document reporting, but "estimates" is no cue)
    found = Analysis(parse(text, "story.txt", "text"), claims_only=True)
    cues = [a.cue.text for a in found.attributions]
    assert not any(word in cue for cue in cues for word in ("claims", "claimed", "estimates")), cues
    assert _linted_statuses(text)[1] == []


@pytest.mark.parametrize("text", [
    "Labour MPs have warned that the plan will fail.\n",
    "The cuts will hurt the poor, say MPs.\n",
    "GPs in Wales had feared the change would cost them.\n",
    "PCSOs say the estate has become more dangerous.\n",
])
def test_initials_made_plural_are_a_vague_group(text):
    assert _linted_statuses(text) == (["vague"], [])


@pytest.mark.parametrize("text", [
    "ECGs suggested the heart attack had been caused by stress.\n",
    "CVs suggest most applicants are overqualified.\n",
    # capitals throughout: an organisation's initials, not a plural
    "The MPS said the officer had been suspended.\n",
])
def test_initials_made_plural_that_name_things_are_no_group(text):
    assert "vague" not in _linted_statuses(text)[0]


@pytest.mark.parametrize("text", [
    "He is widely believed to want the top job.\n",
    "The pier is now widely thought to be unsafe.\n",
])
def test_a_passive_of_belief_after_an_adverb_is_agentless_not_its_subject(text):
    # the tagger may take "is widely" for a cue of its own, with "He" as its speaker
    assert _linted_statuses(text)[0] == ["agentless"]


@pytest.mark.parametrize("text", [
    "The club has come in for tough criticism over ticket prices.\n",
    "The plan drew sharp criticism from consumer groups.\n",
    "The minister faced criticism over the closures.\n",
])
def test_criticism_received_from_no_one_named_is_hearsay(text):
    assert _linted_statuses(text)[0] == ["agentless"]


@pytest.mark.parametrize("text", [
    "The plan drew criticism from the Kelby Trust.\n",
    "The club drew 1-1 with Tarrow on Saturday.\n",
    "The team faced a 3-1 defeat.\n",
    # criticism as a discipline; other hearsay nouns after a verb of receiving
    "Literary criticism grew rapidly in the 1950s.\n",
    "The consultation attracted suggestions from 300 residents.\n",
    "Residents faced fears of flooding all winter.\n",
])
def test_criticism_from_a_named_critic_or_no_criticism_is_no_hearsay(text):
    assert "agentless" not in _linted_statuses(text)[0]


def test_a_plural_noun_before_its_verb_is_no_claim_verb():
    text = "Rents rose sharply, and Kelby Council estimates show a shortfall of four million pounds.\n"
    found = Analysis(parse(text, "story.txt", "text"), claims_only=True)
    assert [a.cue.text for a in found.attributions] == ["show"]


@pytest.mark.parametrize("text", [
    '"Analysts said the fund was broke," Jo Lee said.\n',
    '"Critics argue the plan is too costly," the mayor said.\n',
])
def test_a_group_cited_inside_a_quotation_is_the_speaker_s_not_the_story_s(text):
    # neither a vague attribution nor, capitalised as the quotation's first word, an organisation
    statuses, unlinked = _linted_statuses(text)
    assert "vague" not in statuses and unlinked == []


@pytest.mark.parametrize(("text", "name"), [
    ("A Kelby Courier poll gave Labour a 9-point lead.\n", "Kelby Courier"),
    ("A Tarrow Gazette survey put support for the plan at 40 percent.\n", "Tarrow Gazette"),
    ("A survey by the Harbour Trust, conducted in May, placed the town third.\n", "Harbour Trust"),
])
def test_a_document_reports_with_verbs_a_person_would_not_report_with(text, name):
    assert _linted_statuses(text)[1] == [name]


@pytest.mark.parametrize("text", [
    "Tarrow Holdings gave the mayor a new car.\n",
    "The Kelby Courier put its offices up for sale.\n",
])
def test_an_organisation_giving_or_putting_something_reports_nothing(text):
    assert _linted_statuses(text)[1] == []


def test_the_figure_scorer_reads_whole_words_around_a_figure():
    """Found by this round's review: the 60-character reach cut a word in two ("…rs")."""
    text = "Administrators acknowledged extraordinary infrastructure expenditure of 40 million crowns.\n"
    words = scorer_features(text, _the_40_figure, "fig<")
    assert words and all(word[len("fig<"):] in text.lower().split() for word in words)


def test_an_aside_about_a_vague_group_is_no_part_of_its_length():
    # "U.S. officials, who asked not to be named" is a vague group with an aside, not a misreading.
    assert verdict_for("Harbour officials, who asked not to be named, said the ship was seized.\n", "said") \
        == ("vague", "unnamed-source")


def test_a_relative_clause_is_no_part_of_a_speaker_s_name():
    # A person described by a clause naming a firm: neither the clause nor the firm is the source.
    text = "Lin Tarrow who founded Portmere Bank said rates would rise.\n"
    assert _unlinked(text) == []
    (attribution,) = analysis(text).attributions
    assert (attribution.source_kind, attribution.source_is_org) == ("named", False)



@pytest.mark.parametrize(("text", "statuses"), [
    # a company's later short name: after its initials, or the name before "and Co"
    ("E.A. Kelby Holdings Ltd said profits rose.\n\nKelby said its stores did well.\n",
     [("E.A. Kelby Holdings Ltd", "unlinked-source"), ("Kelby", "repeat")]),
    ("Jo Tarrow and Co said profits rose.\n\nTarrow said its stores did well.\n",
     [("Jo Tarrow and Co", "unlinked-source"), ("Tarrow", "repeat")]),
    # a name joined by "and" that the story gave with its legal form is one organisation's, not two
    ("Harwick and Tarrow Co said profits rose.\n\nHarwick and Tarrow said its stores did well.\n",
     [("Harwick and Tarrow Co", "unlinked-source"), ("Harwick and Tarrow", "repeat")]),
])
def test_a_company_s_short_name_is_a_repeat_of_its_full_name(text, statuses):
    assert _source_statuses(text) == statuses
