// A provider whose answers a test scripts, in place of the HTTP client.
import type { PlaceRequest, ProviderClient, ProviderOrderStatus } from '../../lambdas/catalog/ports.js';
import { ProviderRejected } from '../../lambdas/catalog/domain/provider-errors.js';
import type { RefillStatus } from '../../lambdas/orders/domain/refills.js';

export class ScriptedProvider implements ProviderClient {
  placed: PlaceRequest[] = [];
  placeScript: (Error | string)[] = [];
  statuses = new Map<string, ProviderOrderStatus | Error>();
  multiStatusCalls: string[][] = [];
  private next = 1;

  async place(request: PlaceRequest) {
    this.placed.push(request);
    const step = this.placeScript.shift();
    if (step instanceof Error) throw step;
    return { externalOrderId: step ?? `ext-${this.next++}` };
  }
  async status(id: string) {
    const s = this.statuses.get(id);
    if (!s || s instanceof Error) throw s ?? new ProviderRejected('Incorrect order ID');
    return s;
  }
  async multiStatus(ids: string[]) {
    this.multiStatusCalls.push(ids);
    return new Map(ids.map((id) => [id, this.statuses.get(id) ?? new ProviderRejected('Incorrect order ID')]));
  }
  cancelAnswers = new Map<string, true | Error>();
  cancelCalls: string[][] = [];
  async cancel(ids: string[]) {
    this.cancelCalls.push(ids);
    return new Map(ids.map((id) => [id, this.cancelAnswers.get(id) ?? new ProviderRejected('Incorrect order ID')]));
  }
  refillCalls: string[] = [];
  refillScript: Error[] = [];
  refillStatuses = new Map<string, RefillStatus>();
  async refill(id: string) {
    this.refillCalls.push(id);
    const failure = this.refillScript.shift();
    if (failure) throw failure;
    return { refillId: `r-${id}` };
  }
  async refillStatus(ids: string[]) {
    return new Map(ids.map((id): [string, RefillStatus | Error] => [id, this.refillStatuses.get(id) ?? new ProviderRejected('Refill not found')]));
  }
  async services() {
    return [];
  }
  async balance() {
    return { balance: '0', currency: 'USD' };
  }
}
