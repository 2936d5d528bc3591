// REST v1 implementations: accounts (registration, email verification, password reset): the operations that send
// email, in a function of their own so that the SES client and the token signing code never share a bundle.
import { accounts } from '../../../customers/wiring.js';
import * as auth from '../contract/auth.js';
import { noContent, ok, type RouteImpl, route } from '../http.js';

const accepted = (message: string) => ({ status: 202, body: { status: 'accepted', message } });

export const accountsRoutes: readonly RouteImpl[] = [
  route(auth.register, async ({ body, apiBase, sourceIp }) => {
    await accounts().register({ ...body, apiBase, sourceIp });
    return accepted(`We sent an email to ${body.email.trim().toLowerCase()}: follow it to confirm the address. You can sign in meanwhile.`);
  }),

  route(auth.verifyEmail, async ({ body }) => {
    await accounts().verifyEmail(body.token);
    return ok({ emailVerified: true });
  }),

  route(auth.forgotPassword, async ({ body, apiBase, sourceIp }) => {
    await accounts().forgotPassword({ email: body.email, apiBase, sourceIp });
    return accepted('If this email has an account, a reset email is on its way.');
  }),

  route(auth.resetPassword, async ({ body }) => {
    await accounts().resetPassword(body);
    return noContent();
  }),
];
