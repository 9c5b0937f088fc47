"""One test per triage rule (locator/intake/triage.py), and what does not count."""

import pytest

from locator.intake.triage import HIGH, ROUTINE, RULES, URGENT, triage


@pytest.mark.parametrize(
    ("answers", "urgency", "reason"),
    [
        ({"self_harm": "yes"}, URGENT, "self_harm"),
        ({"overdose": "last_7_days"}, URGENT, "overdose_7_days"),
        ({"withdrawal_now": "yes", "seizure_history": "yes"}, URGENT, "withdrawal_with_seizures"),
        ({"pregnant": "yes", "substances": ["alcohol", "opioids"]}, URGENT, "pregnant_using_opioids"),
        ({"withdrawal_now": "yes"}, HIGH, "in_withdrawal"),
        ({"levels": ["detox", "outpatient"]}, HIGH, "asks_for_detox"),
        ({"pregnant": "yes", "substances": ["alcohol"]}, HIGH, "pregnant"),
        ({"overdose": "last_30_days"}, HIGH, "overdose_30_days"),
    ],
)
def test_each_rule(answers, urgency, reason):
    result = triage(answers)
    assert result.urgency == urgency
    assert reason in result.reasons


def test_every_rule_has_a_test_above():
    tested = {
        "self_harm",
        "overdose_7_days",
        "withdrawal_with_seizures",
        "pregnant_using_opioids",
        "in_withdrawal",
        "asks_for_detox",
        "pregnant",
        "overdose_30_days",
    }
    assert {rule.code for rule in RULES} == tested


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"levels": ["outpatient"], "substances": ["cannabis"], "last_use": "today"},
        {"self_harm": "private", "mental_health": "yes"},
        {"withdrawal_now": "not_sure", "seizure_history": "not_sure"},
        {"seizure_history": "yes"},  # a history alone, not in withdrawal now
        {"overdose": "no", "pregnant": "no"},
    ],
)
def test_the_rest_is_routine(answers):
    assert triage(answers).urgency == ROUTINE
    assert triage(answers).reasons == ()


def test_the_most_urgent_rule_decides_and_every_reason_is_kept():
    result = triage({"withdrawal_now": "yes", "seizure_history": "yes", "levels": ["detox"]})
    assert result.urgency == URGENT
    assert result.reasons == ("withdrawal_with_seizures", "in_withdrawal", "asks_for_detox")
