import { UpdateProfileRequest } from '../api.js';
import { Profile } from '../entities.js';
import { defineRoute } from './define-route.js';

const tag = 'profile';

export const getProfile = defineRoute({
  method: 'GET',
  path: '/me/profile',
  summary: 'Your profile: name, phone, time zone and which contact details the vendors you book with may see',
  tag,
  auth: 'required',
  response: { status: 200, schema: Profile, description: 'The profile' },
  errors: [],
});

export const updateProfile = defineRoute({
  method: 'PATCH',
  path: '/me/profile',
  summary: 'Change your profile; fields left out stay as they are, null clears phone or time zone',
  tag,
  auth: 'required',
  body: UpdateProfileRequest,
  safeToRetry: true,
  response: { status: 200, schema: Profile, description: 'The profile as saved' },
  errors: [],
});
