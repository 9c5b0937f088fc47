"""Triage: how soon a request needs a person (DESIGN.md section 6).

Simple, explainable rules, checked in order; the most urgent rule that applies decides, and every
rule that applies is kept as a reason, so staff see *why* a request is urgent. A question the person
skipped or answered "not sure" never counts as "yes" here: staff ask it on the first call.

- **urgent** (contact within 15 minutes): thoughts of self-harm; an overdose in the last 7 days;
  in withdrawal now with a history of withdrawal seizures; pregnant and using opioids.
- **high** (within 2 hours): in withdrawal now; asking for detox; pregnant; an overdose 8 to 30 days
  ago. (The last is ours, beyond DESIGN.md: an overdose in the past month is the strongest sign of
  another, so it should not wait a business day.)
- **routine** (within 1 business day): everything else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from locator.i18n import lazy_gettext as _l

URGENT, HIGH, ROUTINE = "urgent", "high", "routine"

Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Rule:
    code: str
    urgency: str
    description: object
    applies: Callable[[Answers], bool]


def _yes(answers: Answers, question: str) -> bool:
    return answers.get(question) == "yes"


RULES: tuple[Rule, ...] = (
    Rule("self_harm", URGENT, _l("Thoughts of self-harm"), lambda a: _yes(a, "self_harm")),
    Rule("overdose_7_days", URGENT, _l("Overdose in the last 7 days"), lambda a: a.get("overdose") == "last_7_days"),
    Rule(
        "withdrawal_with_seizures",
        URGENT,
        _l("In withdrawal now, with a history of withdrawal seizures"),
        lambda a: _yes(a, "withdrawal_now") and _yes(a, "seizure_history"),
    ),
    Rule(
        "pregnant_using_opioids",
        URGENT,
        _l("Pregnant and using opioids"),
        lambda a: _yes(a, "pregnant") and "opioids" in a.get("substances", ()),
    ),
    Rule("in_withdrawal", HIGH, _l("In withdrawal now"), lambda a: _yes(a, "withdrawal_now")),
    Rule("asks_for_detox", HIGH, _l("Asking for detox"), lambda a: "detox" in a.get("levels", ())),
    Rule("pregnant", HIGH, _l("Pregnant"), lambda a: _yes(a, "pregnant")),
    Rule("overdose_30_days", HIGH, _l("Overdose 8 to 30 days ago"), lambda a: a.get("overdose") == "last_30_days"),
)

RULES_BY_CODE = {rule.code: rule for rule in RULES}


@dataclass(frozen=True)
class Triage:
    urgency: str
    reasons: tuple[str, ...]  # codes of the rules that applied, most urgent first


def triage(answers: Answers) -> Triage:
    matched = [rule for rule in RULES if rule.applies(answers)]
    for urgency in (URGENT, HIGH):
        if any(rule.urgency == urgency for rule in matched):
            return Triage(urgency, tuple(rule.code for rule in matched))
    return Triage(ROUTINE, ())
