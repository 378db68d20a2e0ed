import { z } from 'zod';
import { CreateVendorRequest, Email, RegisterRequest } from './api.js';

/** A vendor's owner signs up and creates the vendor in one step (POST /auth/register-vendor); both or neither. */
export const VendorSignUpRequest = RegisterRequest.extend({ vendor: CreateVendorRequest });
export type VendorSignUpRequest = z.infer<typeof VendorSignUpRequest>;

/** A token from an emailed link (verification or password reset): opaque, sent back once. */
const LinkToken = z.string().min(20).max(200);
export const VerifyEmailRequest = z.strictObject({ token: LinkToken });
export type VerifyEmailRequest = z.infer<typeof VerifyEmailRequest>;
export const PasswordResetRequest = z.strictObject({ email: Email });
export type PasswordResetRequest = z.infer<typeof PasswordResetRequest>;
export const NewPasswordRequest = z.strictObject({ token: LinkToken, password: RegisterRequest.shape.password });
export type NewPasswordRequest = z.infer<typeof NewPasswordRequest>;
export const AccountStatus = z.object({ emailVerified: z.boolean() });
export type AccountStatus = z.infer<typeof AccountStatus>;

/**
 * Account events: written to the event log for the mailer only. They carry a link token, so they are never sent
 * on sockets nor replayed (see `isInternalEvent`).
 */
export const ACCOUNT_EVENT_TYPES = ['account.verification_requested', 'account.password_reset_requested'] as const;
export type AccountEventType = (typeof ACCOUNT_EVENT_TYPES)[number];
export const AccountEventData = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  token: z.string(),
});
export type AccountEventData = z.infer<typeof AccountEventData>;
/** Events for server workers alone: no socket room and no replay ever includes them. */
export const isInternalEvent = (type: string): boolean => type.startsWith('account.');

/** Where the web app takes the token of each link (`/?verify=<token>`, `/?reset=<token>`). */
export const ACCOUNT_LINK_PARAMS = { verify: 'verify', reset: 'reset' } as const;
