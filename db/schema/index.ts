export * from './kb.ts';
export * from './auth.ts';
export * from './tickets.ts';
