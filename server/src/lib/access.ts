import type { Role } from '@yishi/shared';

/**
 * Every /api/v1 route declares who may call it in `config.access`. A route without one makes the app
 * refuse to start (and so fails the test suite). Scope (which canteen, which area) is then checked
 * in the service.
 */
export type Access =
  | { public: true }
  | {
      /** Console roles allowed; [] = none. */
      roles: readonly Role[];
      /** Paired kiosk devices allowed. */
      device?: boolean;
      /** Allowed while the user still must change the password (login flow only). */
      duringPasswordChange?: boolean;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
