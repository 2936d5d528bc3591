// The AWS bill of 1,000 orders, from operations counted on the local stack and the list prices of us-east-1
// (../shared/REFERENCE.md §2, read 2026-12; CloudWatch Logs and X-Ray from aws.amazon.com/cloudwatch/pricing and
// aws.amazon.com/xray/pricing, read 2026-12). Only what grows with orders is here; what a stage costs idle (the
// poller's and sweeper's schedules, the SQS event sources' long polls, secrets, alarms) is the fixed line below it.

export const PRICES = {
  /** API Gateway REST, per request. */
  apiRequest: 3.5 / 1e6,
  /** Lambda, per request and per GB-second on arm64. */
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  /** Step Functions Standard, per state transition. */
  transition: 0.025 / 1000,
  /** DynamoDB on demand, per write and read request unit. */
  writeUnit: 0.625 / 1e6,
  readUnit: 0.125 / 1e6,
  /** SQS standard, per request (64 KB chunks; every message here is one chunk). */
  sqsRequest: 0.4 / 1e6,
  /** EventBridge custom events, per event put on the bus (rules delivering to SQS cost nothing more). */
  event: 1.0 / 1e6,
  /** SES, per email. */
  email: 0.1 / 1000,
  /** Data out to the internet, per GB (webhook bodies). */
  dataOutGb: 0.09,
  /** CloudWatch Logs, Standard class, per GB ingested: function logs (with their EMF metrics) and API access logs. */
  logsIngestedGb: 0.5,
  /** X-Ray, per trace recorded beyond the 100,000 free each month (aws.amazon.com/xray/pricing). */
  trace: 5.0 / 1e6,
} as const;

/**
 * Bytes Lambda itself logs per invocation (START, END, REPORT with its X-Ray line), as it writes them in the Text
 * log format CodexFunction keeps.
 */
export const LAMBDA_PLATFORM_LOG_BYTES = [
  'START RequestId: 8f5a2f3e-8c2b-4a4b-9d7e-2f6f3c1e9a10 Version: $LATEST\n',
  'END RequestId: 8f5a2f3e-8c2b-4a4b-9d7e-2f6f3c1e9a10\n',
  'REPORT RequestId: 8f5a2f3e-8c2b-4a4b-9d7e-2f6f3c1e9a10\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 1024 MB\tMax Memory Used: 95 MB\t\n' +
    'XRAY TraceId: 1-5759e988-bd862e3fe1be46a994272793\tSegmentId: 53995c3f42cd8ad8\tSampled: true\t\n',
].join('').length;

/** One API Gateway access log line (JSON with latency, integration latency and authorizer fields), for its size. */
export const API_ACCESS_LOG_BYTES = `${JSON.stringify({
  requestId: '8f5a2f3e-8c2b-4a4b-9d7e-2f6f3c1e9a10',
  ip: '203.0.113.17',
  requestTime: '01/Dec/2026:16:05:46 +0000',
  httpMethod: 'POST',
  resourcePath: '/api/v2',
  status: '200',
  protocol: 'HTTP/1.1',
  responseLength: '15',
  latency: '48',
  integrationLatency: '41',
  authorizerLatency: '-',
  authorizerStatus: '-',
  authorizerError: '-',
  principalId: '-',
  errorMessage: '-',
  userAgent: 'Mozilla/4.0 (compatible; MSIE 5.01; Windows NT 5.0)',
})}\n`.length;

export interface OrderOperations {
  apiRequests: number;
  /** Per function: invocations and billed GB-seconds, each per order. */
  lambda: { name: string; invocations: number; gbSeconds: number }[];
  transitions: number;
  writeUnits: number;
  readUnits: number;
  sqsRequests: number;
  events: number;
  webhookBytes: number;
  emails: number;
  /** Bytes ingested by CloudWatch Logs. */
  logBytes: number;
  /** X-Ray traces recorded (after sampling). */
  traces: number;
}

export interface CostLine {
  what: string;
  perOrder: string;
  dollarsPer1000: number;
}

/** Dollars per 1,000 orders, one line per service; SES apart, as the issue asks. */
export function costPer1000Orders(ops: OrderOperations): { lines: CostLine[]; total: number; email: CostLine } {
  const lambdaRequests = ops.lambda.reduce((sum, f) => sum + f.invocations, 0);
  const gbSeconds = ops.lambda.reduce((sum, f) => sum + f.gbSeconds, 0);
  const lines: CostLine[] = [
    { what: 'API Gateway requests', perOrder: ops.apiRequests.toFixed(2), dollarsPer1000: 1000 * ops.apiRequests * PRICES.apiRequest },
    {
      what: 'Lambda requests',
      perOrder: lambdaRequests.toFixed(2),
      dollarsPer1000: 1000 * lambdaRequests * PRICES.lambdaRequest,
    },
    { what: 'Lambda GB-seconds', perOrder: gbSeconds.toFixed(4), dollarsPer1000: 1000 * gbSeconds * PRICES.lambdaGbSecond },
    { what: 'Step Functions transitions', perOrder: ops.transitions.toFixed(2), dollarsPer1000: 1000 * ops.transitions * PRICES.transition },
    { what: 'DynamoDB write units', perOrder: ops.writeUnits.toFixed(2), dollarsPer1000: 1000 * ops.writeUnits * PRICES.writeUnit },
    { what: 'DynamoDB read units', perOrder: ops.readUnits.toFixed(2), dollarsPer1000: 1000 * ops.readUnits * PRICES.readUnit },
    { what: 'EventBridge events', perOrder: ops.events.toFixed(2), dollarsPer1000: 1000 * ops.events * PRICES.event },
    { what: 'SQS requests', perOrder: ops.sqsRequests.toFixed(2), dollarsPer1000: 1000 * ops.sqsRequests * PRICES.sqsRequest },
    {
      what: 'Data out (webhook bodies)',
      perOrder: `${Math.round(ops.webhookBytes)} B`,
      dollarsPer1000: (1000 * ops.webhookBytes * PRICES.dataOutGb) / 1024 ** 3,
    },
    { what: 'CloudWatch Logs ingested', perOrder: `${Math.round(ops.logBytes)} B`, dollarsPer1000: (1000 * ops.logBytes * PRICES.logsIngestedGb) / 1024 ** 3 },
    { what: 'X-Ray traces recorded', perOrder: ops.traces.toFixed(3), dollarsPer1000: 1000 * ops.traces * PRICES.trace },
  ];
  const total = lines.reduce((sum, line) => sum + line.dollarsPer1000, 0);
  const email = { what: 'SES email', perOrder: ops.emails.toFixed(2), dollarsPer1000: 1000 * ops.emails * PRICES.email };
  return { lines, total, email };
}
