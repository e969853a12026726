import { type Browser, type Page } from 'playwright-core';
import { TestClock } from '../server/src/lib/clock';
import type { Ctx } from '../server/src/lib/context';
import type { FastifyInstance } from 'fastify';
export declare const SHOTS: string;
export interface E2E {
    base: string;
    app: FastifyInstance;
    ctx: Ctx;
    clock: TestClock;
    browser: Browser;
    close(): Promise<void>;
}
export declare function startE2E(): Promise<E2E>;
export declare function shot(page: Page, name: string): Promise<void>;
