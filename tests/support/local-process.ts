// The stack in its own process, as a user starts it, plus a form-posting v2 client.
export { type DemoFile, type StackProcess as RunningStack, dynamoProcessesOn, startStackProcess } from '../../local/stack-process.js';

/** Calls the reseller API the way panels do: a form POST. */
export async function v2(url: string, fields: Record<string, string | number>): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', body: new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])) });
  return { status: response.status, body: await response.json() };
}
