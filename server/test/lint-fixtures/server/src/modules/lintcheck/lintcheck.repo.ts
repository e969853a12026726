import * as wallet from '../wallet/wallet.service'; // error: no-restricted-imports
import * as own from './lintcheck.service'; // error: no-restricted-imports
import { eq } from 'drizzle-orm';
import { orders } from '../../db/schema';

export const used = [wallet, own, eq, orders];
