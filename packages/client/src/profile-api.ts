import { type Profile, ROUTES, type UpdateProfileRequest } from '@slotcast/protocol';
import type { RequestOptions } from './catalog-api.js';
import type { HttpTransport } from './http-transport.js';

/** The signed-in user's profile: name, phone, time zone and which contact details vendors may see. */
export class ProfileApi {
  constructor(private readonly http: HttpTransport) {}

  get(opts: RequestOptions = {}): Promise<Profile> {
    return this.http.call(ROUTES.getProfile, {}, opts);
  }

  update(patch: UpdateProfileRequest, opts: RequestOptions = {}): Promise<Profile> {
    return this.http.call(ROUTES.updateProfile, { body: patch }, opts);
  }
}
