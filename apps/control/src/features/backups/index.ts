export { createBackup } from './create';
export { openBackupDownload, type BackupDownload } from './download';
export { backupFileName } from './file-name';
export { listBackups, requireInstanceBackup } from './list';
export { removeBackup } from './remove';
export { restoreInstance, type RestoreUpload } from './restore';
