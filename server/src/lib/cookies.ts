/** The two credentials a browser holds: a console session, and a paired kiosk's device credential. */
export const SESSION_COOKIE = 'yishi_session';
export const DEVICE_COOKIE = 'yishi_device';
