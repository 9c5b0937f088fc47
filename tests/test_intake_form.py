"""The intake form: prefill, validation messages next to fields and in the summary, nothing typed lost."""

from html import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from locator.models import IntakeRequest
from tests import factories
from tests.intake_forms import VALID, form_data, hidden_fields, is_checked, is_selected


def stored(session) -> int:
    return session.scalar(select(func.count()).select_from(IntakeRequest))


def test_the_form_shows_the_crisis_lines_first_and_a_quick_exit(client):
    page = client.get("/intake").get_data(as_text=True)
    main = page[page.index('<main id="main"') :]
    assert main.index('href="tel:911"') < main.index("<h1>")
    assert main.index('href="tel:988"') < main.index("<h1>")
    assert "data-quick-exit" in page


def test_every_input_has_a_label(client):
    page = client.get("/intake").get_data(as_text=True)
    fields = hidden_fields(page)
    for name in ("name", "phone", "email", "zip", "notes", "consent", "privacy_ack", "substances_other"):
        assert f'<label for="{name}"' in page, name
    assert "program" in fields and "ticket" in fields


def test_prefilled_from_the_program_and_level(client, session):
    factories.program(session, slug="harbor-detox", name="Harbor Detox", intake_phone="(502) 555-0100")
    session.commit()
    page = client.get("/intake?program=harbor-detox&level=detox").get_data(as_text=True)
    assert "Your request will go to" in page and "Harbor Detox" in page
    assert 'href="tel:+1-502-555-0100"' in page
    assert hidden_fields(page)["program"] == "harbor-detox"
    assert is_checked(page, "levels", "detox")
    assert not is_checked(page, "levels", "outpatient")


def test_an_unknown_program_still_lets_the_person_send(client):
    response = client.get("/intake?program=no-such-program")
    assert response.status_code == 200
    assert "We could not find that program" in response.get_data(as_text=True)


def test_an_unknown_level_is_ignored(client):
    page = client.get("/intake?level=spa-weekend").get_data(as_text=True)
    assert not any(is_checked(page, "levels", level) for level in ("detox", "residential", "outpatient"))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Tell us who to ask for."),
        ({"name": "   "}, "name", "Tell us who to ask for."),
        ({"phone": "555-01"}, "phone", "Enter a phone number with its area code"),
        ({"phone": "911"}, "phone", "Enter a phone number with its area code"),
        ({"email": "dana@", "contact_method": "email"}, "email", "Enter an email address like name@example.com."),
        ({"phone": "", "email": ""}, "contact_method", "Give us a phone number or an email address"),
        ({"phone": "", "email": "a@example.org", "contact_method": "text"}, "contact_method", "Add the phone number"),
        ({"contact_method": "email"}, "contact_method", "Add your email address"),
        ({"zip": "00000"}, "zip", "We do not know the ZIP code 00000"),
        ({"zip": "4321"}, "zip", "A ZIP code has 5 digits."),
        ({"consent": ""}, "consent", "We need your agreement before we can contact you."),
        ({"privacy_ack": ""}, "privacy_ack", "Please read the privacy notice and tick the box."),
        ({"name": "x" * 101}, "name", "Field cannot be longer than 100 characters."),
        ({"notes": "x" * 2001}, "notes", "Field cannot be longer than 2000 characters."),
        ({"contact_method": "carrier-pigeon"}, "contact_method", "Not a valid choice."),
        ({"levels": ["detox", "spa"]}, "levels", "Unknown choice: spa"),
        ({"self_harm": "maybe"}, "self_harm", "Not a valid choice."),
    ],
)
def test_validation_messages_are_next_to_the_field_and_in_the_summary(client, session, changes, field, message):
    response = client.post("/intake", data=form_data(client, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = page[page.index('id="error-summary"') : page.index("</div>", page.index('id="error-summary"'))]
    assert escape(message, quote=False) in summary
    error = page[page.index(f'id="{field}-error"') :]
    assert escape(message, quote=False) in error[: error.index("</p>")]
    assert stored(session) == 0


def test_everything_typed_stays_in_the_form(client):
    typed = {
        "name": "Dana <b>Lee</b>",
        "phone": "not a phone",
        "email": "dana@example.org",
        "zip": "43215",
        "notes": "Line one\nLine two & more",
        "substances": ["alcohol", "opioids"],
        "withdrawal_now": "yes",
        "payment": "MD",
        "consent": "",
    }
    page = client.post("/intake", data=form_data(client, **typed)).get_data(as_text=True)
    assert 'value="Dana &lt;b&gt;Lee&lt;/b&gt;"' in page
    assert 'value="not a phone"' in page
    assert 'value="dana@example.org"' in page
    assert 'value="43215"' in page
    assert "Line one\nLine two &amp; more</textarea>" in page
    assert is_checked(page, "substances", "alcohol") and is_checked(page, "substances", "opioids")
    assert not is_checked(page, "substances", "cannabis")
    assert is_checked(page, "withdrawal_now", "yes")
    assert is_selected(page, "payment", "MD")


def test_the_ticket_is_kept_when_the_form_comes_back_with_errors(client):
    data = form_data(client, name="")
    page = client.post("/intake", data=data).get_data(as_text=True)
    assert hidden_fields(page)["ticket"] == data["ticket"]


def test_phone_and_email_are_normalised(client, session):
    client.post("/intake", data=form_data(client, phone=" 614.555.0123 ", email=" Dana@Example.ORG "))
    request = session.scalars(select(IntakeRequest)).one()
    assert request.phone == "+16145550123"
    assert request.email == "Dana@example.org"


def test_white_space_is_stripped_and_control_characters_removed(client, session):
    client.post("/intake", data=form_data(client, name="  Da\x00na\x1b[31m  ", notes="\tfirst\x07 line\r\nsecond  "))
    request = session.scalars(select(IntakeRequest)).one()
    assert request.name == "Da na [31m"
    assert request.answers["notes"] == "first  line \nsecond"


def test_a_valid_minimal_form_is_accepted(client, session):
    assert VALID["consent"] == "y"
    response = client.post("/intake", data=form_data(client))
    assert response.status_code == 200
    assert stored(session) == 1


FIELDS = [
    "for_whom",
    "relation",
    "name",
    "phone",
    "email",
    "contact_method",
    "contact_time",
    "voicemail_ok",
    "text_ok",
    "zip",
    "levels",
    "substances",
    "last_use",
    "withdrawal_now",
    "seizure_history",
    "overdose",
    "pregnant",
    "self_harm",
    "payment",
    "language",
    "notes",
    "consent",
    "privacy_ack",
    "program",
    "ticket",
    "website",
    "status",
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=300), max_size=len(FIELDS)))
def test_any_input_gets_a_page_never_an_error(client, data):
    response = client.post("/intake", data=data)
    assert response.status_code in (200, 400)
    assert b"Something went wrong on our side" not in response.data
