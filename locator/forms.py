"""The project's base form (strips white space, removes control characters) and shared fields and validators."""

from __future__ import annotations

import math
import unicodedata
from functools import cache

import phonenumbers
from babel.support import Translations
from email_validator import EmailNotValidError, validate_email
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from locator.i18n import lazy_gettext as _l


def clean_text(value):
    """Strip, and replace control characters (NUL, escape codes...) except line breaks and tabs."""
    if not isinstance(value, str):
        return value
    kept = (ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in value)
    return "".join(kept).strip()


@cache
def _wtforms_messages(locale: str) -> Translations:
    """WTForms' own messages ("Not a valid date value.") in a language, read from its catalogue once."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            # Flask-WTF reads and parses WTForms' catalogue again on every request that shows a message.
            return _wtforms_messages(str(get_locale()))

        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", ())
            if issubclass(unbound_field.field_class, StringField):  # also Search, Tel, Email, TextArea
                unbound_field.kwargs["filters"] = [clean_text, *filters]
            return unbound_field.bind(form=form, **options)


def finite(_form, field) -> None:
    """FloatField accepts 'nan' and 'inf'; we do not."""
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError(_l("Enter a number."))


class FlagField(BooleanField):
    """A yes/no query parameter. WTForms' BooleanField takes every value but "false" and "" for yes, so
    `accepting=0` meant yes; here "0", "no" and "off" are no, and anything else is an error."""

    YES = ("y", "1", "true", "yes", "on")  # "y": what the checkbox sends
    false_values = ("", "0", "false", "no", "off")

    def pre_validate(self, form) -> None:
        if self.raw_data and self.raw_data[0] not in self.YES + self.false_values:
            raise ValidationError(_l("Use 1 for yes or 0 for no."))


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes; an unknown value is an error naming it."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        known = {choice.value for choice in self.choices}
        unknown = [value for value in self.data or [] if value not in known]
        if unknown:
            raise ValidationError(_l("Unknown choice: %(values)s", values=", ".join(unknown)))


def phone_number(_form, field) -> None:
    """A number we can call (US numbers without +1, others with their country code), kept as E.164."""
    if not field.data:
        return
    try:
        parsed = phonenumbers.parse(field.data, "US")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_l("Enter a phone number with its area code, like 614-555-0123."))
    field.data = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def email_address(_form, field) -> None:
    """A well-formed address, normalised (no DNS look-up: that would be slow and leak the domain)."""
    if not field.data:
        return
    try:
        field.data = validate_email(field.data, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValidationError(_l("Enter an email address like name@example.com.")) from None
