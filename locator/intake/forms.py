"""The intake form (DESIGN.md section 6): one page, a few short sections, every question but consent optional."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from locator.forms import BaseForm, CheckboxesField, email_address, phone_number
from locator.geo import zip_place
from locator.i18n import lazy_gettext as _l
from locator.intake.operations import Submission
from locator.taxonomy import LEVELS

NOT_SURE = "not_sure"


def _choices(*pairs: tuple[str, object]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


YES_NO = _choices(("yes", _l("Yes")), ("no", _l("No")))
YES_NO_UNSURE = [*YES_NO, SelectChoice(NOT_SURE, _l("Not sure"))]
YES_NO_PRIVATE = [*YES_NO, SelectChoice("private", _l("I would rather not say"))]

FOR_WHOM = _choices(("self", _l("Myself")), ("other", _l("Someone I care about")))
RELATIONS = _choices(
    ("", _l("Choose one")),
    ("parent", _l("I am their parent")),
    ("partner", _l("I am their partner or spouse")),
    ("child", _l("I am their son or daughter")),
    ("family", _l("Other family")),
    ("friend", _l("Friend")),
    ("professional", _l("I work with them (clinician, case worker, counsellor)")),
    ("other", _l("Other")),
)
CONTACT_METHODS = _choices(("phone", _l("Phone call")), ("text", _l("Text message")), ("email", _l("Email")))
CONTACT_TIMES = _choices(
    ("any", _l("Any time")),
    ("morning", _l("Morning (8 am to noon)")),
    ("afternoon", _l("Afternoon (noon to 5 pm)")),
    ("evening", _l("Evening (5 pm to 9 pm)")),
)
SUBSTANCES = _choices(
    ("alcohol", _l("Alcohol")),
    ("opioids", _l("Opioids (heroin, fentanyl, pain pills)")),
    ("stimulants", _l("Stimulants (meth, cocaine)")),
    ("benzodiazepines", _l("Benzodiazepines (Xanax, Valium, Klonopin)")),
    ("cannabis", _l("Cannabis")),
    ("other", _l("Something else")),
)
LAST_USE = _choices(
    ("", _l("Choose one")),
    ("today", _l("Today")),
    ("days_1_3", _l("1 to 3 days ago")),
    ("days_4_7", _l("4 to 7 days ago")),
    ("weeks_1_4", _l("1 to 4 weeks ago")),
    ("over_month", _l("More than a month ago")),
    (NOT_SURE, _l("Not sure")),
)
OVERDOSE = _choices(
    ("no", _l("No")),
    ("last_7_days", _l("Yes, in the last 7 days")),
    ("last_30_days", _l("Yes, 8 to 30 days ago")),
    (NOT_SURE, _l("Not sure")),
)
PAYMENT = _choices(
    ("", _l("Choose one")),
    ("MD", _l("Medicaid")),
    ("MC", _l("Medicare")),
    ("PI", _l("Private insurance")),
    ("MI", _l("TRICARE (military)")),
    ("SF", _l("No insurance / paying myself")),
    (NOT_SURE, _l("Not sure")),
)
LANGUAGES = _choices(("en", "English"), ("es", "Español"), ("other", _l("Another language")))


def _level_choices() -> list[SelectChoice]:
    return [SelectChoice(code, level.label) for code, level in LEVELS.items()] + [
        SelectChoice(NOT_SURE, _l("Not sure: help me choose"))
    ]


def known_zip(_form, field) -> None:
    if field.data and zip_place(field.data) is None:
        raise ValidationError(_l("We do not know the ZIP code %(zip)s. Please check it.", zip=field.data))


def _radio(label, choices, **kwargs) -> RadioField:
    return RadioField(label, choices=choices, validators=[Optional()], **kwargs)


class IntakeForm(BaseForm):
    # Who needs help.
    for_whom = RadioField(_l("Who needs treatment?"), choices=FOR_WHOM, default="self", validators=[InputRequired()])
    relation = SelectField(_l("How do you know them?"), choices=RELATIONS, validators=[Optional()])

    # How to reach the person.
    name = StringField(
        _l("Name we should ask for"),
        [DataRequired(_l("Tell us who to ask for.")), Length(max=100)],
        description=_l("A first name or a nickname is fine."),
        render_kw={"autocomplete": "given-name", "maxlength": 100},
    )
    phone = TelField(
        _l("Phone number"),
        [Optional(), Length(max=40), phone_number],
        render_kw={"autocomplete": "tel", "maxlength": 40, "inputmode": "tel"},
    )
    email = EmailField(
        _l("Email address"),
        [Optional(), Length(max=254), email_address],
        render_kw={"autocomplete": "email", "maxlength": 254, "spellcheck": "false"},
    )
    contact_method = RadioField(
        _l("How should we contact you?"), choices=CONTACT_METHODS, default="phone", validators=[InputRequired()]
    )
    contact_time = SelectField(_l("When is a good time?"), choices=CONTACT_TIMES, default="any")
    voicemail_ok = _radio(
        _l("Is it safe to leave a voicemail?"),
        YES_NO,
        description=_l("If not, we will not leave a message. We never say what the call is about."),
    )
    text_ok = _radio(_l("Is it safe to send a text message?"), YES_NO)
    zip = StringField(
        _l("ZIP code"),
        [Optional(), Length(min=5, max=5, message=_l("A ZIP code has 5 digits.")), known_zip],
        description=_l("So we can find a program near you."),
        render_kw={"autocomplete": "postal-code", "inputmode": "numeric", "maxlength": 5},
    )

    # What help is wanted.
    levels = CheckboxesField(_l("What kind of care are you looking for?"), choices=_level_choices())
    substances = CheckboxesField(_l("Which substances? Choose any that apply."), choices=SUBSTANCES)
    substances_other = StringField(_l("Something else (optional)"), [Optional(), Length(max=200)])
    last_use = SelectField(_l("When was the last use?"), choices=LAST_USE, validators=[Optional()])

    # Health and safety: these decide how soon we call.
    withdrawal_now = _radio(
        _l("Having withdrawal symptoms now?"),
        YES_NO_UNSURE,
        description=_l("For example shaking, sweating, vomiting, or feeling very sick without the substance."),
    )
    seizure_history = _radio(
        _l("Ever had a seizure when stopping alcohol or drugs?"),
        YES_NO_UNSURE,
        description=_l("After seizures in the past, withdrawal can be dangerous: we would look for medical care."),
    )
    overdose = _radio(_l("An overdose in the last 30 days?"), OVERDOSE)
    pregnant = _radio(
        _l("Pregnant?"),
        YES_NO_UNSURE,
        description=_l("Some programs specialise in care during pregnancy, and some medicines need care to change."),
    )
    mental_health = _radio(_l("Any mental health concerns you want us to know about?"), YES_NO_PRIVATE)
    self_harm = _radio(
        _l("Any thoughts of hurting yourself or ending your life?"),
        YES_NO_PRIVATE,
        description=_l("If so, we will call you first. If you are in danger now, call or text 988, or call 911."),
    )

    # Payment, language and support.
    payment = SelectField(_l("How would you pay?"), choices=PAYMENT, validators=[Optional()])
    language = SelectField(_l("Preferred language"), choices=LANGUAGES, default="en")
    language_other = StringField(_l("Which language?"), [Optional(), Length(max=60)])
    support = StringField(
        _l("Who supports you?"),
        [Optional(), Length(max=200)],
        description=_l("For example a partner, parent, friend, sponsor or case worker."),
    )
    involve_family = _radio(_l("Should we involve your family or supporters?"), YES_NO_UNSURE)
    notes = TextAreaField(
        _l("Anything else you would like us to know?"),
        [Optional(), Length(max=2000)],
        render_kw={"maxlength": 2000, "rows": 4},
    )

    # Consent.
    consent = BooleanField(
        _l("I agree to be contacted about treatment in the way I chose above."),
        [InputRequired(_l("We need your agreement before we can contact you."))],
    )
    privacy_ack = BooleanField(
        _l("I have read the privacy notice."),
        [InputRequired(_l("Please read the privacy notice and tick the box."))],
    )

    # Not questions: the program chosen on the locator, the form's ticket and a trap for robots.
    program = HiddenField()
    ticket = HiddenField()
    website = StringField(_l("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"})

    def validate_contact_method(self, field) -> None:
        if not (self.phone.data or self.email.data):
            raise ValidationError(_l("Give us a phone number or an email address, so we can reach you."))
        if field.data in ("phone", "text") and not self.phone.data:
            raise ValidationError(_l("Add the phone number we should use, or choose email."))
        if field.data == "email" and not self.email.data:
            raise ValidationError(_l("Add your email address, or choose a phone call or text."))

    def answers(self) -> dict[str, Any]:
        """Everything the person told us apart from name, phone and email (which have columns of their own)."""
        skip = {"name", "phone", "email", "program", "ticket", "website", "csrf_token"}
        answers = {
            name: field.data
            for name, field in self._fields.items()
            if name not in skip and field.data not in (None, "", [])
        }
        levels = answers.get("levels", [])
        if NOT_SURE in levels and len(levels) > 1:
            answers["levels"] = [level for level in levels if level != NOT_SURE]
        return answers

    def requested_level(self) -> str | None:
        """The most intensive level asked for (detox before residential...), which routing looks for."""
        levels = self.answers().get("levels", [])
        return next((code for code in LEVELS if code in levels), None)

    def submission(self, key: str, **routing) -> Submission:
        """The request these answers make, stored once under `key`; `routing`: the rest of `Submission`."""
        return Submission(
            key=key,
            name=self.name.data,
            phone=self.phone.data or None,
            email=self.email.data or None,
            answers=self.answers(),
            level=self.requested_level(),
            **routing,
        )


def answer_text(question: str, value) -> str:
    """An answer as staff read it: the label the person chose (a list joined), or the text typed."""
    field = getattr(IntakeForm, question, None)
    choices = {c.value: c.label for c in (field.kwargs.get("choices") or [])} if field is not None else {}
    if question == "levels":
        choices = {c.value: c.label for c in _level_choices()}
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    return str(choices.get(value, value)) if value not in (None, "") else "—"
