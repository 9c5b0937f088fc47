from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from locator.forms import BaseForm
from locator.i18n import lazy_gettext as _l

REPORT_LABELS = {
    "phone": _l("A phone number is wrong"),
    "address": _l("The address or map location is wrong"),
    "closed": _l("The program has closed or moved"),
    "services": _l("The services, payment or languages are wrong"),
    "availability": _l("The availability is wrong"),
    "other": _l("Something else"),
}
REPORT_CHOICES = [SelectChoice(kind, label) for kind, label in REPORT_LABELS.items()]


class ReportForm(BaseForm):
    kind = SelectField(_l("What is wrong?"), choices=REPORT_CHOICES, validators=[InputRequired()])
    details = TextAreaField(
        _l("Details (optional)"),
        validators=[Length(max=1000)],
        description=_l("Please do not include your name or anything about your health."),
    )
