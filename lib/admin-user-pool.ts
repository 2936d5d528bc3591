// The people who run Codex: a Cognito user pool of admins and operators (its groups are their roles), signed in by
// email with a strong password and a TOTP code. The admin API's Cognito authorizer trusts its ID tokens.
import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccountRecovery, FeaturePlan, Mfa, UserPool, type UserPoolClient, UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ADMIN_ROLES } from '../lambdas/admin/domain/admin-caller.js';
import { FUNCTIONS } from '../lambdas/functions.js';
import { CodexFunction } from './codex-function.js';
import { acknowledgeSynchronousInvocation } from './operations/nag.js';

export interface AdminUserPoolProps {
  stage: string;
  /** Keep the pool (and its people) when the stack goes; dev stages may lose it. */
  retain: boolean;
  /** Where the sign-in trigger writes its audit entries. */
  table: ITableV2;
  environment: Record<string, string>;
  logRemovalPolicy: RemovalPolicy;
}

/** Temporary passwords of invited admins last this long; then an admin re-invites (docs/admin/access.md). */
export const ADMIN_TEMP_PASSWORD_DAYS = 3;

export class AdminUserPool extends Construct {
  readonly userPool: UserPool;
  /** The admin panel's client: SRP sign-in, no secret (it runs in a browser). */
  readonly client: UserPoolClient;
  /** The post-authentication trigger: each sign-in becomes a `login.succeeded` audit entry. */
  readonly signInAudit: CodexFunction;

  constructor(scope: Construct, id: string, { stage, retain, table, environment, logRemovalPolicy }: AdminUserPoolProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Pool', {
      userPoolName: `codex-${stage}-admins`,
      // Admins are invited (npm run admin:create), never sign themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false, email: false },
      // Essentials: the lowest plan that remembers past passwords.
      featurePlan: FeaturePlan.ESSENTIALS,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(ADMIN_TEMP_PASSWORD_DAYS),
        passwordHistorySize: 12,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: `Your Codex ${stage} admin account`,
        emailBody:
          'You have been invited to run Codex. Sign in with {username} and the temporary password {####} within ' +
          `${ADMIN_TEMP_PASSWORD_DAYS} days; you will choose a password and set up an authenticator app (TOTP).`,
      },
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Essentials: admins are invited only and every sign-in needs TOTP besides a 14-character password; threat protection (Plus) is billed per active user and left to the operators to turn on',
    });
    this.signInAudit = new CodexFunction(this, 'auditAdminSignIns', { spec: FUNCTIONS.auditAdminSignIns, environment, logRemovalPolicy });
    // It writes audit entries (`AUDIT#<day>`) and nothing else.
    this.signInAudit.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      }),
    );
    this.userPool.addTrigger(UserPoolOperation.POST_AUTHENTICATION, this.signInAudit);
    acknowledgeSynchronousInvocation(this.signInAudit, 'Cognito (a post-authentication trigger)');
    for (const role of ADMIN_ROLES) {
      this.userPool.addGroup(`${role[0]!.toUpperCase()}${role.slice(1)}Group`, {
        groupName: role,
        description: role === 'admin' ? 'Runs the business: money, prices, providers, settings, roles' : 'Support: views orders and users, acts on orders',
      });
    }
    this.client = this.userPool.addClient('AdminPanel', {
      userPoolClientName: `codex-${stage}-admin-panel`,
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });
    new CfnOutput(scope, 'AdminUserPoolId', { value: this.userPool.userPoolId, description: 'npm run admin:create -- --user-pool-id <this>' });
    new CfnOutput(scope, 'AdminUserPoolClientId', { value: this.client.userPoolClientId, description: "The admin panel's app client (SRP, no secret)" });
  }
}
