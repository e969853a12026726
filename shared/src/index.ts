// Wire schemas are imported from '@yishi/shared/schemas' (their names mirror domain types).
export * from './money';
export * from './domain';
export * from './policy';
