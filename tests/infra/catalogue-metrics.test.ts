// Alarms and the dashboard read the catalogue's metrics over exactly the dimensions the functions record them with
// (service, stage and the metric's own): a metric read with any other set is a metric CloudWatch never received.
import { describe, expect, it } from 'vitest';
import { METRICS, type MetricName } from '../../lambdas/shared/observability/metric-catalogue.js';
import { catalogueMetric, catalogueQueryText } from '../../lib/operations/catalogue-metrics.js';

const names = Object.keys(METRICS) as MetricName[];

describe('catalogue metrics', () => {
  it('read a metric without dimensions of its own under service and stage alone, and refuse one that has some', () => {
    for (const name of names) {
      if (METRICS[name].dimensions.length === 0) {
        expect(catalogueMetric(name, 'prod', { statistic: 'Sum' }).dimensions, name).toEqual({ service: 'codex', stage: 'prod' });
      } else {
        expect(() => catalogueMetric(name, 'prod', { statistic: 'Sum' }), name).toThrow(/catalogueQuery/);
      }
    }
  });

  it('query every metric over its exact dimension set, grouped only by one of its own dimensions', () => {
    for (const name of names) {
      const schema = /FROM SCHEMA\(Codex, ([^)]*)\)/.exec(catalogueQueryText(name, 'SUM', 'prod'))![1]!.split(', ');
      expect(schema.sort(), name).toEqual([...METRICS[name].dimensions, 'service', 'stage'].sort());
    }
    expect(catalogueQueryText('OrdersFinalized', 'SUM', 'prod', 'status')).toBe(
      "SELECT SUM(OrdersFinalized) FROM SCHEMA(Codex, status, service, stage) WHERE service = 'codex' AND stage = 'prod' GROUP BY status ORDER BY SUM() DESC",
    );
    expect(() => catalogueQueryText('OrdersFinalized', 'SUM', 'prod', 'provider')).toThrow(/no dimension provider/);
    expect(() => catalogueQueryText('OrdersAccepted', 'SUM', "prod' OR stage = 'dev")).toThrow(/cannot be quoted/);
  });
});
