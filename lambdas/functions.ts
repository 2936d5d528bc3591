// Every Lambda function, HTTP route, schedule and workflow step, defined once. CDK builds the AWS resources from
// these lists and the local stack wires the same handler modules to its gateway, scheduler and workflow runner.
export interface FunctionSpec {
  /** Source file of the handler, relative to the repository root. */
  entry: string;
  /** The exported handler in that file. */
  handler: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
}

export const FUNCTIONS = {
  resellerApi: { entry: 'lambdas/reseller/v2-handler.ts', handler: 'handler', description: 'Reseller API (SMM panel API v2)', timeoutSeconds: 15, memoryMb: 1024 },
  apiAuthorizer: { entry: 'lambdas/reseller/authorizer-handler.ts', handler: 'handler', description: 'Reseller API authorizer: picks the usage plan of header-key requests', timeoutSeconds: 5, memoryMb: 512 },
  health: { entry: 'lambdas/health/health-handler.ts', handler: 'handler', description: 'Health check', timeoutSeconds: 3, memoryMb: 128 },
  startOrderWorkflow: { entry: 'lambdas/orders/handlers/start-workflow-handler.ts', handler: 'handler', description: 'Starts the workflow of each committed order', timeoutSeconds: 30, memoryMb: 256 },
  submitOrder: { entry: 'lambdas/orders/handlers/submit-order-handler.ts', handler: 'handler', description: 'Workflow step: submit to the provider', timeoutSeconds: 40, memoryMb: 512 },
  giveUpSubmission: { entry: 'lambdas/orders/handlers/give-up-submission-handler.ts', handler: 'handler', description: 'Workflow step: decide after failed submissions', timeoutSeconds: 15, memoryMb: 256 },
  awaitCompletion: { entry: 'lambdas/orders/handlers/await-completion-handler.ts', handler: 'handler', description: 'Workflow step: park the callback token', timeoutSeconds: 15, memoryMb: 256 },
  finalizeOrder: { entry: 'lambdas/orders/handlers/finalize-order-handler.ts', handler: 'handler', description: 'Workflow step: settle and refund', timeoutSeconds: 30, memoryMb: 512 },
  pollProviders: { entry: 'lambdas/orders/handlers/poll-providers-handler.ts', handler: 'handler', description: 'Batch status poller', timeoutSeconds: 55, memoryMb: 512 },
  sweepOrders: { entry: 'lambdas/orders/handlers/sweep-orders-handler.ts', handler: 'handler', description: 'Restarts order workflows that stalled', timeoutSeconds: 120, memoryMb: 256 },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS;

export interface RouteSpec {
  path: string;
  methods: ('GET' | 'POST')[];
  function: FunctionName;
}

/** `/api/v2/` is served as well as `/api/v2`, never redirected (a redirected POST loses its key). */
export const ROUTES: RouteSpec[] = [
  { path: '/api/v2', methods: ['GET', 'POST'], function: 'resellerApi' },
  { path: '/api/v2/', methods: ['GET', 'POST'], function: 'resellerApi' },
  { path: '/health', methods: ['GET'], function: 'health' },
];

export const SCHEDULES: { function: FunctionName; everyMinutes: number; localEveryMs: number }[] = [
  { function: 'pollProviders', everyMinutes: 1, localEveryMs: 3_000 },
  { function: 'sweepOrders', everyMinutes: 5, localEveryMs: 30_000 },
];

/** `${Name}` placeholders in state-machines/order-workflow.asl.json and the function each one stands for. */
export const WORKFLOW_SUBSTITUTIONS: Record<string, FunctionName> = {
  SubmitOrderFunctionArn: 'submitOrder',
  GiveUpSubmissionFunctionArn: 'giveUpSubmission',
  AwaitCompletionFunctionArn: 'awaitCompletion',
  FinalizeOrderFunctionArn: 'finalizeOrder',
};

export const WORKFLOW_DEFINITION_FILE = 'state-machines/order-workflow.asl.json';
