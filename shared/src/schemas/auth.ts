import { z } from 'zod';
import { ROLES } from '../domain/enums';
import { AreaCode, Id, nameText, singleLine } from './common';

export const LoginRequest = z.strictObject({
  username: singleLine(64),
  password: z.string().min(1).max(200),
});

export const Me = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  scopeAreaCode: z.string().nullable(),
  canteenIds: z.array(z.string()),
  mustChangePassword: z.boolean(),
  canSeeIdNumbers: z.boolean(),
});
export type Me = z.infer<typeof Me>;

export const LoginResponse = z.object({ user: Me });

/** At least 10 characters with letters and digits; checked on the server (and shown in the form). */
export const NewPassword = z
  .string()
  .min(10, 'at least 10 characters')
  .max(200)
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), 'letters and digits');

export const ChangePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: NewPassword,
});

export const CreateUserRequest = z.strictObject({
  username: z
    .string()
    .trim()
    .min(3)
    .max(64)
    .regex(/^[a-z0-9_.-]+$/, 'lower-case letters, digits, . _ -'),
  displayName: nameText(64),
  role: z.enum(ROLES),
  scopeAreaCode: AreaCode.nullable().default(null),
  canteenIds: z.array(Id).max(200).default([]),
  canSeeIdNumbers: z.boolean().default(false),
  initialPassword: NewPassword,
});

/** A user as the user list shows them: who they are and whether they can log in. */
export const UserSummary = Me.omit({ canSeeIdNumbers: true }).extend({
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
});
