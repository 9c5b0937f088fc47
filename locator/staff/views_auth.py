"""Signing in and out, the second factor, invitations, and one's own password."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user

from locator import crypto
from locator.config import current_settings
from locator.extensions import db, limiter
from locator.i18n import gettext as _
from locator.i18n import ngettext
from locator.models import StaffUser, utcnow
from locator.staff import accounts, audit, bp, limits, mfa, sessions
from locator.staff.forms import (
    ChangePasswordForm,
    CodeForm,
    EnrolForm,
    ForgotPasswordForm,
    NewPasswordForm,
    SignInForm,
)
from locator.staff.passwords import hash_password, needs_rehash, verify_password
from locator.wording import counted

MFA_PENDING = "staff_mfa_pending"
MFA_PENDING_FOR = timedelta(minutes=5)
RECENT_SIGN_IN = timedelta(minutes=15)


def _account_key() -> str:
    return "account:" + accounts.normalise_email(request.form.get("email", ""))[:254]


def _too_many_attempts(_limit):
    page = render_template("staff/sign_in.html", form=SignInForm(), throttled=True)
    return current_app.make_response((page, 429))


def _failed(response) -> bool:
    return response.status_code != 302


def _signed_in_page():
    return redirect(url_for("staff.queue") if current_user.role != "manager" else url_for("staff.availability"))


def _complete_sign_in(user: StaffUser) -> None:
    now = utcnow()
    sessions.start(db.session, user, now)
    user.last_sign_in_at = now
    audit.record(db.session, "auth.sign_in", "staff_user", user.id, actor=user)
    db.session.commit()


def _post_limit(setting: str, key_func, on_breach, deduct_when=None):
    """POSTs limited by the named setting (empty: no limit), counted per `key_func`: all of them, or only those
    whose response `deduct_when` picks."""
    return limiter.limit(
        lambda: getattr(current_settings(), setting),
        key_func=key_func,
        methods=["POST"],
        exempt_when=lambda: not getattr(current_settings(), setting),
        deduct_when=deduct_when,
        on_breach=on_breach,
    )


def _failed_attempts_limit(setting: str, key_func):
    """Failed sign-in POSTs, limited by the named setting, counted per `key_func`."""
    return _post_limit(setting, key_func, _too_many_attempts, deduct_when=_failed)


@bp.route("/login", methods=["GET", "POST"])
@_failed_attempts_limit("sign_in_rate_limit", get_remote_address)
@_failed_attempts_limit("sign_in_account_rate_limit", _account_key)
def sign_in():
    form = SignInForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("staff/sign_in.html", form=form, expired=request.args.get("expired")), status
    user = accounts.by_email(db.session, form.email.data)
    usable = user is not None and user.is_active
    if not verify_password(user.password_hash if usable else None, form.password.data) or not usable:
        audit.record(db.session, "auth.sign_in_failed", actor_email=accounts.normalise_email(form.email.data))
        db.session.commit()
        form.password.errors = [_("That email and password do not match an account.")]
        return render_template("staff/sign_in.html", form=form), 400
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(form.password.data)
    if user.mfa_secret:
        session.clear()
        session[MFA_PENDING] = {"user": user.id, "at": utcnow().timestamp()}
        db.session.commit()
        return redirect(url_for("staff.second_factor"))
    _complete_sign_in(user)
    return _signed_in_page()


def _too_many_links(_limit):
    page = render_template("staff/forgot_password.html", form=ForgotPasswordForm(), throttled=True)
    return current_app.make_response((page, 429))


@bp.route("/login/forgot", methods=["GET", "POST"])
@_post_limit("sign_in_rate_limit", get_remote_address, _too_many_links)  # every request counts: each may email
def forgot_password():
    """For "Forgot your password?": the same answer whether or not the address has an account."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("staff/forgot_password.html", form=form), 400 if request.method == "POST" else 200
    email = accounts.normalise_email(form.email.data)
    user, outcome = accounts.send_forgotten_password_link(db.session, email, utcnow(), current_settings())
    target = ("staff_user", user.id) if user is not None else ("", "")
    audit.record(db.session, "auth.password_link_requested", *target, outcome, actor_email=email)
    db.session.commit()
    flash(
        _(
            "If that address belongs to a staff account with two-step sign-in, a link to choose a new password is on"
            " its way (it works once, for 72 hours); your password has not changed. If not, ask an administrator to"
            " send you one."
        )
    )
    return redirect(url_for("staff.sign_in"))


