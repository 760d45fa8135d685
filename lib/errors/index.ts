/** Shared error codes, the coded application error and the coded Temporal failures. */
export { ErrorCodes, AppError, errorKindOfType, type ErrorKind, type ErrorCode } from './codes';
export { refusal } from './failures';
