/**
 * buildApp(ctx) → a Fastify instance with every plugin and route over an open, migrated database, not listening.
 * It neither migrates nor seeds: main.ts (and the test and browser-test harnesses) open the database, migrate
 * it, seed it if they want a demo city, then build the app. Closing the app closes the database it was given.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import fs from 'node:fs';
import path from 'node:path';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { AppError, type ErrorCode } from '@yishi/shared/schemas';
import type { Ctx } from './lib/context';
import type { Access } from './lib/access';
import { authPlugin } from './modules/auth/auth.plugin';
import { registerRoutes } from './routes';
import { registerOverload, registerRateLimit } from './plugins/limits';
import { serveBuild } from './plugins/static';
import { clientErrorHandler } from './plugins/clientErrors';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: Ctx;
    /** Every route the app registered (filled by an onRoute hook): what the role matrix test walks. */
    routeTable: RouteEntry[];
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access | undefined;
  websocket: boolean;
  /** Which parts of the request the route's schema validates. */
  takes: { body: boolean; querystring: boolean; params: boolean };
}

/** Query-string keys whose values may hold personal data (a search by phone or ID number). */
const SENSITIVE_QUERY_KEYS = new Set(['q', 'phone', 'idnumber', 'cardnumber', 'pin', 'token', 'credential', 'code']);

/** The URL as it may appear in a log line: personal data in the query string is replaced. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const parts = url
    .slice(at + 1)
    .split('&')
    .map((kv) => {
      const eq = kv.indexOf('=');
      if (eq < 0) return kv;
      const key = kv.slice(0, eq);
      let value = kv.slice(eq + 1);
      let decoded = value;
      try {
        decoded = decodeURIComponent(value.replace(/\+/g, ' '));
      } catch {
        /* keep the raw value */
      }
      // Long digit runs are phone, ID or card numbers whatever the key is called.
      if (SENSITIVE_QUERY_KEYS.has(key.toLowerCase()) || /\d{6,}/.test(decoded)) value = '[redacted]';
      return `${key}=${value}`;
    });
  return `${url.slice(0, at)}?${parts.join('&')}`;
}

function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}

/** Paths whose values never reach a log line. */
export const LOG_REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.idNumber',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.pin',
  '*.phone',
  '*.cardNumber',
  '*.credential',
];

export interface BuiltApp {
  app: FastifyInstance;
  ctx: Ctx;
}

