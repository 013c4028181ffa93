export { connectAs } from './connect-as';
export { listOdooUsers } from './list-odoo-users';
