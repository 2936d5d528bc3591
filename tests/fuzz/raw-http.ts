// HTTP/1.1 over a bare socket, because a fuzzer must send what fetch and node:http refuse to: duplicated headers,
// control characters in values, raw bytes in the path, bodies that are not UTF-8.
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** The request target as sent: path and query, not re-encoded. */
  target: string;
  headers: [string, string][];
  body?: Buffer;
  /** Sent with Transfer-Encoding: chunked (in pieces of up to 4 KB) instead of Content-Length. */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function sendRaw(port: number, request: RawRequest, localAddress = '127.0.0.1', timeoutMs = 30_000): Promise<RawResponse> {
  const body = request.body ?? Buffer.alloc(0);
  const head = [
    `${request.method} ${request.target} HTTP/1.1`,
    `host: 127.0.0.1:${port}`,
    'connection: close',
    request.chunked ? 'transfer-encoding: chunked' : `content-length: ${body.length}`,
    ...request.headers.map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may answer (413, 431) and close before it has read everything: what it answered still counts.
    socket.on('error', (error) => {
      if (chunks.length === 0) {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(parseResponse(Buffer.concat(chunks), request.method === 'HEAD'));
      } catch (error) {
        reject(error);
      }
    });
    socket.write(Buffer.from(head, 'latin1'));
    // No half-close: Node's server drops the answer to a request whose client ended its side first.
    if (request.chunked) {
      for (let at = 0; at < body.length; at += 4096) {
        const piece = body.subarray(at, at + 4096);
        socket.write(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]));
      }
      socket.write('0\r\n\r\n');
    } else if (body.length > 0) socket.write(body);
  });
}

function parseResponse(raw: Buffer, head: boolean): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no HTTP answer (${raw.length} bytes: ${raw.subarray(0, 80).toString('latin1')})`);
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1]);
  if (!status) throw new Error(`bad status line: ${lines[0]}`);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const at = line.indexOf(':');
    const name = line.slice(0, at).trim().toLowerCase();
    headers[name] = headers[name] === undefined ? line.slice(at + 1).trim() : `${headers[name]}, ${line.slice(at + 1).trim()}`;
  }
  let body = head ? Buffer.alloc(0) : raw.subarray(end + 4);
  const length = headers['content-length'];
  if (length !== undefined && !head) body = body.subarray(0, Number(length));
  if (headers['transfer-encoding']?.includes('chunked')) body = unchunk(body);
  return { status, headers, body };
}

function unchunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
