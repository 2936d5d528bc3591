// Scheduled every 5 minutes on AWS: restarts the workflows of open orders that stalled.
import { sweepOpenOrders } from '../application/sweep-orders.js';
import { logger } from '../../shared/logger.js';
import { requireOnLambda } from '../../shared/platform/config.js';
import { sweepServices } from '../wiring.js';
import { observe } from '../../shared/observability/observe.js';

requireOnLambda('STATE_MACHINE_ARN');

const sweepOrders = async () => {
  const result = await sweepOpenOrders(sweepServices());
  if (result.started.length > 0) logger.warn('sweeper restarted order workflows', { orderIds: result.started.slice(0, 50), count: result.started.length });
  if (result.failed.length > 0)
    logger.error('sweeper could not restart order workflows', { failures: result.failed.slice(0, 50), count: result.failed.length });
  if (result.overdue.length > 0) logger.warn('orders open past their expected time', { orderIds: result.overdue.slice(0, 50), count: result.overdue.length });
  return { examined: result.examined, started: result.started.length, failed: result.failed.length, overdue: result.overdue.length };
};

export const handler = observe(sweepOrders);
