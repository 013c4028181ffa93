"""Odoo's own backup and restore (odoo/service/db.py dump_db / restore_db, osutil.zip_dir), as
the baseline of scripts/bench/backup.ts and restore.ts. Same steps, same libraries (tempfile,
shutil, zipfile with ZIP_DEFLATED, pg_dump/psql through subprocess); the connection comes from
PGHOST/PGPORT/PGUSER like Odoo's exec_pg_environ.

  python3 odoo_method.py backup <db> <filestore dir> <manifest.json text> <zip out>
  python3 odoo_method.py restore <zip> <new db> <filestore dest>
"""

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile


def zip_dir(path, stream, include_dir=True, fnct_sort=None):
    """odoo/tools/osutil.py zip_dir."""
    path = os.path.normpath(path)
    len_prefix = len(os.path.dirname(path)) if include_dir else len(path)
    if len_prefix:
        len_prefix += 1
    with zipfile.ZipFile(stream, 'w', compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zipf:
        for dirpath, _dirnames, filenames in os.walk(path):
            filenames = sorted(filenames, key=fnct_sort)
            for fname in filenames:
                bname, ext = os.path.splitext(fname)
                ext = ext or bname
                if ext not in ['.pyc', '.pyo', '.swp', '.DS_Store']:
                    file_path = os.path.normpath(os.path.join(dirpath, fname))
                    if os.path.isfile(file_path):
                        zipf.write(file_path, file_path[len_prefix:])


def dump_db(db_name, filestore, manifest, out_path):
    """dump_db(backup_format='zip'): copy the filestore, write the manifest, pg_dump, zip."""
    cmd = ['pg_dump', '--no-owner', db_name]
    with tempfile.TemporaryDirectory() as dump_dir:
        if os.path.exists(filestore):
            shutil.copytree(filestore, os.path.join(dump_dir, 'filestore'))
        with open(os.path.join(dump_dir, 'manifest.json'), 'w') as fh:
            fh.write(manifest)
        cmd.insert(-1, '--file=' + os.path.join(dump_dir, 'dump.sql'))
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, check=True)
        with open(out_path, 'wb') as stream:
            zip_dir(dump_dir, stream, include_dir=False,
                    fnct_sort=lambda file_name: file_name != 'dump.sql')


def create_empty_database(name):
    """_create_empty_database, through psql instead of psycopg2 (not installed here)."""
    subprocess.run(['psql', '-X', '-q', '-d', 'postgres', '-c',
                    'CREATE DATABASE "%s" ENCODING \'unicode\' LC_COLLATE \'C\' TEMPLATE template0' % name],
                   check=True)
    subprocess.run(['psql', '-X', '-q', '-d', name, '-c',
                    'CREATE EXTENSION IF NOT EXISTS pg_trgm; GRANT CREATE ON SCHEMA PUBLIC TO PUBLIC'],
                   check=True)


def restore_db(zip_path, db_name, filestore_dest):
    """restore_db: extract dump.sql and filestore/, psql -f, move the filestore in place."""
    create_empty_database(db_name)
    filestore_path = None
    with tempfile.TemporaryDirectory() as dump_dir:
        if zipfile.is_zipfile(zip_path):
            with zipfile.ZipFile(zip_path, 'r') as z:
                filestore = [m for m in z.namelist() if m.startswith('filestore/')]
                z.extractall(dump_dir, ['dump.sql'] + filestore)
                if filestore:
                    filestore_path = os.path.join(dump_dir, 'filestore')
            pg_cmd = 'psql'
            pg_args = ['-q', '-f', os.path.join(dump_dir, 'dump.sql')]
        else:
            pg_cmd = 'pg_restore'
            pg_args = ['--no-owner', zip_path]
        r = subprocess.run([pg_cmd, '--dbname=' + db_name, *pg_args],
                           stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            raise Exception("Couldn't restore database")
        if filestore_path:
            shutil.move(filestore_path, filestore_dest)


if __name__ == '__main__':
    if sys.argv[1] == 'backup':
        dump_db(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    elif sys.argv[1] == 'restore':
        restore_db(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit('usage: odoo_method.py backup|restore ...')
