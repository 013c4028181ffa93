export { ADDONS_UPLOAD_TIMEOUT_MS, type AddonsUpload, uploadAddons } from './upload-addons';
