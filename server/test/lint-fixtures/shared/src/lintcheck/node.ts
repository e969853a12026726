import fs from 'node:fs'; // error: no-restricted-imports
import path from 'path'; // error: no-restricted-imports
import { buildApp } from '../../../server/src/app'; // error: no-restricted-imports
import { api } from '@yishi/kiosk/src/api'; // error: no-restricted-imports

export const used = [fs, path, buildApp, api];
export const home = process.cwd(); // error: no-restricted-globals
export const bytes = Buffer.from('x'); // error: no-restricted-globals
