/**
 * @module routes/auth
 * Signing up, in and out, and the token flows: contract rows 1–4, 9–12 under `/api/v1/auth`, plus
 * `POST /resend-verification`. The anonymous ones are rate limited per IP (`authRateLimit`).
 */

import { Type } from '@sinclair/typebox';
import {
  AuthResult,
  ChangePasswordBody,
  ForgotPasswordBody,
  LoginBody,
  LogoutBody,
  Ok,
  RefreshBody,
  RegisterBody,
  RegisterResult,
  ResetPasswordBody,
  TokenPair,
  UserEnvelope,
  VerifyEmailBody,
} from '@zekka/core/schemas';
import { Elysia } from 'elysia';
import { clientInfoFor } from '../client-ip.ts';
import { Accepted, errors, NoContent, ok } from './envelope.ts';
import { ANONYMOUS, type RouteDeps } from './route-deps.ts';
import { strictBody } from './strict-body.ts';

const TAG = 'auth';

export function authRoutes({ zekka, auth, rateLimit, clientIp, responses }: RouteDeps) {
  return new Elysia({ prefix: '/api/v1/auth' })
    .use(auth)
    .use(rateLimit)
    .post(
      '/register',
      async ({ body, request, server, status }) =>
        status(201, ok(await zekka.auth.register(body, clientInfoFor(clientIp, request, server)))),
      {
        authRateLimit: true,
        ...strictBody(RegisterBody),
        response: responses({ 201: Ok(RegisterResult), ...errors(400, 409, 415, 429) }),
        detail: {
          summary: 'Create an account',
          tags: [TAG],
          security: ANONYMOUS,
          description:
            'Creates a user and signs them in. When the server requires verified e-mail, no tokens are ' +
            'returned: the answer is `{ user, requiresEmailVerification: true }` and a link is sent. The ' +
            'password must be 12–128 characters with mixed character classes. `409` when the e-mail is taken.',
        },
      },
    )
    .post(
      '/login',
      async ({ body, request, server }) =>
        ok(await zekka.auth.login(body, clientInfoFor(clientIp, request, server))),
      {
        authRateLimit: true,
        ...strictBody(LoginBody),
        response: responses({ 200: Ok(AuthResult), ...errors(400, 401, 403, 415, 423, 429) }),
        detail: {
          summary: 'Sign in',
          tags: [TAG],
          security: ANONYMOUS,
          description:
            'Returns the user, a 15-minute access token and a refresh token. An unknown e-mail and a wrong ' +
            'password both answer `401 INVALID_CREDENTIALS`; 5 failures in a row lock the account for ' +
            '15 minutes (`423 ACCOUNT_LOCKED`). A disabled account, or an unverified one when the server ' +
            'requires verification, answers `403 FORBIDDEN`.',
        },
      },
    )
    .post(
      '/refresh',
      async ({ body, request, server }) =>
        ok(await zekka.auth.refresh(body.refreshToken, clientInfoFor(clientIp, request, server))),
      {
        authRateLimit: true,
        ...strictBody(RefreshBody),
        response: responses({ 200: Ok(TokenPair), ...errors(400, 401, 415, 429) }),
        detail: {
          summary: 'Exchange a refresh token',
          tags: [TAG],
          security: ANONYMOUS,
          description:
            'Returns a new access token and a new refresh token; the one sent is dead from now on. Sending ' +
            'a rotated refresh token again revokes the whole session (it was probably stolen).',
        },
      },
    )
    .post(
      '/logout',
      async ({ actor, body, status }) => {
        await zekka.auth.logout(actor, body?.refreshToken);
        return status(204, undefined);
      },
      {
        auth: true,
        ...strictBody(Type.Optional(LogoutBody)),
        response: responses({ 204: NoContent, ...errors(400, 401, 415, 429) }),
        detail: {
          summary: 'Sign out',
          tags: [TAG],
          description:
            'Revokes the current session, so its access and refresh tokens stop working. The body is ' +
            'optional; a `refreshToken` in it names the session to revoke when it is one of yours.',
        },
      },
    )
    .post(
      '/change-password',
      async ({ actor, body, status }) => {
        await zekka.auth.changePassword(actor, body);
        return status(204, undefined);
      },
      {
        auth: true,
        ...strictBody(ChangePasswordBody),
        response: responses({ 204: NoContent, ...errors(400, 401, 415, 429) }),
        detail: {
          summary: 'Change your password',
          tags: [TAG],
          description:
            'Needs the current password (`401 INVALID_CREDENTIALS` when wrong). Every other session is ' +
            'revoked; this one stays signed in.',
        },
      },
    )
    .post('/verify-email', async ({ body }) => ok({ user: await zekka.auth.verifyEmail(body.token) }), {
      authRateLimit: true,
      ...strictBody(VerifyEmailBody),
      response: responses({ 200: Ok(UserEnvelope), ...errors(400, 401, 415, 429) }),
      detail: {
        summary: 'Verify an e-mail address',
        tags: [TAG],
        security: ANONYMOUS,
        description: 'Consumes the token from the verification link. Tokens are single-use and expire.',
      },
    })
    .post(
      '/resend-verification',
      async ({ actor, status }) => {
        await zekka.auth.requestEmailVerification(actor);
        return status(202, ok(null));
      },
      {
        auth: true,
        response: responses({
          202: Accepted,
          ...errors(401, 429),
        }),
        detail: {
          summary: 'Send the verification link again',
          tags: [TAG],
          description: 'Sends a fresh verification link to your address.',
        },
      },
    )
    .post(
      '/forgot-password',
      async ({ body, status }) => {
        await zekka.auth.forgotPassword(body.email);
        return status(202, ok(null));
      },
      {
        authRateLimit: true,
        ...strictBody(ForgotPasswordBody),
        response: responses({ 202: Accepted, ...errors(400, 415, 429) }),
        detail: {
          summary: 'Ask for a password-reset link',
          tags: [TAG],
          security: ANONYMOUS,
          description:
            'Always answers `202`, whether or not the address has an account, so the answer reveals nothing.',
        },
      },
    )
    .post(
      '/reset-password',
      async ({ body, status }) => {
        await zekka.auth.resetPassword(body.token, body.newPassword);
        return status(204, undefined);
      },
      {
        authRateLimit: true,
        ...strictBody(ResetPasswordBody),
        response: responses({ 204: NoContent, ...errors(400, 401, 415, 429) }),
        detail: {
          summary: 'Set a new password with a reset token',
          tags: [TAG],
          security: ANONYMOUS,
          description: 'Consumes the token from the reset link and revokes every session of the account.',
        },
      },
    );
}