@bp.route("/login/code", methods=["GET", "POST"])
@_failed_attempts_limit("sign_in_rate_limit", get_remote_address)
def second_factor():
    pending = session.get(MFA_PENDING)
    if not pending or utcnow().timestamp() - pending["at"] > MFA_PENDING_FOR.total_seconds():
        session.pop(MFA_PENDING, None)
        return redirect(url_for("staff.sign_in"))
    user = db.session.get(StaffUser, pending["user"])
    if user is None or not user.is_active or not user.mfa_secret:
        return redirect(url_for("staff.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        step = mfa.matching_step(user.mfa_secret, form.code.data, utcnow(), user.mfa_last_step)
        if step is not None:
            user.mfa_last_step = step
            _complete_sign_in(user)
            return _signed_in_page()
        audit.record(db.session, "auth.second_factor_failed", "staff_user", user.id, actor=user)
        db.session.commit()
        form.code.errors = [_("That code is not right, or it has been used already. Wait for the next one.")]
    return render_template("staff/second_factor.html", form=form), 400 if request.method == "POST" else 200


@bp.post("/logout")
def sign_out():
    audit.record(db.session, "auth.sign_out", "staff_user", current_user.id)
    sessions.end_current(db.session, utcnow())
    db.session.commit()
    flash(_("You are signed out."))
    return redirect(url_for("staff.sign_in"))


@bp.get("/session")
def session_status():
    """The time this session has left, for the page's script to warn before it runs out. Asking is not
    activity: a page left open on an empty desk still times out."""
    return _time_left()


@bp.post("/session")
def stay_signed_in():
    """The person is at the page (typing, scrolling, or answering the warning): the idle clock starts again.
    Loading the session did that; this answers with the new time left."""
    return _time_left()


def _time_left() -> dict:
    left, extendable = sessions.time_left(g.staff_session, limits(), utcnow())
    return {"signed_in": True, "seconds_left": max(0, int(left.total_seconds())), "extendable": extendable}


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    user = accounts.invited(db.session, token, utcnow())
    if user is None:
        abort(404)
    form = NewPasswordForm()
    if form.validate_on_submit():
        accounts.set_password(db.session, user, form.password.data, utcnow())
        audit.record(db.session, "auth.password_set_by_link", "staff_user", user.id, actor=user)
        db.session.commit()
        flash(_("Your password is set. Please sign in."))
        return redirect(url_for("staff.sign_in"))
    return render_template("staff/invite.html", form=form, user=user), 400 if request.method == "POST" else 200


@bp.route("/account", methods=["GET", "POST"])
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors = [_("That is not your current password.")]
        else:
            accounts.set_password(db.session, current_user, form.password.data, utcnow())
            audit.record(db.session, "auth.password_changed", "staff_user", current_user.id)
            db.session.commit()
            flash(_("Password changed. Your other sessions have been signed out."))
            return redirect(url_for("staff.account"))
    running = sessions.running(db.session, current_user, limits(), utcnow())
    page = render_template("staff/account.html", form=form, running=running, here=g.staff_session)
    return page, 400 if form.errors else 200


@bp.post("/account/sign-out-others")
def sign_out_others():
    """End this person's other sessions (a browser left signed in at another desk); this one goes on."""
    ended = sessions.end_all(db.session, current_user, utcnow(), keep=g.staff_session)
    audit.record(db.session, "auth.sign_out_others", "staff_user", current_user.id, counted(ended, "session"))
    db.session.commit()
    flash(ngettext("Signed out of %(num)d other session.", "Signed out of %(num)d other sessions.", ended))
    return redirect(url_for("staff.account"))


@bp.route("/account/two-factor", methods=["GET", "POST"])
def enrol_mfa():
    form = EnrolForm()
    cipher = crypto.cipher()
    if form.validate_on_submit():
        try:
            secret = cipher.decrypt(form.secret.data or "")
        except (crypto.DecryptionError, ValueError):
            abort(400)
        step = mfa.matching_step(secret, form.code.data, utcnow(), None)
        if step is not None:
            current_user.mfa_secret = secret
            current_user.mfa_last_step = step
            audit.record(db.session, "auth.second_factor_enrolled", "staff_user", current_user.id)
            db.session.commit()
            flash(_("Two-step sign-in is on."))
            return _signed_in_page()
        form.code.errors = [_("That code is not right. Check the time on your phone and try the next one.")]
    else:
        secret = mfa.new_secret()
        form.secret.data = cipher.encrypt(secret)
    uri = mfa.provisioning_uri(secret, current_user.email)
    page = render_template("staff/enrol_mfa.html", form=form, secret=secret, qr=mfa.qr_svg(uri))
    return page, 400 if form.errors else 200


def recently_signed_in() -> bool:
    """Whether this session's password was given in the last 15 minutes (the session signing in loaded it)."""
    record = g.get("staff_session")
    return record is not None and utcnow() - record.authenticated_at <= RECENT_SIGN_IN


def staff_page(path: str | None, default: str) -> str:
    """Where to go back to: `path` if it is one of our staff pages (never another site), else `default`."""
    return path if path and path.startswith("/staff/") else default


@bp.route("/confirm", methods=["GET", "POST"])
def reauthenticate():
    """Enter the password again before a sensitive action (an export)."""
    form = SignInForm(data={"email": current_user.email})
    next_url = staff_page(request.args.get("next"), url_for("staff.queue"))
    if form.validate_on_submit():
        ok = verify_password(current_user.password_hash, form.password.data)
        if ok and current_user.mfa_secret:
            step = mfa.matching_step(
                current_user.mfa_secret, request.form.get("code", ""), utcnow(), current_user.mfa_last_step
            )
            ok = step is not None
            if ok:
                current_user.mfa_last_step = step
        if ok:
            g.staff_session.authenticated_at = utcnow()
            audit.record(db.session, "auth.reauthenticated", "staff_user", current_user.id)
            db.session.commit()
            return redirect(next_url)
        audit.record(db.session, "auth.reauthentication_failed", "staff_user", current_user.id)
        db.session.commit()
        form.password.errors = [_("That did not match. Please try again.")]
    return render_template("staff/reauthenticate.html", form=form, next_url=next_url), 400 if form.errors else 200
