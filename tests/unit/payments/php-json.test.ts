// The Cryptomus callback signature is over PHP's json_encode of the decoded body: the encoder must write exactly
// what PHP writes, or every honest callback is refused.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodePhpJson, parsePhpJson, PhpJsonError } from '../../../lambdas/adapters/cryptomus/php-json.js';
import { cryptomusSign, verifyCallbackSignature } from '../../../lambdas/adapters/cryptomus/signature.js';

const reencode = (text: string) => encodePhpJson(parsePhpJson(text));

const hasPhp = (() => {
  try {
    execFileSync('php', ['-r', 'echo 1;'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

describe('the PHP-style JSON encoder', () => {
  it('escapes slashes as PHP does and keeps other Unicode raw', () => {
    expect(reencode('{"url":"https://pay.cryptomus.com/pay/abc","name":"Café ☕ 😀"}')).toBe(
      '{"url":"https:\\/\\/pay.cryptomus.com\\/pay\\/abc","name":"Café ☕ 😀"}',
    );
  });

  it('escapes the line and paragraph separators, control characters in lower-case hex, and leaves DEL raw', () => {
    expect(reencode('{"a":"x\\u2028y\\u2029z","b":"\\u0001\\u001f\\b\\f\\n\\r\\t","c":"\\u007f"}')).toBe(
      '{"a":"x\\u2028y\\u2029z","b":"\\u0001\\u001f\\b\\f\\n\\r\\t","c":"\u007f"}',
    );
  });

  it('decodes escapes the sender used (\\/, \\u00e9, surrogate pairs) and writes them as PHP would', () => {
    expect(reencode('{"a":"a\\/b","b":"\\u00e9","c":"\\ud83d\\ude00","d":"\\"\\\\"}')).toBe('{"a":"a\\/b","b":"é","c":"😀","d":"\\"\\\\"}');
  });

  it('keeps key order, integer-like keys included, and numbers as sent', () => {
    expect(reencode('{"b":1,"1":true,"a":-0.5e3,"z":null,"n":[1,"2",{"k":false}]}')).toBe('{"b":1,"1":true,"a":-0.5e3,"z":null,"n":[1,"2",{"k":false}]}');
  });

  it('writes empty objects and objects keyed 0, 1, ... as lists, because PHP decodes them into arrays', () => {
    expect(reencode('{"e":{},"l":{"0":"a","1":"b"},"m":{"1":"a","0":"b"}}')).toBe('{"e":[],"l":["a","b"],"m":{"1":"a","0":"b"}}');
  });

  it('refuses what PHP could not decode honestly: duplicate keys, lone surrogates, trailing text, raw control characters', () => {
    for (const text of ['{"a":1,"a":2}', '{"a":"\\ud800"}', '{"a":"\\udc00x"}', '{"a":1} x', '{"a":"\u0001"}', "{'a':1}", '{"a":01}']) {
      expect(() => parsePhpJson(text), text).toThrow(PhpJsonError);
    }
  });

  it.skipIf(!hasPhp)('writes what PHP 8 json_encode(..., JSON_UNESCAPED_UNICODE) writes for the same body', () => {
    const body =
      '{"type":"payment","uuid":"a/b","1":"one","e":{},"l":{"0":1,"1":2},"s":"Café \\u2028 \\u0001 \\u007f 😀 \\"q\\" \\\\ ✓","n":[true,false,null,-12]}';
    const php = execFileSync('php', ['-r', 'echo json_encode(json_decode(stream_get_contents(STDIN), true), JSON_UNESCAPED_UNICODE);'], {
      input: body,
    }).toString('utf8');
    expect(reencode(body)).toBe(php);
  });
});

describe('Cryptomus signatures', () => {
  const key = 'test-payment-key';

  it('signs md5(base64(text) + key) in lower-case hex', () => {
    const text = '{"amount":"15.00","currency":"USD"}';
    expect(cryptomusSign(text, key)).toBe(
      createHash('md5')
        .update(Buffer.from(text).toString('base64') + key)
        .digest('hex'),
    );
  });

  it('accepts a callback signed over hand-written PHP JSON with slashes and non-ASCII text', () => {
    // What PHP's json_encode writes for the body below without its sign, written out by hand.
    const php = '{"uuid":"u-1","order_id":"tu_1","status":"paid","additional_data":"Zoë → https:\\/\\/codex.example\\/cabinet"}';
    const sign = createHash('md5')
      .update(Buffer.from(php, 'utf8').toString('base64') + key)
      .digest('hex');
    const sent = `{"uuid":"u-1","order_id":"tu_1","status":"paid","additional_data":"Zoë → https://codex.example/cabinet","sign":"${sign}"}`;
    const checked = verifyCallbackSignature(sent, key);
    expect(checked.ok).toBe(true);
  });

  it('refuses a callback that a plain JSON.stringify signature would produce for a body with slashes', () => {
    const data = { uuid: 'u-1', additional_data: 'https://x.example/' };
    const naive = cryptomusSign(JSON.stringify(data), key);
    expect(verifyCallbackSignature(JSON.stringify({ ...data, sign: naive }), key)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a missing, foreign or tampered sign, and a body that is not a JSON object', () => {
    const data = '{"uuid":"u-1","amount":"15.00"}';
    const sign = cryptomusSign(data, key);
    expect(verifyCallbackSignature(`{"uuid":"u-1","amount":"15.00","sign":"${sign}"}`, key).ok).toBe(true);
    expect(verifyCallbackSignature(`{"uuid":"u-1","amount":"150.00","sign":"${sign}"}`, key)).toMatchObject({ reason: 'bad_signature' });
    expect(verifyCallbackSignature(`{"uuid":"u-1","amount":"15.00","sign":"${cryptomusSign(data, 'other')}"}`, key)).toMatchObject({ reason: 'bad_signature' });
    expect(verifyCallbackSignature('{"uuid":"u-1","amount":"15.00"}', key)).toMatchObject({ reason: 'bad_signature' });
    expect(verifyCallbackSignature('[1]', key)).toMatchObject({ reason: 'malformed' });
    expect(verifyCallbackSignature('not json', key)).toMatchObject({ reason: 'malformed' });
  });
});
