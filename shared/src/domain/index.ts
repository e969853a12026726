export * from './enums';
export * from './time';
export * from './categories';
export * from './indicators';
export * from './roster';
export * from './privacy';
export * from './orderRef';
export * from './horizons';
