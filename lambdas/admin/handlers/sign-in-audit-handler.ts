// The admin user pool's post-authentication trigger: every successful admin or operator sign-in goes into the audit
// log. A failed write fails the sign-in (Cognito refuses it when the trigger throws): no admin session goes unrecorded.
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { systemClock } from '../../shared/platform/config.js';
import { recordAdminSignIn } from '../application/record-sign-in.js';
import { signInAuditLog } from '../sign-in-wiring.js';
import { cognitoTrigger } from '../../shared/observability/correlation.js';
import { observe } from '../../shared/observability/observe.js';

/** Groups appear in the pre-token-generation event's shape only; read them should Cognito pass them here too. */
type SignInEvent = PostAuthenticationTriggerEvent & { request: { groupConfiguration?: { groupsToOverride?: string[] } } };

const auditSignIn = async (event: SignInEvent): Promise<SignInEvent> => {
  const attributes = event.request.userAttributes;
  // The event carries no client address, so the entry has no source.
  await recordAdminSignIn(
    { audit: signInAuditLog(), clock: systemClock },
    {
      sub: attributes.sub ?? event.userName,
      ...(attributes.email ? { email: attributes.email } : {}),
      groups: event.request.groupConfiguration?.groupsToOverride,
    },
  );
  return event;
};

export const handler = observe(auditSignIn, cognitoTrigger);
