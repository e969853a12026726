import type { z } from 'zod';
import type {
  Area as AreaSchema,
  CreatePairingRequest,
  CreateUserRequest,
  DeviceSummary as DeviceSummarySchema,
  DishInput as DishInputSchema,
  DishUpdate as DishUpdateSchema,
  PairingCode as PairingCodeSchema,
  PutMenuRequest as PutMenuRequestSchema,
  ResidentCategoryEntry as ResidentCategoryEntrySchema,
  TopupRequest as TopupRequestSchema,
  UserSummary as UserSummarySchema,
  WalletEntry as WalletEntrySchema,
  WalletView as WalletViewSchema,
  AddCardRequest as AddCardRequestSchema,
  AddCategoryRequest as AddCategoryRequestSchema,
  CreateResidentRequest as CreateResidentRequestSchema,
  EndCategoryRequest as EndCategoryRequestSchema,
  UpdateResidentRequest as UpdateResidentRequestSchema,
  ConfirmPaymentRequest as ConfirmPaymentRequestSchema,
} from '@yishi/shared/schemas';

export type { Me, CanteenSummary, Dish, Menu, MenuItem, Order, ResidentSummary, ResidentDetail, LiveEvent, ErrorCode } from '@yishi/shared/schemas';

export type Area = z.infer<typeof AreaSchema>;
export type UserSummary = z.infer<typeof UserSummarySchema>;
export type CreateUser = z.input<typeof CreateUserRequest>;
export type DeviceSummary = z.infer<typeof DeviceSummarySchema>;
export type PairingCode = z.infer<typeof PairingCodeSchema>;
export type CreatePairing = z.infer<typeof CreatePairingRequest>;
export type DishInput = z.input<typeof DishInputSchema>;
export type DishUpdate = z.input<typeof DishUpdateSchema>;
export type PutMenu = z.input<typeof PutMenuRequestSchema>;
export type WalletView = z.infer<typeof WalletViewSchema>;
export type WalletEntry = z.infer<typeof WalletEntrySchema>;
export type Topup = z.input<typeof TopupRequestSchema>;
export type ResidentCategoryEntry = z.infer<typeof ResidentCategoryEntrySchema>;
export type AddCard = z.input<typeof AddCardRequestSchema>;
export type CreateResident = z.input<typeof CreateResidentRequestSchema>;
export type UpdateResident = z.input<typeof UpdateResidentRequestSchema>;
export type AddCategory = z.input<typeof AddCategoryRequestSchema>;
export type EndCategory = z.input<typeof EndCategoryRequestSchema>;
export type ConfirmPayment = z.input<typeof ConfirmPaymentRequestSchema>;

export interface Paged<T> {
  items: T[];
  total: number;
}
