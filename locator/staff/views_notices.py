"""The notices that have not gone out: delayed (nothing is sending), retrying, or given up and kept to send again."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for

from locator.extensions import db
from locator.i18n import gettext as _
from locator.i18n import ngettext
from locator.models import utcnow
from locator.notify import deliver_after_response, outbox
from locator.staff import audit, bp
from locator.staff.access import roles
from locator.staff.forms import NOTICE_LABELS, SendAgainForm


@bp.get("/notices")
@roles("admin")
def notices():
    now = utcnow()
    context = {"backlog": outbox.backlog(db.session, now), "messages": outbox.unsent(db.session, now)}
    audit.record(db.session, "notices.view")
    html = render_template("staff/notices.html", **context, now=now, form=SendAgainForm(), labels=NOTICE_LABELS)
    db.session.commit()
    return html


@bp.post("/notices/send-again")
@roles("admin")
def send_notices_again():
    form = SendAgainForm()
    if not form.validate():
        flash(_("That could not be sent again: open the page again and retry."))
        return redirect(url_for("staff.notices"))
    message_id = int(form.message.data) if form.message.data else None
    count = outbox.send_again(db.session, utcnow(), message_id)
    if not count:  # a colleague was quicker, or it went meanwhile
        flash(_("Nothing to send again: it is already waiting to go, or has gone."))
        return redirect(url_for("staff.notices"))
    audit.record(db.session, "notices.send_again", "outbox_message", message_id or "", detail=f"{count} sent again")
    db.session.commit()
    deliver_after_response()
    flash(ngettext("%(num)d notice will be sent again now.", "%(num)d notices will be sent again now.", count))
    return redirect(url_for("staff.notices"))
