export * from './kb.ts';
export * from './auth.ts';
