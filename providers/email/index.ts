export * from './headers.js';
export * from './smtp.js';
export * from './inbound.js';
export * from './validate.js';
