import { api } from '../../../web/src/api/client'; // error: no-restricted-imports
import { seedIfEmpty } from '@yishi/server/src/seed'; // error: no-restricted-imports
import { formatYuan } from '@yishi/shared/money';

export const used = [api, seedIfEmpty, formatYuan];
