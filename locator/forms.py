"""The project's base form: strips white space, removes control characters, caps lengths."""

from __future__ import annotations

import math
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError


def clean_text(value):
    """Strip, and replace control characters (NUL, escape codes...) except line breaks and tabs."""
    if not isinstance(value, str):
        return value
    kept = (ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in value)
    return "".join(kept).strip()


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", ())
            if issubclass(unbound_field.field_class, StringField):  # also Search, Tel, Email, TextArea
                unbound_field.kwargs["filters"] = [clean_text, *filters]
            return unbound_field.bind(form=form, **options)


def finite(_form, field) -> None:
    """FloatField accepts 'nan' and 'inf'; we do not."""
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError(_l("Enter a number."))
