// Scheduled every minute on AWS: asks each provider for the status of its open orders, 100 at a time.
import { pollAllProviders } from '../application/poll-providers.js';
import { logger } from '../../shared/logger.js';
import { pollServices } from '../wiring.js';
import { observe } from '../../shared/observability/observe.js';

const pollProviders = async () => {
  const reports = await pollAllProviders(pollServices());
  for (const report of reports) {
    if (report.polled > 0 || report.failedCalls > 0) logger.info('provider polled', { ...report, unknownToProvider: report.unknownToProvider.length });
    if (report.unhealthy)
      logger.warn('provider judged unhealthy', { providerId: report.providerId, failedCalls: report.failedCalls, statusCalls: report.statusCalls });
    if (report.unknownToProvider.length > 0)
      logger.warn('provider does not know some orders', { providerId: report.providerId, externalOrderIds: report.unknownToProvider.slice(0, 20) });
  }
  return reports;
};

export const handler = observe(pollProviders);
