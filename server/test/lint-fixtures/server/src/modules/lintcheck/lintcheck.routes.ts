import { eq } from 'drizzle-orm'; // error: no-restricted-imports
import { orders } from '../../db/schema'; // error: no-restricted-imports
import * as repo from './lintcheck.repo'; // error: no-restricted-imports
import * as wallet from '../wallet/wallet.service'; // error: no-restricted-imports
import * as own from './lintcheck.service';

export const used = [eq, orders, repo, wallet, own];
