import { buildApp } from '../../../server/src/app'; // error: no-restricted-imports
import { api } from '../../../kiosk/src/api'; // error: no-restricted-imports
import { formatYuan } from '@yishi/shared/money';

export const used = [buildApp, api, formatYuan];
