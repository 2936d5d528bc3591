import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SesEmailSender } from '../../adapters/ses/ses-email-sender.js';
import { lazy, platform } from '../platform.js';
import type { EmailSender } from '../ports.js';
import { config, requireOnLambda } from './config.js';

export const emailSender: () => EmailSender = /* @__PURE__ */ lazy(() => {
  const standIn = platform().email;
  if (standIn) return standIn;
  requireOnLambda('EMAIL_FROM');
  const { AWS_REGION, EMAIL_FROM, SES_CONFIGURATION_SET } = config();
  return new SesEmailSender({
    from: EMAIL_FROM,
    ...(SES_CONFIGURATION_SET ? { configurationSet: SES_CONFIGURATION_SET } : {}),
    region: AWS_REGION,
    // The execution role's credentials, which Lambda puts in the environment (and refreshes with each container).
    credentials: fromEnv(),
  });
});
