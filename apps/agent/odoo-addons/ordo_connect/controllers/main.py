# Part of Ordo.
"""GET /ordo/connect/<token>: opens an Odoo session as the user an Ordo admin chose.

The Ordo agent stores, in this database's table ordo_login_link, the SHA-256 of
"<database>:<token>" (never the token), the user id, who asked for the link and an expiry two
minutes ahead. This route deletes the row in the same statement that reads it, so a link works
once even when opened twice at the same moment; an unknown, used or expired link gets a page
saying so. The database name in the hash means a copy of this database (a clone made while a
link was fresh) cannot be entered with it.

The session is completed with Odoo's own Session.finalize(env), the step Odoo runs after a
password and the second factor were checked: it sets db, login, uid, context and the session
token and rotates the session id. The target user's password and second factor are not asked
for: that is the point, and why Ordo limits who may create links and records each use here
(log line naming the operator) and in its own audit log.

Works with Odoo 16.0 and later (the http.py that has Session.finalize(env)).

Checked against Odoo's source (16.0, 17.0, 18.0):
- The module is loaded server-wide, not installed: odoo/service/server.py start() calls
  load_server_wide_modules(), which imports odoo.addons.<name> for every name in
  `server_wide_modules`, so this Controller subclass is registered (odoo/http.py
  Controller.__init_subclass__ keys it by module name). Requests bound to a database are
  routed by odoo/addons/base/models/ir_http.py routing_map(), built from
  `registry._init_modules.union(odoo.conf.server_wide_modules)`: the route answers in a
  database where the module is not installed. Requests without a database use
  odoo/http.py Application.nodb_routing_map (server-wide modules, auth='none' routes only).
- request.db: odoo/http.py Request._get_session_and_dbname() takes the session's database
  when dbfilter accepts it, else the only database left by db_list(force=True) (databases
  owned by db_user, narrowed by dbfilter/db_name). Ordo's odoo.conf sets db_name and
  dbfilter=^<db>$, so every request of the instance is bound to its database and served by
  Request._serve_db() with a cursor on it (request.env); the route never opens a registry
  itself (were it needed: odoo.modules.registry.Registry(db), what http.py itself calls in
  16.0-18.0, rather than the odoo.registry() shortcut). No database means Odoo cannot serve
  this instance at all (the database is missing, or not owned by db_user): the route says
  so and changes nothing.
- readonly=False: 18.0's _check_and_complete_route_definition() makes auth='none' routes
  read-only by default (a replica cursor first, when one is configured), and this route
  deletes. 16.0 and 17.0 default the key to False (odoo/http.py _generate_routing_rules).
- Session: finalize(env) pops pre_login/pre_uid, sets db/login/uid/context/session_token
  and should_rotate, the same code in 16.0, 17.0 and 18.0; Request._save_session() then
  rotates the sid and recomputes the token (FilesystemSessionStore.rotate(session, env)).
- request.make_response(data, headers, cookies, status) and request.redirect(location,
  code=303, local=True) have these signatures in 16.0-18.0.
"""

import hashlib
import logging
import re

from odoo import http, release
from odoo.http import request

_logger = logging.getLogger(__name__)

# 32 random bytes, base64url without padding, as the agent makes them.
TOKEN_PATTERN = re.compile(r'^[A-Za-z0-9_-]{43}$')

GONE_MESSAGE = 'This login link was already used or has expired. Create a new one from Ordo.'

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="robots" content="noindex"/><title>{title} | Odoo</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}}
h1{{font-size:1.4rem}}</style></head>
<body><main><h1>{title}</h1><p class="ordo-connect-message">{message}</p></main></body></html>"""


def major_version():
    """The numeric major version, also for SaaS series ('saas~17')."""
    major = release.version_info[0]
    if isinstance(major, str):
        major = int(major.split('~')[-1])
    return major


def token_hash(dbname, token):
    return hashlib.sha256(('%s:%s' % (dbname, token)).encode('utf-8')).hexdigest()


def page(status, title, message):
    return request.make_response(
        PAGE.format(title=title, message=message),
        headers=[('Content-Type', 'text/html; charset=utf-8'), ('Cache-Control', 'no-store')],
        status=status,
    )


class OrdoConnect(http.Controller):

    # readonly=False: the route deletes the link row (18.0 makes auth='none' routes
    # read-only by default, see the module docstring).
    @http.route('/ordo/connect/<string:token>', type='http', auth='none', methods=['GET'],
                csrf=False, readonly=False)
    def ordo_connect(self, token, **kwargs):
        if major_version() < 16:
            return page(501, 'Not supported', 'Connect as needs Odoo 16.0 or newer.')
        env = getattr(request, 'env', None)
        remote = request.httprequest.remote_addr
        if env is None or not request.db:
            # Served by Request._serve_nodb(): Odoo found no database for this address.
            _logger.warning('Ordo connect-as: no database for this request (is the database '
                            'missing, or not owned by db_user?) (from %s)', remote)
            return page(404, 'No database', 'This Odoo server has no database for this address.')
        if not TOKEN_PATTERN.match(token):
            _logger.warning('Ordo connect-as: refused a malformed login link (from %s)', remote)
            return page(410, 'Link used or expired', GONE_MESSAGE)

        cr = env.cr
        cr.execute("SELECT to_regclass('ordo_login_link') IS NOT NULL")
        if not cr.fetchone()[0]:
            return page(410, 'Link used or expired', GONE_MESSAGE)
        cr.execute(
            'DELETE FROM ordo_login_link WHERE token_hash = %s AND expires_at > now() '
            'RETURNING uid, created_by',
            [token_hash(request.db, token)],
        )
        row = cr.fetchone()
        if not row:
            _logger.warning('Ordo connect-as: refused an unknown, used or expired login link '
                            '(from %s)', remote)
            return page(410, 'Link used or expired', GONE_MESSAGE)
        uid, created_by = row

        user = env['res.users'].sudo().with_context(active_test=False).browse(uid).exists()
        if not user or not user.active or user.share:
            _logger.warning('Ordo connect-as: %s made a link for user id %s, who is not an active '
                            'internal user any more (from %s)', created_by, uid, remote)
            return page(403, 'User not available',
                        'The user of this link is archived or not an internal user any more.')

        # Item syntax: 16.0-18.0's Session also accepts attributes (Session.__getattr__/
        # __setattr__), but 19.0's dropped that fallback; Session.authenticate() in 19.0
        # writes these two keys the same way.
        request.session['pre_login'] = user.login
        request.session['pre_uid'] = user.id
        request.session.finalize(env)
        _logger.info('Ordo connect-as: %s logged in as %s (uid %s) with a single-use link '
                     '(from %s)', created_by, user.login, user.id, remote)
        # 18.0's web client lives at /odoo (web/controllers/home.py still serves /web there
        # too); 16.0 and 17.0 only have /web.
        return request.redirect('/odoo' if major_version() >= 18 else '/web', local=True)
