export * from './enums';
export * from './time';
