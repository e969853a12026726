export * from './enums';
export * from './time';
export * from './categories';
export * from './indicators';