export async function buildApp(ctx: Ctx, opts: { logStream?: NodeJS.WritableStream; pretty?: boolean } = {}): Promise<BuiltApp> {
  const config = ctx.config;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: LOG_REDACT, censor: '[redacted]' },
      serializers: {
        // Fastify's default request serializer logs the raw URL; a resident search puts a phone or ID number there.
        req: (req: { method: string; url: string; hostname?: string; ip?: string; socket?: { remotePort?: number } }) => ({
          method: req.method,
          url: redactUrl(req.url),
          host: req.hostname,
          remoteAddress: req.ip,
        }),
      },
      ...(opts.logStream ? { stream: opts.logStream } : {}),
      ...(opts.pretty && !opts.logStream ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
    },
    bodyLimit: config.bodyLimit,
    // Node's own parser errors (431, malformed requests, broken chunked bodies) in the error shape too.
    clientErrorHandler,
    // (cast: a union here makes TypeScript pick the HTTP/2 overload of Fastify())
    trustProxy: (config.trustProxy ?? false) as boolean,
    // Query strings: one value per key; unknown keys are refused by strict schemas.
    routerOptions: { maxParamLength: 200 },
    genReqId: () => Math.random().toString(36).slice(2, 10),
    // Errors the router raises before any route runs (a malformed %-escape, an over-long path parameter)
    // answer in the same error shape as everything else.
    frameworkErrors: (err: FastifyError, _req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      const r = reply as unknown as { code(n: number): { type(t: string): { send(b: unknown): void } } };
      r.code(status)
        .type('application/json; charset=utf-8')
        .send(errorBody('bad_request', err.message.replace(/'[^']*'/, 'the URL')));
    },
  });

  app.decorate('ctx', ctx);

  // Answers of the API hold personal data (residents, orders with names, wallets, the audit, exports) or are
  // live state: no browser or proxy keeps them. A route may say otherwise by setting its own Cache-Control.
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/v1') && !reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Every /api route must declare its access rule.
  const undeclared: string[] = [];
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const accessOf = route.config?.access;
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    const takes = { body: Boolean(schema.body), querystring: Boolean(schema.querystring), params: Boolean(schema.params) };
    for (const m of [route.method].flat())
      routeTable.push({ method: String(m), url: route.url, access: accessOf, websocket: Boolean((route as { websocket?: boolean }).websocket), takes });
    if (!route.url.startsWith('/api/v1')) return;
    const access = route.config?.access;
    if (!access) undeclared.push(`${String(route.method)} ${route.url}`);
  });
  app.addHook('onReady', async () => {
    if (undeclared.length > 0) throw new Error(`routes without an access rule: ${undeclared.join(', ')}`);
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        in: err.validationContext ?? 'body',
        path: (v.instancePath || '/').replace(/^\//, '').replace(/\//g, '.'),
        message: v.message ?? 'invalid',
      }));
      const first = issues[0];
      return reply.code(400).send({
        error: {
          code: 'bad_request',
          message: first ? `${first.in}${first.path ? `.${first.path}` : ''}: ${first.message}` : 'invalid request',
          details: { issues },
        },
      });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err: err.cause, url: req.url }, 'response did not match its schema');
      return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
    }
    const status = err.statusCode ?? 500;
    if (status === 415) {
      // Say what came and what this route takes (its schema's `consumes`; JSON otherwise).
      const came = req.headers['content-type'];
      const takes = (req.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes ?? ['application/json'];
      return reply.code(415).send({
        error: {
          code: 'bad_request',
          message: `${came ? `Content-Type ${came.slice(0, 100)}` : 'a body with no Content-Type'} is not taken here: send ${takes.join(', ')}`,
          details: { field: 'content-type' },
        },
      });
    }
    if (status >= 500) {
      req.log.error({ err }, 'unhandled error');
      return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
    }
    const code: ErrorCode =
      status === 413
        ? 'payload_too_large'
        : status === 429
          ? 'rate_limited'
          : status === 401
            ? 'unauthenticated'
            : status === 404
              ? 'not_found'
              : 'bad_request';
    return reply.code(status).send({ error: { code, message: err.message } });
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) {
      return reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
    }
    // Single-page apps: unknown page paths under /kiosk get the kiosk, the rest the console. A missing file
    // (a path with an extension, e.g. an old asset after a rebuild) is a 404, never index.html.
    const pathname = req.url.split('?')[0] ?? '';
    const isPage = req.method === 'GET' && !/\.[a-z0-9]{1,8}$/i.test(pathname);
    if (!isPage) return reply.code(404).send({ error: { code: 'not_found', message: 'not found' } });
    if (config.kioskDist && req.url.startsWith('/kiosk') && fs.existsSync(`${config.kioskDist}/index.html`)) {
      return reply.type('text/html').sendFile('index.html', config.kioskDist);
    }
    if (config.webDist && fs.existsSync(`${config.webDist}/index.html`)) {
      return reply.type('text/html').sendFile('index.html', config.webDist);
    }
    return reply.code(404).send({ error: { code: 'not_found', message: 'not found' } });
  });

  // Security headers: helmet's middleware is built once here, with the headers it sets worked out up front, and run on
  // every request. (@fastify/helmet built that middleware anew on every request: about 3 % of an order's CPU.)
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd injects style tags at run time; no inline scripts are allowed.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        mediaSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: false,
  });
  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  if (config.overload) await registerOverload(app, ctx, config.overload);
  await registerRateLimit(app, config.rateLimitPerMinute);
  await app.register(cookie);
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    // A client breaking the protocol (a frame over the limit, invalid UTF-8: ws codes WS_ERR_*) is cut off and is a
    // warning; anything else on a socket is the server's error.
    errorHandler: (err, socket, req) => {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('WS_ERR_')) req.log.warn({ code, url: redactUrl(req.url) }, `websocket closed: ${err.message}`);
      else req.log.error({ err }, 'websocket error');
      socket.terminate();
    },
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Yishi 颐食 API', version: '1.0.0', description: 'Elder canteen ordering, settlement and subsidy platform' },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await app.register(authPlugin);
  await app.register(registerRoutes, { prefix: '/api/v1' });

  // Uploaded dish photos (content-addressed names, so they can be cached for good).
  const mediaDir = config.mediaDir ?? path.join(path.dirname(config.dbPath), 'media');
  fs.mkdirSync(mediaDir, { recursive: true });
  await app.register(fastifyStatic, {
    root: mediaDir,
    prefix: '/media/',
    decorateReply: false,
    index: false,
    setHeaders: (res) => {
      res.header('Cache-Control', 'public, max-age=31536000, immutable');
      res.header('X-Content-Type-Options', 'nosniff');
    },
  });

  // The console at / and the kiosk at /kiosk/, compressed at build time, hashed assets cached for good.
  if (config.kioskDist && fs.existsSync(config.kioskDist)) await serveBuild(app, config.kioskDist, '/kiosk/', false);
  if (config.webDist && fs.existsSync(config.webDist)) await serveBuild(app, config.webDist, '/', true);

  app.addHook('onClose', async () => {
    await ctx.db.close();
  });
  return { app, ctx };
}
