/** Shared error codes and the coded application error. */
export { ErrorCodes, AppError, errorKindOfType, type ErrorKind, type ErrorCode } from './codes';
