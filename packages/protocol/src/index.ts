export * from './accounts.js';
export * from './api.js';
export * from './entities.js';
export * from './errors.js';
export * from './events.js';
export * from './notifications.js';
export * from './socket.js';
export * from './version.js';
