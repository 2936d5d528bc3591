// Scheduled jobs: the batch status poller (every minute on AWS) and the open-order sweeper (every 5 minutes).
import { pollAllProviders } from '../application/poll-providers.js';
import { sweepOpenOrders } from '../application/sweep-orders.js';
import { pollServices, sweepServices } from '../wiring.js';
import { logger } from '../../shared/logger.js';

export const pollProviders = async () => {
  const reports = await pollAllProviders(pollServices());
  for (const report of reports) {
    if (report.polled > 0 || report.failedCalls > 0) logger.info('provider polled', { ...report, unknownToProvider: report.unknownToProvider.length });
    if (report.unknownToProvider.length > 0) logger.warn('provider does not know some orders', { providerId: report.providerId, externalOrderIds: report.unknownToProvider.slice(0, 20) });
  }
  return reports;
};

export const sweepOrders = async () => {
  const result = await sweepOpenOrders(sweepServices());
  if (result.started.length > 0) logger.warn('sweeper restarted order workflows', { orderIds: result.started.slice(0, 50), count: result.started.length });
  if (result.failed.length > 0) logger.error('sweeper could not restart order workflows', { failures: result.failed.slice(0, 50), count: result.failed.length });
  return { examined: result.examined, started: result.started.length, failed: result.failed.length };
};
