export * from './auth.ts';
export * from './common.ts';
export * from './conversations.ts';
export * from './projects.ts';
export * from './users.ts';
