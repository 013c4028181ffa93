/**
 * Odoo's download name for a backup, `<db>_<UTC %Y-%m-%d_%H-%M-%S>.zip` (odoo/service/db.py):
 * what an admin used to Odoo's database manager expects to find in the downloads folder.
 */
export function backupFileName(database: string, createdAt: Date): string {
  const stamp = createdAt.toISOString().slice(0, 19).replace('T', '_').replaceAll(':', '-');
  // The database name comes from the agent: keep it to what is safe inside a quoted header.
  const safe = database.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${safe}_${stamp}.zip`;
}
