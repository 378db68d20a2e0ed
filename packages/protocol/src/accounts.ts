import type { z } from 'zod';
import { CreateVendorRequest, RegisterRequest } from './api.js';

/** A vendor's owner signs up and creates the vendor in one step (POST /auth/register-vendor); both or neither. */
export const VendorSignUpRequest = RegisterRequest.extend({ vendor: CreateVendorRequest });
export type VendorSignUpRequest = z.infer<typeof VendorSignUpRequest>;
