"""One form class per staff screen."""

from __future__ import annotations

from datetime import date, timedelta

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from locator.forms import BaseForm, CheckboxesField, email_address, phone_number
from locator.hours import ALWAYS_OPEN, DAYS, Period, by_day, day_text, parse_day
from locator.i18n import lazy_gettext as _l
from locator.intake.forms import CONTACT_METHODS as REACH_BY
from locator.intake.forms import CONTACT_TIMES, YES_NO, IntakeForm
from locator.models.intake import CONTACT_METHODS, CONTACT_OUTCOMES, STATUSES, URGENCIES
from locator.models.staff import ROLES
from locator.staff.passwords import MAX_LENGTH, MIN_LENGTH
from locator.taxonomy import LEVELS

STATUS_LABELS = {
    "new": _l("New"),
    "contacted": _l("Contacted"),
    "screening": _l("Screening"),
    "scheduled": _l("Scheduled"),
    "admitted": _l("Admitted"),
    "referred": _l("Referred elsewhere"),
    "declined": _l("Declined"),
    "closed": _l("Closed"),
}
URGENCY_LABELS = {"urgent": _l("Urgent"), "high": _l("High"), "routine": _l("Routine")}
METHOD_LABELS = {
    "phone": _l("Phone call"),
    "text": _l("Text message"),
    "email": _l("Email"),
    "in_person": _l("In person"),
}
OUTCOME_LABELS = {
    "reached": _l("Reached them"),
    "voicemail": _l("Left a voicemail"),
    "no_answer": _l("No answer"),
    "message_sent": _l("Message sent"),
    "wrong_number": _l("Wrong number or address"),
}
ROUTE_LABELS = {
    "chosen": _l("to the program they chose"),
    "nearest": _l("to the nearest program accepting"),
    "network": _l("to the network queue"),
    "staff": _l("by staff, who took it on a call"),
}
REVIEW_LABELS = {
    "honeypot": _l("a field hidden from people was filled in"),
    "no_ticket": _l("sent without its form ticket"),
    "too_fast": _l("sent seconds after the form was opened"),
}
NOTICE_LABELS = {
    "intake.created": _l("New request"),
    "intake.referred": _l("Referral"),
    "intake.assigned": _l("Assignment"),
    "intake.raised": _l("Raised to urgent"),
    "staff.invite": _l("Invitation"),
    "staff.password_reset": _l("Password reset"),
    "staff.password_link": _l("Password link"),
    "staff.password_changed": _l("Password changed"),
}
ROLE_LABELS = {"admin": _l("Admin"), "coordinator": _l("Intake coordinator"), "manager": _l("Program manager")}


def _choices(labels: dict, order) -> list[SelectChoice]:
    return [SelectChoice(code, labels[code]) for code in order]


#: The first option of a list where a slip would record something untrue (an outcome, a referral): nothing is
#: chosen until the person chooses.
CHOOSE = SelectChoice("", _l("Choose one"))


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _plausible_day(_form, field) -> None:
    """A filter's day: a typed year like 20255 or 9999 gets a message (9999-12-31 plus a day was a crash)."""
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Enter a date between 2000 and 2099."))


def _not_before(start: str):
    def check(form, field) -> None:
        if field.data and form[start].data and field.data < form[start].data:
            raise ValidationError(_l("The end date is before the start date."))

    return check


def day_range(start_label, end_label, start: str = "start") -> tuple[DateField, DateField]:
    """A pair of optional days, each plausible, the second not before the first (`start` names the first)."""
    return (
        DateField(start_label, validators=[Optional(), _plausible_day]),
        DateField(end_label, validators=[Optional(), _plausible_day, _not_before(start)]),
    )


class SignInForm(BaseForm):
    email = EmailField(_l("Email"), [DataRequired(), Length(max=254)], render_kw={"autocomplete": "username"})
    password = PasswordField(
        _l("Password"), [DataRequired(), Length(max=MAX_LENGTH)], render_kw={"autocomplete": "current-password"}
    )


class ForgotPasswordForm(BaseForm):
    email = EmailField(
        _l("Email"),
        [DataRequired(), Length(max=254), email_address],
        description=_l("The address your account was made for."),
        render_kw={"autocomplete": "username"},
    )


