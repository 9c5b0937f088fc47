"""Personal fields encrypted at rest, and key rotation."""

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from locator.crypto import DecryptionError, FieldCipher
from locator.models import AuditEvent, IntakeRequest
from tests.conftest import TEST_FIELD_KEY, make_settings
from tests.intake_forms import form_data


def test_a_value_round_trips_and_the_token_does_not_show_it():
    cipher = FieldCipher((Fernet.generate_key().decode(),))
    token = cipher.encrypt("Dana")
    assert "Dana" not in token
    assert cipher.decrypt(token) == "Dana"


def test_an_older_key_still_decrypts_and_rotation_moves_to_the_newest():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = FieldCipher((old,)).encrypt("Dana")
    both = FieldCipher((new, old))
    assert both.decrypt(token) == "Dana"
    assert FieldCipher((new,)).decrypt(both.rotate(token)) == "Dana"


def test_a_value_without_its_key_is_an_error_that_does_not_show_the_value():
    token = FieldCipher((Fernet.generate_key().decode(),)).encrypt("Dana")
    with pytest.raises(DecryptionError) as error:
        FieldCipher((Fernet.generate_key().decode(),)).decrypt(token)
    assert "Dana" not in str(error.value)


def raw_tokens(session) -> list[str]:
    rows = session.execute(text("SELECT name, answers FROM intake_request")).all()
    return [value for row in rows for value in row]


def run_in(app, *args):
    """Run a command in `app` (its own app context: the `session` fixture has the test app's open)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def test_keys_rotate_re_encrypts_every_stored_value(client, session, app_factory, database_url):
    client.post("/intake", data=form_data(client, name="Dana", notes="note"))
    client.post("/intake", data=form_data(client, name="Sam", email="sam@example.org"))
    before = raw_tokens(session)

    new_key = Fernet.generate_key().decode()
    rotated_app = app_factory(LOCATOR=make_settings(database_url, field_keys=(new_key, TEST_FIELD_KEY)))
    result = run_in(rotated_app, "keys", "rotate")
    assert result.exit_code == 0, result.output
    assert "Re-encrypted 7 values" in result.output  # 2 names, 2 phones, 2 answers, 1 email; a missing email stays NULL
    assert session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "keys.rotate")).all() == [
        "7 values re-encrypted"
    ]
    session.expire_all()
    after = raw_tokens(session)
    assert all(a != b for a, b in zip(before, after, strict=True))

    new_only = FieldCipher((new_key,))
    assert sorted(new_only.decrypt(t) for t in after[::2]) == ["Dana", "Sam"]


def test_rotation_without_the_old_key_changes_nothing(client, session, app_factory, database_url):
    client.post("/intake", data=form_data(client, name="Dana"))
    before = raw_tokens(session)
    stranger = app_factory(LOCATOR=make_settings(database_url, field_keys=(Fernet.generate_key().decode(),)))
    result = run_in(stranger, "keys", "rotate")
    assert result.exit_code != 0, result.output
    assert "nothing was changed" in result.output
    assert session.scalars(select(AuditEvent)).all() == []
    session.expire_all()
    assert raw_tokens(session) == before


def test_the_orm_reads_the_decrypted_values(client, session):
    client.post("/intake", data=form_data(client, name="Dana", phone="614-555-0123", zip="43215"))
    request = session.scalars(select(IntakeRequest)).one()
    assert (request.name, request.phone, request.answers["zip"]) == ("Dana", "+16145550123", "43215")
