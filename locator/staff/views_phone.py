"""A request taken on a call: staff ask the intake form's questions and save the answers in a queue they work."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from locator.config import current_settings
from locator.extensions import csrf, db
from locator.i18n import gettext as _
from locator.intake import tickets, workflow
from locator.intake.operations import Submission, submit_once
from locator.models import Program, utcnow
from locator.staff import audit, bp
from locator.staff.access import QUEUE_ROLES, queue_programs, roles
from locator.staff.forms import CHOOSE, PhoneIntakeForm


def _form() -> PhoneIntakeForm:
    form = PhoneIntakeForm() if request.method == "POST" else PhoneIntakeForm(formdata=None)
    choices = [CHOOSE, *(SelectChoice(str(p.id), p.name) for p in queue_programs(db.session, current_user))]
    if current_user.role == "admin":
        choices.insert(1, SelectChoice("network", _("Network-wide queue (no program)")))
    form.queue.choices = choices
    if len(choices) == 2:  # one queue to choose from: chosen
        form.queue.data = form.queue.data or choices[1].value
    secret = current_settings().secret_key
    if tickets.read(secret, form.ticket.data) is None:  # one per page shown: saving twice stores it once
        form.ticket.data = tickets.issue(secret)
    return form


def _submission(form: PhoneIntakeForm) -> Submission:
    settings = current_settings()
    ticket = tickets.read(settings.secret_key, form.ticket.data)
    language = form.language.data
    return form.submission(
        ticket.key if ticket else tickets.new_key(),
        chosen=db.session.get(Program, int(form.queue.data)) if form.queue.data.isdigit() else None,
        locale=language if language in settings.languages else settings.languages[0],
        by_staff=True,
    )


@bp.route("/intakes/new", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one re-renders the answers instead of an error page
@roles(*QUEUE_ROLES)
def phone_intake():
    form = _form()
    if request.method == "GET":
        return render_template("staff/intake_new.html", form=form)
    if not form.validate():
        expired = "csrf_token" in form.errors
        return render_template("staff/intake_new.html", form=form, session_expired=expired), 400
    now = utcnow()
    intake, created = submit_once(db.session, _submission(form), now, current_settings())
    if created:  # the one who took the call has it, and the call was its first contact
        workflow.assign(db.session, intake, current_user, current_user, now)
        workflow.log_contact(db.session, intake, current_user, "phone", "reached", now, "Request taken on this call.")
        audit.record(db.session, "intake.create", "intake_request", intake.reference, detail="taken on a call")
        db.session.commit()
    flash(
        _(
            "Saved as %(reference)s. Give them the reference, and say when to expect the next call.",
            reference=intake.reference,
        )
    )
    return redirect(url_for("staff.intake", reference=intake.reference))