class CodeForm(BaseForm):
    code = StringField(
        _l("6-digit code from your authenticator app"),
        [DataRequired(), Length(max=10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class EnrolForm(CodeForm):
    secret = HiddenField()  # encrypted with the field cipher: the browser never sees the secret in clear


class NewPasswordForm(BaseForm):
    password = PasswordField(
        _l("New password"),
        [DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        description=_l("At least %(n)d characters. A few unrelated words make a good one.", n=MIN_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        [DataRequired(), EqualTo("password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Current password"), [DataRequired(), Length(max=MAX_LENGTH)], render_kw={"autocomplete": "current-password"}
    )


class QueueForm(BaseForm):
    """Queue filters, in the query string (GET: no CSRF; nothing changes)."""

    class Meta:
        csrf = False

    status = CheckboxesField(_l("Status"), choices=_choices(STATUS_LABELS, STATUSES))
    urgency = CheckboxesField(_l("Urgency"), choices=_choices(URGENCY_LABELS, URGENCIES))
    program = SelectField(_l("Program"), validators=[Optional()], validate_choice=True)
    level = SelectField(
        _l("Level of care"),
        choices=[SelectChoice("", _l("Any")), *(SelectChoice(c, lvl.label) for c, lvl in LEVELS.items())],
        validators=[Optional()],
    )
    assigned = SelectField(
        _l("Assigned"),
        choices=[SelectChoice("", _l("Anyone")), SelectChoice("me", _l("To me")), SelectChoice("none", _l("Nobody"))],
        validators=[Optional()],
    )
    review = BooleanField(_l("Flagged for review only"))
    created_from, created_to = day_range(_l("From"), _l("To"), start="created_from")
    page = IntegerField(_l("Page"), [Optional(), NumberRange(1, 100_000)], default=1)


class SearchForm(BaseForm):
    """Posted (with CSRF), so what is searched for never appears in a URL."""

    q = SearchField(_l("Reference, name or phone"), [DataRequired(), Length(max=100)])


class VersionedForm(BaseForm):
    """A change to a request: `version` is the one the page showed, to catch a colleague's change since."""

    version = HiddenField(validators=[InputRequired()])


class ClaimForm(VersionedForm):
    pass


class AssignForm(VersionedForm):
    assignee = SelectField(_l("Assign to"), validators=[Optional()])


class StatusForm(VersionedForm):
    to_status = SelectField(_l("New status"), validators=[InputRequired(_l("Choose the new status."))])
    note = TextAreaField(_l("Note (optional)"), [Optional(), Length(max=4000)])


class NoteForm(VersionedForm):
    text = TextAreaField(_l("Note"), [DataRequired(), Length(max=4000)])


class ContactForm(VersionedForm):
    method = SelectField(
        _l("How"),
        [InputRequired(_l("Choose how you tried."))],
        choices=[CHOOSE, *_choices(METHOD_LABELS, CONTACT_METHODS)],
    )
    outcome = SelectField(
        _l("Outcome"),
        [InputRequired(_l("Choose what happened."))],
        choices=[CHOOSE, *_choices(OUTCOME_LABELS, CONTACT_OUTCOMES)],
    )
    note = TextAreaField(_l("Note (optional)"), [Optional(), Length(max=4000)])


class ReferForm(VersionedForm):
    program = SelectField(_l("Refer to program"), validators=[InputRequired(_l("Choose the program."))])
    note = TextAreaField(_l("Note (optional)"), [Optional(), Length(max=4000)])


class UrgencyForm(VersionedForm):
    urgency = SelectField(
        _l("New urgency"),
        [InputRequired(_l("Choose the new urgency."))],
        choices=[CHOOSE, *_choices(URGENCY_LABELS, URGENCIES)],
    )
    note = TextAreaField(_l("Why"), [DataRequired(_l("Say why: the history keeps it.")), Length(max=4000)])


class ReviewForm(VersionedForm):
    note = TextAreaField(_l("Note (optional)"), [Optional(), Length(max=4000)])


class DetailsForm(VersionedForm):
    """How to reach the person, as they have since told staff; shown filled in with what the request holds."""

    name = StringField(_l("Name to ask for"), [DataRequired(_l("Keep a name to ask for.")), Length(max=100)])
    phone = TelField(_l("Phone number"), [Optional(), Length(max=40), phone_number])
    email = EmailField(_l("Email address"), [Optional(), Length(max=254), email_address])
    contact_method = SelectField(_l("Contact by"), [InputRequired()], choices=REACH_BY)
    contact_time = SelectField(_l("Good time"), [InputRequired()], choices=CONTACT_TIMES)
    voicemail_ok = SelectField(
        _l("Voicemail safe"), [Optional()], choices=[SelectChoice("", _l("Not answered: leave no message")), *YES_NO]
    )
    text_ok = SelectField(
        _l("Texts safe"), [Optional()], choices=[SelectChoice("", _l("Not answered: send no text")), *YES_NO]
    )
    note = TextAreaField(_l("How you learned this (optional)"), [Optional(), Length(max=4000)])

    def validate_contact_method(self, field) -> None:
        if not (self.phone.data or self.email.data):
            raise ValidationError(_l("Keep a phone number or an email address: without one nobody can follow up."))
        if field.data in ("phone", "text") and not self.phone.data:
            raise ValidationError(_l("A call or a text needs a phone number."))
        if field.data == "email" and not self.email.data:
            raise ValidationError(_l("An email needs an email address."))


class PhoneIntakeForm(IntakeForm):
    """The intake form's questions, asked by staff on a call, and the queue the request goes to."""

    queue = SelectField(_l("Queue"), [InputRequired(_l("Choose the queue it goes to."))])

    def answers(self) -> dict:
        return {k: v for k, v in super().answers().items() if k != "queue"}


class SendAgainForm(BaseForm):
    """One failed notice to send again, or (empty) every one."""

    message = HiddenField(validators=[Optional(), Regexp(r"^[0-9]{1,18}$")])


class InviteForm(BaseForm):
    email = EmailField(_l("Email"), [DataRequired(), Length(max=254), email_address])
    name = StringField(_l("Name"), [Optional(), Length(max=100)])
    # No role is chosen in advance: a slip past this menu must not make an admin.
    role = SelectField(
        _l("Role"), [InputRequired(_l("Choose a role."))], choices=[CHOOSE, *_choices(ROLE_LABELS, ROLES)]
    )
    programs = CheckboxesField(_l("Programs they cover"))


class StaffEditForm(BaseForm):
    role = SelectField(_l("Role"), choices=_choices(ROLE_LABELS, ROLES))
    programs = CheckboxesField(_l("Programs they cover"))
    active = BooleanField(_l("Account active"))


class CapacityForm(BaseForm):
    level_id = HiddenField(validators=[InputRequired()])
    available = IntegerField(_l("Open now"), [InputRequired(), NumberRange(0, 100_000)])
    maximum = IntegerField(_l("Total"), [Optional(), NumberRange(0, 100_000)])

    def validate_available(self, field) -> None:
        if self.maximum.data is not None and field.data is not None and field.data > self.maximum.data:
            raise ValidationError(_l("Cannot be more than the total."))


class PeriodForm(BaseForm):
    """A report's days, both included. Left empty, the twelve weeks to today; with only a start, from it to today
    (a start still to come: that one day). At most two years: every request in it is counted."""

    DEFAULT = timedelta(weeks=12)
    LONGEST = timedelta(days=2 * 366)

    class Meta:
        csrf = False

    start, end = day_range(_l("From"), _l("To"))

    @classmethod
    def default(cls, today: date) -> tuple[date, date]:
        return today - cls.DEFAULT + timedelta(days=1), today

    def validate_for(self, today: date) -> bool:
        """Validate and fill in the days left empty, so the form shows the period the report covers."""
        if not self.validate():
            return False
        end = self.end.data or max(today, self.start.data or today)
        start = self.start.data or self.default(end)[0]
        if end - start >= self.LONGEST:
            self.start.errors.append(_l("Choose a period of two years or less."))
            return False
        for field, day in ((self.start, start), (self.end, end)):
            field.data, field.raw_data = day, None  # shown from `data`
        return True


class ProgramListForm(BaseForm):
    """Finding a listing among thousands (GET: no CSRF; nothing changes). The view sets the states."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name, city or ZIP code"), [Optional(), Length(max=100)])
    state = SelectField(_l("State"), validators=[Optional()], validate_choice=True)
    stale = BooleanField(_l("Not verified for 180 days"))
    page = IntegerField(_l("Page"), [Optional(), NumberRange(1, 100_000)], default=1)


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False

    actor = StringField(_l("Staff email"), [Optional(), Length(max=254)])
    action = StringField(
        _l("Action"),
        [Optional(), Length(max=40)],
        description=_l("An action, like intake.view, or how it starts, like intake. for every action on a request."),
    )
    target = StringField(_l("Record (e.g. a reference)"), [Optional(), Length(max=64)])
    start, end = day_range(_l("From"), _l("To"))
    page = IntegerField(_l("Page"), [Optional(), NumberRange(1, 100_000)], default=1)


def _day_hours(_form, field) -> None:
    try:
        parse_day(field.data or "")
    except ValueError:
        raise ValidationError(
            _l("Write the times on a 24-hour clock, like 08:00-17:00, and a break as 08:00-12:00, 13:00-17:00.")
        ) from None


def _day_field(label) -> StringField:
    return StringField(label, [Optional(), Length(max=100), _day_hours], render_kw={"autocomplete": "off"})


class ProgramForm(BaseForm):
    name = StringField(_l("Name"), [DataRequired(), Length(max=200)])
    street1 = StringField(_l("Street"), [Optional(), Length(max=200)])
    street2 = StringField(_l("Street, second line"), [Optional(), Length(max=200)])
    city = StringField(_l("City"), [DataRequired(), Length(max=100)])
    state = StringField(
        _l("State (2 letters)"), [DataRequired(), Length(min=2, max=2)], filters=[lambda v: v.upper() if v else v]
    )
    zip = StringField(_l("ZIP code"), [DataRequired(), Length(min=5, max=5)])
    phone = StringField(_l("Phone"), [Optional(), Length(max=32)])
    intake_phone = StringField(_l("Intake phone"), [Optional(), Length(max=32)])
    website = StringField(_l("Website"), [Optional(), Length(max=300)])
    email = EmailField(_l("Email for new intake requests"), [Optional(), Length(max=254), email_address])
    description = TextAreaField(_l("Description"), [Optional(), Length(max=4000)])
    timezone = SelectField(
        _l("Time zone"),
        [Optional()],
        description=_l("Opening hours and contact targets count in it. Leave it to follow the ZIP code."),
    )
    accepting_new = BooleanField(_l("Accepting new clients"), default=True)
    open_all_week = BooleanField(_l("Open 24 hours, every day (the days below are then ignored)"))
    hours_mon = _day_field(_l("Monday"))
    hours_tue = _day_field(_l("Tuesday"))
    hours_wed = _day_field(_l("Wednesday"))
    hours_thu = _day_field(_l("Thursday"))
    hours_fri = _day_field(_l("Friday"))
    hours_sat = _day_field(_l("Saturday"))
    hours_sun = _day_field(_l("Sunday"))
    levels = CheckboxesField(_l("Levels of care and settings"))
    attributes = CheckboxesField(_l("Payment, populations, languages, medications, approaches, services"))

    def weekly_hours(self) -> list[Period]:
        """The opening periods the form describes (it has been validated)."""
        if self.open_all_week.data:
            return list(ALWAYS_OPEN)
        days = (self[f"hours_{day}"].data or "" for day in DAYS)
        return [(weekday, *span) for weekday, text in enumerate(days) for span in parse_day(text)]

    def fill_hours(self, periods: list[Period]) -> None:
        self.open_all_week.data = sorted(periods) == ALWAYS_OPEN
        for day, spans in zip(DAYS, by_day(periods), strict=True):
            self[f"hours_{day}"].data = day_text(spans)

    def validate_zip(self, field) -> None:
        if not (field.data.isascii() and field.data.isdigit()):
            raise ValidationError(_l("A ZIP code has 5 digits."))

    def validate_state(self, field) -> None:
        if not (field.data.isascii() and field.data.isalpha()):
            raise ValidationError(_l("Use the two-letter state code, like OH."))
