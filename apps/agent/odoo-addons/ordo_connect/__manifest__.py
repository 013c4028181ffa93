# Part of Ordo. Loaded as a server-wide module (odoo.conf `server_wide_modules`), so its route
# works without being installed in the database; installing it is harmless but not needed.
{
    'name': 'Ordo: Connect as',
    'summary': 'Single-use login links created by the Ordo agent',
    'version': '1.0',
    'category': 'Hidden',
    'author': 'Ordo',
    'license': 'LGPL-3',
    'depends': ['web'],
    'data': [],
    'installable': True,
    'auto_install': False,
    'application': False,
}
