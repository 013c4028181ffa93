# Part of Ordo. Loaded as a server-wide module (odoo.conf `server_wide_modules`), so its route
# works without being installed in the database; installing it is harmless but not needed.
# The manifest is still required: odoo/modules/module.py load_openerp_module() (read in 17.0)
# reads get_manifest(name)['post_load'] after the import, a KeyError for a module without
# one, which load_server_wide_modules() logs as an error at every start. 'depends' only
# matters if someone installs it; a server-wide load ignores it.
{
    'name': 'Ordo: Connect as',
    'summary': 'Single-use login links created by the Ordo agent',
    'version': '1.0',
    'category': 'Hidden',
    'author': 'Ordo',
    'license': 'LGPL-3',
    'depends': ['base', 'web'],
    'data': [],
    'installable': True,
    'auto_install': False,
    'application': False,
}
