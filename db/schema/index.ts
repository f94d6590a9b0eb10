export * from './kb.ts';
