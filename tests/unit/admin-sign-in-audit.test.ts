// The admin user pool's post-authentication trigger: each sign-in becomes one `login.succeeded` audit entry under
// the day's audit partition, and a sign-in whose entry cannot be written fails (Cognito refuses it).
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { signInEntry } from '../../lambdas/admin/application/record-sign-in.js';
import { handler } from '../../lambdas/admin/handlers/sign-in-audit-handler.js';

const db = mockClient(DynamoDBDocumentClient);
beforeEach(() => db.reset());

const event = (attributes: Record<string, string>, extra: Record<string, unknown> = {}): PostAuthenticationTriggerEvent =>
  ({
    version: '1',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_AbCdEf123',
    userName: 'a1b2c3d4-0000-4000-8000-000000000001',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client123' },
    triggerSource: 'PostAuthentication_Authentication',
    request: { userAttributes: attributes, newDeviceUsed: false, ...extra },
    response: {},
  }) as PostAuthenticationTriggerEvent;

describe('an admin sign-in', () => {
  it('is recorded as login.succeeded by the admin, subject type admin, and the event is handed back to Cognito', async () => {
    db.on(PutCommand).resolves({});
    const signIn = event({ sub: 'a1b2c3d4-0000-4000-8000-000000000001', email: 'ana@example.com', 'cognito:user_status': 'CONFIRMED' });
    expect(await handler(signIn)).toBe(signIn);
    const puts = db.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.TableName).toBe('codex');
    expect(puts[0]!.Item).toMatchObject({
      pk: expect.stringMatching(/^AUDIT#\d{4}-\d{2}-\d{2}$/),
      entity: 'audit',
      actor: 'a1b2c3d4-0000-4000-8000-000000000001',
      actorEmail: 'ana@example.com',
      action: 'login.succeeded',
      subjectType: 'admin',
      subject: 'a1b2c3d4-0000-4000-8000-000000000001',
    });
    expect(puts[0]!.Item).not.toHaveProperty('actorRole');
  });

  it('names the role when the event gives the groups', async () => {
    db.on(PutCommand).resolves({});
    await handler(event({ sub: 's-1', email: 'olga@example.com' }, { groupConfiguration: { groupsToOverride: ['operator'] } }));
    expect(db.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ actorRole: 'operator' });
  });

  it('fails when the entry cannot be written, so Cognito refuses the sign-in', async () => {
    db.on(PutCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    await expect(handler(event({ sub: 's-1' }))).rejects.toThrow(/ProvisionedThroughput/);
  });
});

describe('the sign-in entry', () => {
  it('reads groups in every shape API Gateway and Cognito write them, an admin in both groups being an admin', () => {
    const at = new Date('2026-12-01T13:00:00Z');
    expect(signInEntry({ sub: 's', groups: 'operator,admin' }, at).actorRole).toBe('admin');
    expect(signInEntry({ sub: 's', groups: ['operator'] }, at).actorRole).toBe('operator');
    expect(signInEntry({ sub: 's', groups: '[other]' }, at)).not.toHaveProperty('actorRole');
    expect(signInEntry({ sub: 's', email: 'a@b.co', source: '203.0.113.9' }, at)).toEqual({
      actor: 's',
      actorEmail: 'a@b.co',
      action: 'login.succeeded',
      subjectType: 'admin',
      subject: 's',
      source: '203.0.113.9',
      at: '2026-12-01T13:00:00.000Z',
    });
  });
});
