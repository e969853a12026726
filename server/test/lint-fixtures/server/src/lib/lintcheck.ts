import * as orders from '../modules/orders/orders.service'; // error: no-restricted-imports

export const used = orders;
