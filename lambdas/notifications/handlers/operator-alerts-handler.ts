// Consumer of the bus (SUBSCRIPTIONS): tells the operators of an unhealthy provider or an order that needs a person.
import { RetryLater, eventConsumer } from '../../events/consumer.js';
import { ALERT_LEASE_MS, alertOperators } from '../application/alert-operators.js';
import { alertDeps } from '../alerts-wiring.js';
import { observe } from '../../shared/observability/observe.js';

const alertOnEvents = eventConsumer('alertOperators', async (event) => {
  if ((await alertOperators(alertDeps(), event)) === 'busy') throw new RetryLater(ALERT_LEASE_MS / 1000, 'another delivery of this event is being sent');
});

export const handler = observe(alertOnEvents);
