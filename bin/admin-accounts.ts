// The people of the admin user pool, managed from an operator's machine with their AWS credentials: invite one
// (Cognito emails a temporary password; TOTP is set up at the first sign-in) in a role, or move someone to another
// role. Roles are the pool's groups; someone is in exactly one of them. Used by `npm run admin:create`.
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  ListUserPoolsCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN_ROLES, type AdminRole } from '../lambdas/admin/domain/admin-caller.js';

export interface AdminAccountInput {
  userPoolId: string;
  email: string;
  role: AdminRole;
  /** Send the invitation again (a temporary password lasts 3 days). */
  resend?: boolean;
}

export type AdminAccountOutcome =
  | { outcome: 'invited'; email: string; role: AdminRole; sub?: string }
  | { outcome: 'reinvited'; email: string; role: AdminRole }
  | { outcome: 'unchanged'; email: string; role: AdminRole }
  | { outcome: 'role_changed'; email: string; role: AdminRole; from: string[] };

/** The pool named `codex-<stage>-admins` (lib/admin-user-pool.ts), found with the Cognito client alone. */
export async function findAdminPoolId(cognito: CognitoIdentityProviderClient, stage: string): Promise<string> {
  const name = `codex-${stage}-admins`;
  const found: string[] = [];
  let token: string | undefined;
  do {
    const page = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60, ...(token ? { NextToken: token } : {}) }));
    for (const pool of page.UserPools ?? []) if (pool.Name === name && pool.Id) found.push(pool.Id);
    token = page.NextToken;
  } while (token);
  if (found.length !== 1) {
    throw new Error(
      found.length === 0
        ? `No user pool named ${name} in this account and region (deployed? --region?)`
        : `Several user pools are named ${name} (${found.join(', ')}): say which with --user-pool-id`,
    );
  }
  return found[0]!;
}

/** Invites the person in this role, or puts an existing one in this role (and in no other). Safe to run again. */
export async function setAdminAccount(cognito: CognitoIdentityProviderClient, input: AdminAccountInput): Promise<AdminAccountOutcome> {
  const { userPoolId, role } = input;
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`Not an email address: ${input.email}`);
  const exists = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email })).then(
    () => true,
    (error: unknown) => {
      if (error instanceof UserNotFoundException) return false;
      throw error;
    },
  );
  const invite = (resend: boolean) =>
    cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
        ...(resend ? { MessageAction: 'RESEND' as const } : {}),
      }),
    );
  if (!exists) {
    const created = await invite(false);
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: role }));
    const sub = created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    return { outcome: 'invited', email, role, ...(sub ? { sub } : {}) };
  }
  // Only someone who never signed in has a temporary password to renew; Cognito refuses the others.
  if (input.resend) await invite(true);
  const groups = (await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: email }))).Groups ?? [];
  const roles = groups.map((group) => group.GroupName).filter((name): name is AdminRole => ADMIN_ROLES.includes(name as AdminRole));
  if (roles.length === 1 && roles[0] === role) return { outcome: input.resend ? 'reinvited' : 'unchanged', email, role };
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: role }));
  for (const other of roles.filter((name) => name !== role)) {
    await cognito.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: email, GroupName: other }));
  }
  // Refresh tokens stop working, so the new role is in every token from the next sign-in; ID tokens already issued
  // keep the old groups until they expire (one hour).
  await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: email }));
  return { outcome: 'role_changed', email, role, from: roles };
}

export interface AdminCreateArgs {
  email: string;
  role: AdminRole;
  resend: boolean;
  region?: string;
  /** The pool id, or the stage whose `codex-<stage>-admins` pool to find. */
  pool: { userPoolId: string } | { stage: string };
}

export const ADMIN_CREATE_USAGE = [
  'Usage: npm run admin:create -- --email <email> --group admin|operator (--user-pool-id <id> | --stage <stage> | --stack Codex-<stage>)',
  '                               [--region <region>] [--resend]',
  'Invites the person (Cognito emails a temporary password; an authenticator app is set up at the first sign-in),',
  'or moves someone already in the pool to this group. The pool id is the stack output AdminUserPoolId.',
].join('\n');

/** The command line, checked; an Error with the usage when it is wrong. */
export function parseAdminCreateArgs(argv: readonly string[]): AdminCreateArgs {
  const values: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const name = /^--([a-z-]+)$/.exec(argv[i]!)?.[1];
    if (!name) throw new Error(`Unexpected argument ${argv[i]}\n${ADMIN_CREATE_USAGE}`);
    if (name === 'resend') values[name] = true;
    else {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value\n${ADMIN_CREATE_USAGE}`);
      values[name] = value;
    }
  }
  const known = ['email', 'group', 'user-pool-id', 'stage', 'stack', 'region', 'resend'];
  const unknown = Object.keys(values).find((name) => !known.includes(name));
  if (unknown) throw new Error(`Unknown option --${unknown}\n${ADMIN_CREATE_USAGE}`);
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const email = text('email');
  const role = text('group');
  if (!email || !role) throw new Error(`--email and --group are required\n${ADMIN_CREATE_USAGE}`);
  if (!ADMIN_ROLES.includes(role as AdminRole)) throw new Error(`--group is admin or operator, not ${role}\n${ADMIN_CREATE_USAGE}`);
  const userPoolId = text('user-pool-id');
  const stack = text('stack');
  const stageOfStack = stack ? /^codex-([a-z][a-z0-9-]*)$/i.exec(stack)?.[1] : undefined;
  if (stack && !stageOfStack) throw new Error(`--stack names a Codex stack, Codex-<stage>; got ${stack}`);
  const stage = text('stage') ?? stageOfStack;
  if (!userPoolId && !stage) throw new Error(`Say which pool: --user-pool-id, --stage or --stack\n${ADMIN_CREATE_USAGE}`);
  return {
    email,
    role: role as AdminRole,
    resend: values.resend === true,
    ...(text('region') ? { region: text('region') } : {}),
    pool: userPoolId ? { userPoolId } : { stage: stage! },
  };
}

export function describeOutcome(result: AdminAccountOutcome, userPoolId: string): string {
  switch (result.outcome) {
    case 'invited':
      return `Invited ${result.email} to ${userPoolId} as ${result.role}${result.sub ? ` (sub ${result.sub})` : ''}: Cognito emails a temporary password, valid 3 days; at the first sign-in they choose a password and set up an authenticator app.`;
    case 'reinvited':
      return `Sent ${result.email} a new temporary password (${result.role}).`;
    case 'unchanged':
      return `${result.email} is already ${result.role}; nothing changed.`;
    case 'role_changed':
      return `${result.email} is now ${result.role} (was ${result.from.join(', ') || 'in no group'}); signed out everywhere, the new role applies from the next sign-in.`;
  }
}
