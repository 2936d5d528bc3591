// Scheduled every minute on AWS: settles the balance leases whose containers went quiet.
import { logger } from '../../shared/logger.js';
import { observe } from '../../shared/observability/observe.js';
import { settleIdleLeases } from '../application/settle-idle-leases.js';
import { idleLeaseServices } from '../wiring.js';

const settleIdle = async () => {
  const result = await settleIdleLeases(idleLeaseServices());
  if (result.settled > 0) logger.info('idle balance leases settled', result);
  return result;
};

export const handler = observe(settleIdle);
