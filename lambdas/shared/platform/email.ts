import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesEmailSender } from '../../adapters/ses/ses-email-sender.js';
import { lazy, platform } from '../platform.js';
import type { EmailSender } from '../ports.js';
import { config, requireOnLambda } from './config.js';

export const emailSender: () => EmailSender = /* @__PURE__ */ lazy(() => {
  const standIn = platform().email;
  if (standIn) return standIn;
  requireOnLambda('EMAIL_FROM');
  const { AWS_REGION, EMAIL_FROM, SES_CONFIGURATION_SET } = config();
  return new SesEmailSender(new SESv2Client({ region: AWS_REGION }), {
    from: EMAIL_FROM,
    ...(SES_CONFIGURATION_SET ? { configurationSet: SES_CONFIGURATION_SET } : {}),
  });
});
