export * from './schema';
export * from './reasons';
export * from './evaluate';
export * from './describe';
export * from './library';
export * from './slot';
export * from './context';
