// Stands in for @smithy/core/event-streams inside Lambda bundles (see lib/bundling.ts). The SDK loads it only for
// operations that stream events; none of the clients we bundle (DynamoDB, Secrets Manager, Step Functions,
// EventBridge) has one, and esbuild would otherwise inline its 15 KB into every bundle.
const unavailable = (): never => {
  throw new Error('Event streams are not bundled into Codex functions (see lambdas/shared/no-event-streams.ts)');
};

export class EventStreamSerde {
  constructor() {
    unavailable();
  }
}

export const eventStreamSerdeProvider = unavailable;
