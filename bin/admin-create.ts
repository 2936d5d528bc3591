// `npm run admin:create -- --email x --group admin|operator (--user-pool-id id | --stage s | --stack Codex-s)`:
// invites the first admin (and later ones) into the admin user pool after `cdk deploy`, or moves someone to another
// role. Uses the AWS credentials and region of the shell (AWS_PROFILE, AWS_REGION or --region). docs/admin/access.md.
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { describeOutcome, findAdminPoolId, parseAdminCreateArgs, setAdminAccount } from './admin-accounts.js';

async function main(): Promise<void> {
  const args = parseAdminCreateArgs(process.argv.slice(2));
  const cognito = new CognitoIdentityProviderClient(args.region ? { region: args.region } : {});
  const userPoolId = 'userPoolId' in args.pool ? args.pool.userPoolId : await findAdminPoolId(cognito, args.pool.stage);
  const result = await setAdminAccount(cognito, { userPoolId, email: args.email, role: args.role, resend: args.resend });
  console.log(describeOutcome(result, userPoolId));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
