// `npm run admin:create`: inviting someone into the admin user pool in a role, moving them to another role, and
// finding the pool of a stage, against a mocked Cognito.
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { findAdminPoolId, parseAdminCreateArgs, setAdminAccount } from '../../bin/admin-accounts.js';

const cognitoMock = mockClient(CognitoIdentityProviderClient);
const cognito = new CognitoIdentityProviderClient({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const POOL = 'eu-west-1_AbCdEf123';
const notFound = new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });

beforeEach(() => cognitoMock.reset());

const sent = (command: Parameters<typeof cognitoMock.commandCalls>[0]) => cognitoMock.commandCalls(command).map((call) => call.args[0].input);

describe('inviting an admin', () => {
  it('creates the user by email, verified, invited by email, and puts them in the group', async () => {
    cognitoMock.on(AdminGetUserCommand).rejects(notFound);
    cognitoMock.on(AdminCreateUserCommand).resolves({ User: { Username: 'uuid-1', Attributes: [{ Name: 'sub', Value: 'uuid-1' }] } });
    const result = await setAdminAccount(cognito, { userPoolId: POOL, email: ' Ana@Example.com ', role: 'admin' });
    expect(result).toEqual({ outcome: 'invited', email: 'ana@example.com', role: 'admin', sub: 'uuid-1' });
    expect(sent(AdminCreateUserCommand)).toEqual([
      {
        UserPoolId: POOL,
        Username: 'ana@example.com',
        UserAttributes: [
          { Name: 'email', Value: 'ana@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      },
    ]);
    expect(sent(AdminAddUserToGroupCommand)).toEqual([{ UserPoolId: POOL, Username: 'ana@example.com', GroupName: 'admin' }]);
  });

  it('changes nothing when run again for someone already in that role', async () => {
    cognitoMock.on(AdminGetUserCommand).resolves({ Username: 'uuid-1' });
    cognitoMock.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'admin' }] });
    expect(await setAdminAccount(cognito, { userPoolId: POOL, email: 'ana@example.com', role: 'admin' })).toMatchObject({ outcome: 'unchanged' });
    expect(sent(AdminCreateUserCommand)).toEqual([]);
    expect(sent(AdminAddUserToGroupCommand)).toEqual([]);
    expect(sent(AdminUserGlobalSignOutCommand)).toEqual([]);
  });

  it('sends a new temporary password when asked to resend', async () => {
    cognitoMock.on(AdminGetUserCommand).resolves({ Username: 'uuid-1' });
    cognitoMock.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'operator' }] });
    expect(await setAdminAccount(cognito, { userPoolId: POOL, email: 'olga@example.com', role: 'operator', resend: true })).toMatchObject({
      outcome: 'reinvited',
    });
    expect(sent(AdminCreateUserCommand)).toEqual([expect.objectContaining({ Username: 'olga@example.com', MessageAction: 'RESEND' })]);
  });

  it('refuses something that is not an email address before asking Cognito', async () => {
    await expect(setAdminAccount(cognito, { userPoolId: POOL, email: 'ana', role: 'admin' })).rejects.toThrow(/Not an email address/);
    expect(cognitoMock.calls()).toHaveLength(0);
  });
});

describe('changing the role of an existing admin', () => {
  it('adds the new group, leaves the old one and signs them out everywhere so the next tokens carry the new role', async () => {
    cognitoMock.on(AdminGetUserCommand).resolves({ Username: 'uuid-2' });
    cognitoMock.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'admin' }, { GroupName: 'unrelated' }] });
    const result = await setAdminAccount(cognito, { userPoolId: POOL, email: 'olga@example.com', role: 'operator' });
    expect(result).toEqual({ outcome: 'role_changed', email: 'olga@example.com', role: 'operator', from: ['admin'] });
    expect(sent(AdminAddUserToGroupCommand)).toEqual([{ UserPoolId: POOL, Username: 'olga@example.com', GroupName: 'operator' }]);
    expect(sent(AdminRemoveUserFromGroupCommand)).toEqual([{ UserPoolId: POOL, Username: 'olga@example.com', GroupName: 'admin' }]);
    expect(sent(AdminUserGlobalSignOutCommand)).toEqual([{ UserPoolId: POOL, Username: 'olga@example.com' }]);
    expect(sent(AdminCreateUserCommand)).toEqual([]);
  });

  it('passes on what Cognito refuses other than a missing user', async () => {
    cognitoMock.on(AdminGetUserCommand).rejects(new Error('AccessDeniedException: not allowed'));
    await expect(setAdminAccount(cognito, { userPoolId: POOL, email: 'ana@example.com', role: 'admin' })).rejects.toThrow(/not allowed/);
  });
});

describe("finding a stage's admin user pool", () => {
  it('finds codex-<stage>-admins across pages of pools', async () => {
    cognitoMock
      .on(ListUserPoolsCommand)
      .resolvesOnce({ UserPools: [{ Id: 'x_1', Name: 'codex-dev-admins' }], NextToken: 'next' })
      .resolvesOnce({ UserPools: [{ Id: POOL, Name: 'codex-prod-admins' }] });
    expect(await findAdminPoolId(cognito, 'prod')).toBe(POOL);
    expect(sent(ListUserPoolsCommand)).toEqual([{ MaxResults: 60 }, { MaxResults: 60, NextToken: 'next' }]);
  });

  it('says so when there is none, or more than one', async () => {
    cognitoMock.on(ListUserPoolsCommand).resolves({ UserPools: [{ Id: 'x_1', Name: 'other' }] });
    await expect(findAdminPoolId(cognito, 'prod')).rejects.toThrow(/No user pool named codex-prod-admins/);
    cognitoMock.on(ListUserPoolsCommand).resolves({
      UserPools: [
        { Id: 'x_1', Name: 'codex-prod-admins' },
        { Id: 'x_2', Name: 'codex-prod-admins' },
      ],
    });
    await expect(findAdminPoolId(cognito, 'prod')).rejects.toThrow(/Several user pools .*--user-pool-id/);
  });
});

describe('the command line', () => {
  it('takes an email, a group and the pool by id, stage or stack', () => {
    expect(parseAdminCreateArgs(['--email', 'a@b.co', '--group', 'admin', '--user-pool-id', POOL])).toEqual({
      email: 'a@b.co',
      role: 'admin',
      resend: false,
      pool: { userPoolId: POOL },
    });
    expect(parseAdminCreateArgs(['--email', 'a@b.co', '--group', 'operator', '--stack', 'Codex-prod', '--region', 'eu-west-1', '--resend'])).toEqual({
      email: 'a@b.co',
      role: 'operator',
      resend: true,
      region: 'eu-west-1',
      pool: { stage: 'prod' },
    });
  });

  it('refuses a missing pool, an unknown group or option, with the usage', () => {
    expect(() => parseAdminCreateArgs(['--email', 'a@b.co', '--group', 'admin'])).toThrow(/Say which pool.*\n.*Usage/s);
    expect(() => parseAdminCreateArgs(['--email', 'a@b.co', '--group', 'root', '--stage', 'prod'])).toThrow(/--group is admin or operator/);
    expect(() => parseAdminCreateArgs(['--email', 'a@b.co', '--group', 'admin', '--stage', 'prod', '--force', 'x'])).toThrow(/Unknown option --force/);
    expect(() => parseAdminCreateArgs(['--email', 'a@b.co', '--group', 'admin', '--stack', 'prod'])).toThrow(/Codex-<stage>/);
  });
});
