// A JSON client of the REST API v1 for the end-to-end tests: a method, a path under /api/v1, and optionally a body,
// an access token and headers; the answer's status, headers and body (parsed when it is JSON).
export interface V1Answer {
  status: number;
  headers: Headers;
  body: any;
}

export interface V1CallOptions {
  body?: unknown;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
  /** Sent as is instead of `body` (for malformed input). */
  rawBody?: string;
}

/** `v1Url` is read on every call, so a client can be made before the stack it talks to has started. */
export function v1Client(v1Url: () => string) {
  return async (method: string, path: string, options: V1CallOptions = {}): Promise<V1Answer> => {
    const response = await fetch(`${v1Url()}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.rawBody !== undefined ? { body: options.rawBody } : {}),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json');
    return { status: response.status, headers: response.headers, body: text ? (json ? JSON.parse(text) : text) : undefined };
  };
}
