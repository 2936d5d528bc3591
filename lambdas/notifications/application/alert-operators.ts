// The alertOperators consumer's use case: one alert per event id, however often the event arrives.
import type { CatalogueEvent } from '../../events/catalogue.js';
import type { EventClaims } from '../../events/ports.js';
import type { OperatorAlerts } from '../../shared/ports.js';
import { operatorAlertOf } from '../domain/operator-alerts.js';

export const ALERT_CONSUMER = 'alertOperators';
/** Longer than one send can take (the function's timeout is 30 s). */
export const ALERT_LEASE_MS = 60_000;

export interface AlertOperatorsDeps {
  claims: Pick<EventClaims, 'claim' | 'done' | 'release'>;
  alerts: OperatorAlerts;
  stage: string;
  onError?: (message: string, error: unknown) => void;
}

/** 'busy': another delivery of the same event is sending it now; try again after the lease. */
export async function alertOperators(deps: AlertOperatorsDeps, event: CatalogueEvent): Promise<'sent' | 'duplicate' | 'skipped' | 'busy'> {
  const alert = operatorAlertOf(event, deps.stage);
  if (!alert) return 'skipped';
  const claim = await deps.claims.claim(ALERT_CONSUMER, event.id, ALERT_LEASE_MS);
  if (claim === 'done') return 'duplicate';
  if (claim === 'busy') return 'busy';
  try {
    await deps.alerts.send(alert);
  } catch (error) {
    await deps.claims.release(ALERT_CONSUMER, event.id);
    throw error;
  }
  // Sent: a failure to mark it must not fail the message, whose redelivery after the lease would alert again.
  await deps.claims.done(ALERT_CONSUMER, event.id).catch((error: unknown) => deps.onError?.('could not mark an operator alert sent', error));
  return 'sent';
}
