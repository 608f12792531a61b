export { KBUGCHECK_CALLBACK_RECORD, KBUGCHECK_REASON_CALLBACK_RECORD } from './format/index.js';
/** Pool tag used by the driver helpers when a driver names none ('Drvr'). */
export const POOL_TAG_DEFAULT = 'Drvr';
