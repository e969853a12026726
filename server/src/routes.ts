import type { FastifyInstance } from 'fastify';
import { authRoutes } from './modules/auth/auth.routes';
import { sitesRoutes } from './modules/sites/sites.routes';
import { overviewRoutes } from './modules/overview/overview.routes';
import { menusRoutes } from './modules/menus/menus.routes';
import { ordersRoutes } from './modules/orders/orders.routes';
import { residentsRoutes } from './modules/residents/residents.routes';
import { rostersRoutes } from './modules/rosters/rosters.routes';
import { kioskRoutes } from './modules/kiosk/kiosk.routes';
import { liveRoutes } from './modules/live/live.routes';
import { healthRoutes } from './modules/health/health.routes';
import { auditRoutes } from './modules/audit/audit.routes';
import { policyRoutes } from './modules/policy/policy.routes';
import { whatifRoutes } from './modules/whatif/whatif.routes';
import { claimsRoutes } from './modules/claims/claims.routes';
import { anomaliesRoutes } from './modules/anomalies/anomalies.routes';
import { closesRoutes } from './modules/closes/closes.routes';
import { roundsRoutes } from './modules/rounds/rounds.routes';
import { foodsafetyRoutes } from './modules/foodsafety/foodsafety.routes';
import { reportsRoutes } from './modules/reports/reports.routes';
import { reviewsRoutes } from './modules/reviews/reviews.routes';

/** Every API area, mounted under /api/v1. */
export async function registerRoutes(app: FastifyInstance) {
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(sitesRoutes);
  await app.register(overviewRoutes);
  await app.register(menusRoutes);
  await app.register(ordersRoutes);
  await app.register(residentsRoutes);
  await app.register(rostersRoutes);
  await app.register(kioskRoutes);
  await app.register(policyRoutes);
  await app.register(whatifRoutes);
  await app.register(closesRoutes);
  await app.register(roundsRoutes);
  await app.register(foodsafetyRoutes);
  await app.register(liveRoutes);
  await app.register(auditRoutes);
  await app.register(claimsRoutes);
  await app.register(anomaliesRoutes);
  await app.register(reportsRoutes);
  await app.register(reviewsRoutes);
}
